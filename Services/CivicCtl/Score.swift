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
            print(CommentScorer.formatJSONLine(scorer.score(CommentInput(id: .number("1"), text: text))))
            return
        }
        var lines: [String] = []
        for line in LineReader(FileHandle.standardInput) {
            lines.append(String(decoding: line, as: UTF8.self))
            if lines.count >= 10_000 {
                for output in try await scorer.scoreJSONLines(lines) { print(output) }
                lines.removeAll(keepingCapacity: true)
            }
        }
        for output in try await scorer.scoreJSONLines(lines) { print(output) }
    }
}
