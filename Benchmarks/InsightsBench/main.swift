// InsightsBench: time and memory of comment themes and key drivers over a quarter of generated comments.
//
//   InsightsBench [--comments 1000000] [--steps 4]
//       Generates the planted corpus (PlantedCommentCorpus: 7 themes with noise) of --comments comments, in
//       --steps growing sizes (N/steps, 2N/steps, ..., N), and for each prints: the time to generate the
//       comments once (the stand-in for reading them, paid once per pass), theme discovery (four passes), the
//       tally of every channel cell (one more pass), the v2 key drivers (themes, channel, touchpoint, stage) and
//       the v1 key drivers, the total, and the process's peak resident memory (VmHWM) after the size: flat
//       memory shows as a peak that does not grow with the comments. Also the planted-theme precision and
//       recall of the largest size.
import CivicInsights
import CivicTesting
import Foundation

func peakResidentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.split(separator: " ").compactMap { Double($0) }
        if let kib = digits.first { return kib / 1024 }
    }
    return .nan
}

func seconds(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

var total = 1_000_000
var steps = 4
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--comments": total = arguments.next().flatMap { Int($0) } ?? total
    case "--steps": steps = arguments.next().flatMap { Int($0) } ?? steps
    default:
        print("usage: InsightsBench [--comments N] [--steps S]")
        exit(2)
    }
}

let classNames =
    ["trust:up", "trust:down"] + PlantedCommentCorpus.options.map { "wentWell:\($0)" }
    + PlantedCommentCorpus.options.map { "didNotGoWell:\($0)" }

func classes(_ comment: PlantedCommentCorpus.Comment) -> UInt64 {
    var bits: UInt64 = comment.trustUp ? 1 : 2
    for option in comment.wentWell { if let i = classNames.firstIndex(of: "wentWell:\(option)") { bits |= 1 << UInt64(i) } }
    for option in comment.didNotGoWell { if let i = classNames.firstIndex(of: "didNotGoWell:\(option)") { bits |= 1 << UInt64(i) } }
    return bits
}

print("InsightsBench: \(ProcessInfo.processInfo.activeProcessorCount) cores; one thread")
print("comments  generate/pass  themes(4 passes)  cell tally  drivers v2  drivers v1  total  themes  peak RSS")
for step in 1...max(1, steps) {
    let count = total * step / max(1, steps)
    let corpus = PlantedCommentCorpus(seed: 2026, count: count)
    var generated = 0
    let generate = seconds {
        for index in 0..<count { generated &+= corpus.comment(at: index).text.utf8.count }
    }
    var settings = ThemeSettings()
    settings.minimumCount = 10
    settings.excludedWords = PlantedCommentCorpus.agencyNames
    var model: ThemeModel?
    let themes = seconds {
        model = ThemeExtractor(settings: settings, classNames: classNames).themes {
            (0..<count).lazy.map { index in
                let comment = corpus.comment(at: index)
                return ThemeComment(text: comment.text, classes: classes(comment))
            }
        }
    }
    guard let model else { exit(1) }
    var tallies: [String: ThemeTally] = [:]
    var v2 = DriverAnalysis(
        predictors: model.themes.map { .init(name: "theme:\($0.label)") } + [
            .init(name: "channel", columns: 3), .init(name: "touchpoint", columns: 2), .init(name: "stage", columns: 2),
        ]
    )
    var v1 = DriverAnalysis(predictors: PlantedCommentCorpus.v1Effects.map { .init(name: $0.name) })
    var matcher = ThemeMatcher(model: model)
    let tally = seconds {
        for index in 0..<count {
            let comment = corpus.comment(at: index)
            let found = matcher.themes(of: comment.text)
            let key = ThemeTally.key(comment.eventId)
            tallies[comment.channel, default: ThemeTally(themeCount: model.themes.count, classCount: classNames.count)].add(
                themes: found,
                classes: classes(comment),
                sentiment: comment.sentiment,
                exampleKey: key,
                text: comment.text
            )
        }
    }
    let driversV2 = seconds {
        for index in 0..<count {
            let comment = corpus.comment(at: index)
            let found = matcher.themes(of: comment.text)
            var columns = (0..<model.themes.count).map { found & (1 << UInt64($0)) != 0 ? 1.0 : 0.0 }
            columns += PlantedCommentCorpus.channels.dropFirst().map { $0 == comment.channel ? 1 : 0 }
            columns += PlantedCommentCorpus.touchpoints.dropFirst().map { $0 == comment.touchpoint ? 1 : 0 }
            columns += PlantedCommentCorpus.stages.dropFirst().map { $0 == comment.stage ? 1 : 0 }
            v2.add(key: ThemeTally.key(comment.eventId), outcome: comment.trustUp ? 1 : 0, columns: columns)
        }
        _ = v2.result()
    }
    let driversV1 = seconds {
        for index in 0..<count {
            let comment = corpus.comment(at: index)
            v1.add(key: ThemeTally.key(comment.eventId), outcome: Double(comment.trustValue), columns: comment.likert.map(Double.init))
        }
        _ = v1.result()
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
            peakResidentMiB()
        )
    )
    if step == max(1, steps) {
        for theme in model.themes { print("  theme: \(theme.label) (\(theme.count)) [\(theme.terms.joined(separator: ", "))]") }
        print(
            "  (generation is paid 6 times in the total: 4 discovery passes, the tally and each driver pass; subtract \(String(format: "%.1f", 6 * generate)) s for the analysis alone)"
        )
    }
}
