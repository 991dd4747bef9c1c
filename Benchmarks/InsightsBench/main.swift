// InsightsBench: time and memory of comment themes and key drivers over a quarter of generated comments.
//
//   InsightsBench [--comments 1000000] [--steps 2] [--threads 2]
//       Generates the planted corpus (PlantedCommentCorpus: 7 themes with noise) of --comments comments, in
//       --steps growing sizes (N/steps, 2N/steps, ..., N), and for each prints: the time to generate the
//       comments once on one thread (the stand-in for reading them, paid once per pass), theme discovery (four
//       passes), the tally of every channel cell (one more pass), the v2 key drivers (themes, channel,
//       touchpoint, stage) and the v1 key drivers, the total, and the process's peak resident memory (VmHWM)
//       after the size: flat memory shows as a peak that does not grow with the comments. Each pass splits the
//       comments into --threads shares counted at once and merged (ThemeDiscovery.merge, ThemeTally.merge,
//       DriverAnalysis.merge).
import CivicInsights
import CivicTesting
import Foundation

enum Bench {
    static let classNames =
        ["trust:up", "trust:down"] + PlantedCommentCorpus.options.map { "wentWell:\($0)" }
        + PlantedCommentCorpus.options.map { "didNotGoWell:\($0)" }

    static func classes(_ comment: PlantedCommentCorpus.Comment) -> UInt64 {
        var bits: UInt64 = comment.trustUp ? 1 : 2
        for option in comment.wentWell { if let i = classNames.firstIndex(of: "wentWell:\(option)") { bits |= 1 << UInt64(i) } }
        for option in comment.didNotGoWell { if let i = classNames.firstIndex(of: "didNotGoWell:\(option)") { bits |= 1 << UInt64(i) } }
        return bits
    }

