import CivicInsights
import CivicTestTraits
import CivicTesting
import Testing

/// Key-driver analysis on generated respondents with planted effects on trust: it ranks the planted drivers in
/// their planted order, and its intervals cover the planted effects.
@Suite(.hangGuard) struct PlantedDriversTests {
    static let corpus = PlantedCommentCorpus(seed: 32, count: 20_000)

    static func v1Analysis(_ corpus: PlantedCommentCorpus, settings: DriverSettings = DriverSettings()) -> DriverAnalysis {
        var analysis = DriverAnalysis(predictors: PlantedCommentCorpus.v1Effects.map { .init(name: $0.name) }, settings: settings)
        for index in 0..<corpus.count {
            let comment = corpus.comment(at: index)
            analysis.add(key: ThemeTally.key(comment.eventId), outcome: Double(comment.trustValue), columns: comment.likert.map(Double.init))
        }
        return analysis
    }

    @Test func v1DriversInPlantedOrderWithIntervalsCoveringThePlantedEffects() throws {
        let result = try #require(Self.v1Analysis(Self.corpus).result())
        let planted = PlantedCommentCorpus.plantedV1Weights()
        print("v1: n \(result.n), R² \(result.rSquared) [\(result.rSquaredLower), \(result.rSquaredUpper)]")
        for driver in result.drivers {
            let index = try #require(PlantedCommentCorpus.v1Effects.firstIndex { $0.name == driver.name })
            let beta = PlantedCommentCorpus.v1Effects[index].beta
            print(
                "  \(driver.rank). \(driver.name): weight \(driver.weight) [\(driver.weightLower), \(driver.weightUpper)] planted \(planted[index]); coefficient \(driver.coefficient ?? .nan) [\(driver.coefficientLower ?? .nan), \(driver.coefficientUpper ?? .nan)] planted \(beta)"
            )
            #expect(driver.weightLower <= planted[index] && planted[index] <= driver.weightUpper, "\(driver.name) weight")
            let lower = try #require(driver.coefficientLower)
            let upper = try #require(driver.coefficientUpper)
            #expect(lower <= beta && beta <= upper, "\(driver.name) coefficient")
        }
        #expect(result.n == 20_000)
        #expect(result.drivers.map(\.name) == PlantedCommentCorpus.v1Effects.map(\.name))
        let total = result.drivers.reduce(0) { $0 + $1.weight }
        #expect(abs(total - result.rSquared) < 1e-9)
    }

    @Test func intervalsAreCalibrated() throws {
        // Over 20 independent corpora of 2,000 respondents, the 95% intervals cover the planted coefficient
        // about 95% of the time (at least 85% of 120 intervals; a binomial lower bound at 95% coverage is ~90%).
        var settings = DriverSettings()
        settings.bootstrapSamples = 200
        var covered = 0
        var intervals = 0
        for seed in 100..<120 {
            let result = try #require(Self.v1Analysis(PlantedCommentCorpus(seed: UInt64(seed), count: 2_000), settings: settings).result())
            for driver in result.drivers {
                let beta = try #require(PlantedCommentCorpus.v1Effects.first { $0.name == driver.name }).beta
                intervals += 1
                if let lower = driver.coefficientLower, let upper = driver.coefficientUpper, lower <= beta, beta <= upper { covered += 1 }
            }
        }
        print("coverage of planted v1 coefficients: \(covered) of \(intervals)")
        #expect(Double(covered) / Double(intervals) >= 0.85)
    }

