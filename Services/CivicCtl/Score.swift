import ArgumentParser
import CivicSentiment
import Foundation

/// `civicctl score`: the scorer's own code path, for analysts.
struct Score: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score comments for sentiment (VADER-exact) and emotion.",
        discussion: """
            Reads JSON lines {"id": ..., "text": ..., "locale": ...} on standard input and writes one JSON line per \
            input, in order: {"id": ..., "sentiment": {"neg", "neu", "pos", "compound"}, "emotions": {...}}.
            """
    )

    @Option(help: "Score this one text instead of reading standard input.")
    var text: String?

    func run() async throws {
        let scorer = try CommentScorer()
        if let text {
            print(ScoreJSONLines.format(id: "1", scorer.score(text: text, locale: nil)))
            return
        }
        var lines: [[UInt8]] = []
        var firstLine = 1
        do {
            for line in LineReader(FileHandle.standardInput) {
                lines.append(Array(line))
                if lines.count >= 10_000 {
                    for output in try await ScoreJSONLines.score(lines, firstLine: firstLine, with: scorer) { print(output) }
                    firstLine += lines.count
                    lines.removeAll(keepingCapacity: true)
                }
            }
            for output in try await ScoreJSONLines.score(lines, firstLine: firstLine, with: scorer) { print(output) }
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