    static func seconds(_ body: () async -> Void) async -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        await body()
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `body` over each share of `0..<count`, at once; the results in share order.
    static func shares<T: Sendable>(_ count: Int, _ threads: Int, _ body: @escaping @Sendable (Range<Int>) -> T) async -> [T] {
        let parts = max(1, threads)
        let ranges = (0..<parts).map { (count * $0 / parts)..<(count * ($0 + 1) / parts) }
        return await withTaskGroup(of: (Int, T).self) { group in
            for (index, range) in ranges.enumerated() { group.addTask { (index, body(range)) } }
            var results: [(Int, T)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func v2Predictors(_ model: ThemeModel) -> [DriverAnalysis.Predictor] {
        model.themes.map { .init(name: "theme:\($0.label)") } + [
            .init(name: "channel", columns: 3), .init(name: "touchpoint", columns: 2), .init(name: "stage", columns: 2),
        ]
    }
}

var total = 1_000_000
var steps = 2
var threads = 2
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--comments": total = arguments.next().flatMap { Int($0) } ?? total
    case "--steps": steps = arguments.next().flatMap { Int($0) } ?? steps
    case "--threads": threads = arguments.next().flatMap { Int($0) } ?? threads
    default:
        print("usage: InsightsBench [--comments N] [--steps S] [--threads T]")
        exit(2)
    }
}
let shareCount = threads

print("InsightsBench: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(shareCount) threads")
print("comments  generate/pass  themes(4 passes)  cell tally  drivers v2  drivers v1  total  themes  peak RSS")
for step in 1...max(1, steps) {
    let count = total * step / max(1, steps)
    let corpus = PlantedCommentCorpus(seed: 2026, count: count)
    let generate = await Bench.seconds {
        var bytes = 0
        for index in 0..<count { bytes &+= corpus.comment(at: index).text.utf8.count }
        if bytes == 0 { print("empty corpus") }
    }
    var settings = ThemeSettings()
    settings.minimumCount = 10
    settings.excludedWords = PlantedCommentCorpus.agencyNames
    let extractor = ThemeExtractor(settings: settings, classNames: Bench.classNames)
    var found: ThemeModel?
    let themes = await Bench.seconds {
        var discovery = ThemeDiscovery(extractor: extractor)
        while found == nil {
            let start = discovery
            let parts = await Bench.shares(count, shareCount) { range in
                var part = start
                for index in range {
                    let comment = corpus.comment(at: index)
                    part.add(ThemeComment(text: comment.text, classes: Bench.classes(comment)))
                }
                return part
            }
            discovery = parts[0]
            for part in parts.dropFirst() { discovery.merge(part) }
            found = discovery.finishPass()
        }
    }
    guard let model = found else { exit(1) }
    let tally = await Bench.seconds {
        let parts = await Bench.shares(count, shareCount) { range -> [String: ThemeTally] in
            var matcher = ThemeMatcher(model: model)
            var tallies: [String: ThemeTally] = [:]
            for index in range {
                let comment = corpus.comment(at: index)
                tallies[comment.channel, default: ThemeTally(themeCount: model.themes.count, classCount: Bench.classNames.count)].add(
                    themes: matcher.themes(of: comment.text),
                    classes: Bench.classes(comment),
                    sentiment: comment.sentiment,
                    exampleKey: ThemeTally.key(comment.eventId),
                    text: comment.text
                )
            }
            return tallies
        }
        var tallies = parts[0]
        for part in parts.dropFirst() {
            for (channel, theirs) in part {
                tallies[channel, default: ThemeTally(themeCount: model.themes.count, classCount: Bench.classNames.count)].merge(theirs)
            }
        }
        if tallies.isEmpty { print("no tallies") }
    }
    let driversV2 = await Bench.seconds {
        let parts = await Bench.shares(count, shareCount) { range -> DriverAnalysis in
            var matcher = ThemeMatcher(model: model)
            var analysis = DriverAnalysis(predictors: Bench.v2Predictors(model))
            for index in range {
                let comment = corpus.comment(at: index)
                let found = matcher.themes(of: comment.text)
                var columns = (0..<model.themes.count).map { found & (1 << UInt64($0)) != 0 ? 1.0 : 0.0 }
                columns += PlantedCommentCorpus.channels.dropFirst().map { $0 == comment.channel ? 1 : 0 }
                columns += PlantedCommentCorpus.touchpoints.dropFirst().map { $0 == comment.touchpoint ? 1 : 0 }
                columns += PlantedCommentCorpus.stages.dropFirst().map { $0 == comment.stage ? 1 : 0 }
                analysis.add(key: ThemeTally.key(comment.eventId), outcome: comment.trustUp ? 1 : 0, columns: columns)
            }
            return analysis
        }
        var analysis = parts[0]
        for part in parts.dropFirst() { analysis.merge(part) }
        if analysis.result() == nil { print("no v2 result") }
    }
    let driversV1 = await Bench.seconds {
        let parts = await Bench.shares(count, shareCount) { range -> DriverAnalysis in
            var analysis = DriverAnalysis(predictors: PlantedCommentCorpus.v1Effects.map { .init(name: $0.name) })
            for index in range {
                let comment = corpus.comment(at: index)
                analysis.add(key: ThemeTally.key(comment.eventId), outcome: Double(comment.trustValue), columns: comment.likert.map(Double.init))
            }
            return analysis
        }
        var analysis = parts[0]
        for part in parts.dropFirst() { analysis.merge(part) }
        if analysis.result() == nil { print("no v1 result") }
    }
    let sum = themes + tally + driversV2 + driversV1
    print(
        String(
            format: "%8d  %12.2fs  %15.2fs  %9.2fs  %9.2fs  %9.2fs  %5.1fs  %6d  %7.0f MiB",
            count,
            generate,
            themes,
            tally,
            driversV2,
            driversV1,
            sum,
            model.themes.count,
            ProcessMemory.peakResidentMiB()
        )
    )
    if step == max(1, steps) {
        for theme in model.themes { print("  theme: \(theme.label) (\(theme.count)) [\(theme.terms.joined(separator: ", "))]") }
        print(
            "  (each of the 7 passes generates the comments again, over \(shareCount) threads: about \(String(format: "%.1f", 7 * generate / Double(max(1, shareCount)))) s of the total)"
        )
    }
}