    @Test func v2ThemeDriversInPlantedOrder() throws {
        // On A-11 v2 the options are shown after the trust answer, so only what every respondent has predicts
        // trust: the comment's themes, channel, touchpoint and journey stage (no effect planted on those).
        let model = PlantedThemesTests.extract(Self.corpus)
        let recovery = PlantedThemesTests.recovery(model, Self.corpus)
        var matcher = ThemeMatcher(model: model)
        let themeCount = model.themes.count
        var predictors = model.themes.map { DriverAnalysis.Predictor(name: "theme:\($0.label)") }
        predictors += [
            .init(name: "channel", columns: PlantedCommentCorpus.channels.count - 1),
            .init(name: "touchpoint", columns: PlantedCommentCorpus.touchpoints.count - 1),
            .init(name: "stage", columns: PlantedCommentCorpus.stages.count - 1),
        ]
        var analysis = DriverAnalysis(predictors: predictors)
        for index in 0..<Self.corpus.count {
            let comment = Self.corpus.comment(at: index)
            let found = matcher.themes(of: comment.text)
            var columns = (0..<themeCount).map { found & (1 << UInt64($0)) != 0 ? 1.0 : 0.0 }
            func dummies(_ value: String, _ levels: [String]) -> [Double] { levels.dropFirst().map { $0 == value ? 1 : 0 } }
            columns += dummies(comment.channel, PlantedCommentCorpus.channels)
            columns += dummies(comment.touchpoint, PlantedCommentCorpus.touchpoints)
            columns += dummies(comment.stage, PlantedCommentCorpus.stages)
            analysis.add(key: ThemeTally.key(comment.eventId), outcome: comment.trustUp ? 1 : 0, columns: columns)
        }
        let result = try #require(analysis.result())
        let planted = PlantedCommentCorpus.plantedV2Weights()
        print("v2: n \(result.n), R² \(result.rSquared)")
        var order: [Int] = []
        for driver in result.drivers {
            print(
                "  \(driver.rank). \(driver.name): weight \(driver.weight) [\(driver.weightLower), \(driver.weightUpper)]; coefficient \(driver.coefficient ?? .nan) [\(driver.coefficientLower ?? .nan), \(driver.coefficientUpper ?? .nan)]"
            )
            guard let themeIndex = model.themes.firstIndex(where: { "theme:\($0.label)" == driver.name }),
                let plantedIndex = recovery.matches[themeIndex]
            else { continue }
            order.append(plantedIndex)
            let effect = PlantedCommentCorpus.themes[plantedIndex].effect
            print("     planted effect \(effect), planted weight \(planted[plantedIndex])")
            let lower = try #require(driver.coefficientLower)
            let upper = try #require(driver.coefficientUpper)
            #expect(lower <= effect && effect <= upper, "\(driver.name) coefficient")
            #expect(driver.weightLower <= planted[plantedIndex] && planted[plantedIndex] <= driver.weightUpper, "\(driver.name) weight")
        }
        #expect(order == Array(PlantedCommentCorpus.themes.indices))
        // Channel, touchpoint and stage have no planted effect: they rank below every planted theme.
        let last = result.drivers.suffix(3).map(\.name).sorted()
        #expect(last == ["channel", "stage", "touchpoint"])
    }

    @Test func sameRowsGiveTheSameFiguresAndTooFewGiveNone() throws {
        let corpus = PlantedCommentCorpus(seed: 5, count: 3_000)
        let first = try #require(Self.v1Analysis(corpus).result())
        let second = try #require(Self.v1Analysis(corpus).result())
        #expect(first == second)
        var settings = DriverSettings()
        settings.minimumN = 3_001
        #expect(Self.v1Analysis(corpus, settings: settings).result() == nil)
    }

    @Test func samplingKeepsTheSameRowsWhateverTheOrder() throws {
        var settings = DriverSettings()
        settings.maximumRows = 500
        settings.bootstrapSamples = 50
        let corpus = PlantedCommentCorpus(seed: 9, count: 3_000)
        var forward = DriverAnalysis(predictors: PlantedCommentCorpus.v1Effects.map { .init(name: $0.name) }, settings: settings)
        var backward = forward
        for index in 0..<corpus.count {
            let comment = corpus.comment(at: index)
            forward.add(key: ThemeTally.key(comment.eventId), outcome: Double(comment.trustValue), columns: comment.likert.map(Double.init))
            let other = corpus.comment(at: corpus.count - 1 - index)
            backward.add(key: ThemeTally.key(other.eventId), outcome: Double(other.trustValue), columns: other.likert.map(Double.init))
        }
        let a = try #require(forward.result())
        #expect(a == backward.result())
        #expect(a.n == 500)
    }
}
