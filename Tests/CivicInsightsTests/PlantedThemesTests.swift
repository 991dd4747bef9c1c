import CivicInsights
import CivicTestTraits
import CivicTesting
import Testing

/// Theme extraction on a generated corpus with planted themes and noise (misspellings, negation, mixed
/// themes, redaction placeholders, the agency's names, filler): it finds the planted themes and only those.
@Suite(.hangGuard) struct PlantedThemesTests {
    static let corpus = PlantedCommentCorpus(seed: 32, count: 20_000)

    /// The v2 classes: trust up or down, each went-well and didn't-go-well option.
    static let classNames =
        ["trust:up", "trust:down"] + PlantedCommentCorpus.options.map { "wentWell:\($0)" }
        + PlantedCommentCorpus.options.map { "didNotGoWell:\($0)" }

    static func classes(of comment: PlantedCommentCorpus.Comment) -> UInt64 {
        var bits: UInt64 = comment.trustUp ? 1 : 2
        for option in comment.wentWell {
            if let index = classNames.firstIndex(of: "wentWell:\(option)") { bits |= 1 << UInt64(index) }
        }
        for option in comment.didNotGoWell {
            if let index = classNames.firstIndex(of: "didNotGoWell:\(option)") { bits |= 1 << UInt64(index) }
        }
        return bits
    }

    static func extract(_ corpus: PlantedCommentCorpus, minimumCount: Int = 10) -> ThemeModel {
        var settings = ThemeSettings()
        settings.minimumCount = minimumCount
        settings.excludedWords = PlantedCommentCorpus.agencyNames
        return ThemeExtractor(settings: settings, classNames: classNames).themes {
            (0..<corpus.count).lazy.map { index in
                let comment = corpus.comment(at: index)
                return ThemeComment(text: comment.text, classes: classes(of: comment))
            }
        }
    }

    /// How well discovered themes recover the planted ones.
    struct Recovery {
        /// Discovered theme -> planted theme it stands for (best Jaccard of comment sets, at least 0.5).
        var matches: [Int: Int] = [:]
        var themePrecision = 0.0
        var themeRecall = 0.0
        var commentPrecision = 0.0
        var commentRecall = 0.0
    }

    static func recovery(_ model: ThemeModel, _ corpus: PlantedCommentCorpus) -> Recovery {
        var matcher = ThemeMatcher(model: model)
        let planted = PlantedCommentCorpus.themes.count
        let discovered = model.themes.count
        var found: [UInt64] = []
        var truth: [[Int]] = []
        for index in 0..<corpus.count {
            let comment = corpus.comment(at: index)
            found.append(matcher.themes(of: comment.text))
            truth.append(comment.themes)
        }
        var recovery = Recovery()
        for d in 0..<discovered {
            var best: (planted: Int, jaccard: Double)?
            for p in 0..<planted {
                var both = 0
                var either = 0
                for index in 0..<corpus.count {
                    let inD = found[index] & (1 << UInt64(d)) != 0
                    let inP = truth[index].contains(p)
                    if inD && inP { both += 1 }
                    if inD || inP { either += 1 }
                }
                let jaccard = either > 0 ? Double(both) / Double(either) : 0
                if jaccard > (best?.jaccard ?? 0) { best = (p, jaccard) }
            }
            if let best, best.jaccard >= 0.5 { recovery.matches[d] = best.planted }
        }
        recovery.themePrecision = discovered > 0 ? Double(recovery.matches.count) / Double(discovered) : 0
        recovery.themeRecall = Double(Set(recovery.matches.values).count) / Double(planted)
        // Comment level, micro-averaged over planted themes: the union of the discovered themes matched to each.
        var truePositives = 0
        var predicted = 0
        var actual = 0
        for p in 0..<planted {
            let mask = recovery.matches.filter { $0.value == p }.keys.reduce(UInt64(0)) { $0 | 1 << UInt64($1) }
            for index in 0..<corpus.count {
                let inD = found[index] & mask != 0
                let inP = truth[index].contains(p)
                if inD { predicted += 1 }
                if inP { actual += 1 }
                if inD && inP { truePositives += 1 }
            }
        }
        // Comments given an unmatched (spurious) theme count against precision.
        let unmatched = (0..<discovered).filter { recovery.matches[$0] == nil }.reduce(UInt64(0)) { $0 | 1 << UInt64($1) }
        predicted += found.filter { $0 & unmatched != 0 }.count
        recovery.commentPrecision = predicted > 0 ? Double(truePositives) / Double(predicted) : 0
        recovery.commentRecall = actual > 0 ? Double(truePositives) / Double(actual) : 0
        return recovery
    }

    @Test func recoversThePlantedThemes() {
        let model = Self.extract(Self.corpus)
        let recovery = Self.recovery(model, Self.corpus)
        for (index, theme) in model.themes.enumerated() {
            let planted = recovery.matches[index].map { PlantedCommentCorpus.themes[$0].name } ?? "-"
            print("theme \(index): \(theme.label) [\(theme.terms.joined(separator: ", "))] n=\(theme.count) planted=\(planted)")
        }
        print(
            "themes: precision \(recovery.themePrecision) recall \(recovery.themeRecall); comments: precision \(recovery.commentPrecision) recall \(recovery.commentRecall)"
        )
        #expect(recovery.themePrecision >= 0.9)
        #expect(recovery.themeRecall >= 0.9)
        #expect(recovery.commentPrecision >= 0.9)
        #expect(recovery.commentRecall >= 0.9)
        // One discovered theme per planted one (similar phrases merged).
        #expect(Set(recovery.matches.values).count == recovery.matches.count)
    }

    @Test func labelsLeaveOutPlaceholdersAgencyNamesAndStopWords() {
        let model = Self.extract(Self.corpus)
        let banned: Set<String> = ["email", "phone", "name", "ssn", "irs", "internal", "revenue", "the", "and", "was"]
        for theme in model.themes {
            for term in theme.terms + [theme.label] {
                let words = term.split(separator: " ").map(String.init)
                #expect(words.allSatisfy { !banned.contains($0) }, "\(term)")
            }
        }
    }

    @Test func noThemeRestsOnFewerThanTheMinimum() {
        // A small corpus: every theme found has at least the minimum number of comments, however high it is set.
        let small = PlantedCommentCorpus(seed: 7, count: 600)
        for minimum in [5, 20, 40] {
            let model = Self.extract(small, minimumCount: minimum)
            var tally = ThemeTally(themeCount: model.themes.count, classCount: Self.classNames.count)
            var matcher = ThemeMatcher(model: model)
            for index in 0..<small.count {
                let comment = small.comment(at: index)
                tally.add(
                    themes: matcher.themes(of: comment.text),
                    classes: Self.classes(of: comment),
                    sentiment: comment.sentiment,
                    exampleKey: ThemeTally.key(comment.eventId),
                    text: comment.text
                )
            }
            for (index, theme) in model.themes.enumerated() {
                #expect(theme.count >= minimum)
                #expect(tally.themes[index].count == theme.count)
            }
        }
        #expect(Self.extract(small, minimumCount: 10_000).themes.isEmpty)
    }

    @Test func sameCommentsGiveTheSameThemes() {
        let corpus = PlantedCommentCorpus(seed: 11, count: 4_000)
        let first = Self.extract(corpus)
        let second = Self.extract(corpus)
        #expect(first.themes == second.themes)
        #expect(!first.themes.isEmpty)
    }

    @Test func themesGoWithTheirPlantedOptions() {
        let model = Self.extract(Self.corpus)
        let recovery = Self.recovery(model, Self.corpus)
        for (index, planted) in recovery.matches {
            let theme = PlantedCommentCorpus.themes[planted]
            let expected = (theme.effect > 0 ? "wentWell:" : "didNotGoWell:") + theme.option
            let names = model.themes[index].classes.map { Self.classNames[$0] }
            #expect(names.contains(expected), "\(theme.name): \(names)")
        }
    }

    @Test func wordsAndNegation() {
        // Misspelt, negated and placeholder words: one corpus where `helpfull` is a rare misspelling.
        var comments: [ThemeComment] = []
        for index in 0..<200 {
            let text =
                index % 40 == 0
                ? "The agent was helpfull. Call me at [PHONE]." : (index % 2 == 0 ? "The agent was helpful." : "The agent wasn't helpful at all.")
            comments.append(ThemeComment(text: text, classes: index % 2 == 0 ? 1 : 2))
        }
        var settings = ThemeSettings()
        settings.minimumCount = 8
        let model = ThemeExtractor(settings: settings, classNames: ["up", "down"]).themes { comments }
        let terms = Set(model.themes.flatMap(\.terms))
        #expect(terms.contains("helpful"))
        #expect(terms.contains("not helpful"))
        #expect(!terms.contains("helpfull"))
        #expect(!terms.contains { $0.contains("phone") })
        var matcher = ThemeMatcher(model: model)
        #expect(matcher.themes(of: "the agent was helpfull") == matcher.themes(of: "the agent was helpful"))
    }
}

/// Counting a corpus in shares on several cores and merging gives what counting it in one go gives.
@Suite(.hangGuard) struct MergedCountsTests {
    @Test func themesCountedInSharesAndMergedAreTheSame() {
        let corpus = PlantedCommentCorpus(seed: 12, count: 6_000)
        let whole = PlantedThemesTests.extract(corpus)
        var settings = ThemeSettings()
        settings.excludedWords = PlantedCommentCorpus.agencyNames
        var discovery = ThemeDiscovery(extractor: ThemeExtractor(settings: settings, classNames: PlantedThemesTests.classNames))
        var model: ThemeModel?
        while model == nil {
            var first = discovery
            var second = discovery
            for index in 0..<corpus.count {
                let comment = corpus.comment(at: index)
                let item = ThemeComment(text: comment.text, classes: PlantedThemesTests.classes(of: comment))
                if index % 3 == 0 { second.add(item) } else { first.add(item) }
            }
            first.merge(second)
            discovery = first
            model = discovery.finishPass()
        }
        #expect(model?.themes == whole.themes)
        #expect(!whole.themes.isEmpty)
    }

    @Test func driverRowsAddedInSharesAndMergedAreTheSame() throws {
        let corpus = PlantedCommentCorpus(seed: 13, count: 3_000)
        var settings = DriverSettings()
        settings.maximumRows = 1_000
        settings.bootstrapSamples = 50
        let predictors = PlantedCommentCorpus.v1Effects.map { DriverAnalysis.Predictor(name: $0.name) }
        var whole = DriverAnalysis(predictors: predictors, settings: settings)
        var first = whole
        var second = whole
        for index in 0..<corpus.count {
            let comment = corpus.comment(at: index)
            let key = ThemeTally.key(comment.eventId)
            let columns = comment.likert.map(Double.init)
            whole.add(key: key, outcome: Double(comment.trustValue), columns: columns)
            if index < 1_700 {
                first.add(key: key, outcome: Double(comment.trustValue), columns: columns)
            } else {
                second.add(key: key, outcome: Double(comment.trustValue), columns: columns)
            }
        }
        first.merge(second)
        let merged = try #require(first.result())
        #expect(merged == whole.result())
        #expect(merged.n == 1_000)
    }
}
