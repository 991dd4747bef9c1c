// SentimentBench: single-core throughput and linearity of VaderSentimentAnalyzer.
//
//   SentimentBench --corpus FILE.jsonl [--scores OUT.txt] [--min-seconds 2] [--label NAME]
//       Scores every {"id":…,"text":…} line of FILE on the calling thread, repeating the whole
//       corpus until at least --min-seconds have elapsed, and prints texts/s and words/s.
//       --scores writes one line "neg neu pos compound" per text (Python repr form) so that
//       ops/bench/sentiment.sh can compare them with the Python package byte for byte.
//   SentimentBench --linearity
//       Prints time per word for comments of 10, 100, 1,000 and 10,000 words.
import CivicSentiment
import CivicTime
import Foundation

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

func wordCount(_ text: String) -> Int {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count
}

func seconds(_ duration: Duration) -> Double { duration.timeInterval }

func loadCorpus(_ path: String) throws -> [String] {
    let content = try String(contentsOfFile: path, encoding: .utf8)
    var texts: [String] = []
    for line in content.split(separator: "\n", omittingEmptySubsequences: true) {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let text = object["text"] as? String else {
            throw BenchError(description: "corpus \(path): a line without \"text\"")
        }
        texts.append(text)
    }
    guard !texts.isEmpty else { throw BenchError(description: "corpus \(path) is empty") }
    return texts
}

/// Scores `texts` repeatedly for at least `minimum` seconds; returns (texts/s, words/s, checksum).
func measure(_ analyzer: VaderSentimentAnalyzer, _ texts: [String], minimum: Double) -> (Double, Double, Double) {
    let words = texts.reduce(0) { $0 + wordCount($1) }
    var checksum = 0.0
    for text in texts.prefix(2_000) { checksum += analyzer.polarityScores(text).compound }  // warm-up
    let clock = ContinuousClock()
    var rounds = 0
    let start = clock.now
    var elapsed = 0.0
    repeat {
        for text in texts { checksum += analyzer.polarityScores(text).compound }
        rounds += 1
        elapsed = seconds(clock.now - start)
    } while elapsed < minimum
    return (Double(texts.count * rounds) / elapsed, Double(words * rounds) / elapsed, checksum)
}

func linearity(_ analyzer: VaderSentimentAnalyzer) {
    // Comment text built from varied CX sentences, including "but" and emoji.
    let sentences = [
        "The online form kept timing out and I had to start over three times.",
        "The agent was very helpful but the wait was extremely long!",
        "I'm not happy with how long the renewal took, kind of disappointing.",
        "Thank you so much for the quick response 👍",
        "Why is this process so confusing??? Nobody could explain it.",
        "At least the staff were friendly and the office was clean.",
        "It was not bad, but it could be much better.",
        "GREAT service overall, I would recommend it to anyone :)",
    ]
    let pool = sentences.joined(separator: " ").split(separator: " ").map(String.init)
    print("linearity (one core): words  µs/comment  ns/word")
    for size in [10, 100, 1_000, 10_000] {
        var tokens: [String] = []
        while tokens.count < size { tokens += pool }
        let text = tokens.prefix(size).joined(separator: " ")
        let clock = ContinuousClock()
        var iterations = 0
        var checksum = 0.0
        let start = clock.now
        var elapsed = 0.0
        repeat {
            checksum += analyzer.polarityScores(text).compound
            iterations += 1
            elapsed = seconds(clock.now - start)
        } while elapsed < 1.0
        let perComment = elapsed / Double(iterations)
        print(
            String(
                format: "linearity %6d words  %10.2f µs  %7.1f ns/word  (checksum %.4f)",
                size,
                perComment * 1e6,
                perComment * 1e9 / Double(size),
                checksum / Double(iterations)
            )
        )
    }
}

func run() throws {
    var arguments = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        let value = arguments[index + 1]
        arguments.removeSubrange(index...index + 1)
        return value
    }
    let analyzer = try VaderSentimentAnalyzer()
    if arguments.contains("--linearity") {
        linearity(analyzer)
        return
    }
    guard let corpusPath = option("--corpus") else {
        throw BenchError(description: "usage: SentimentBench --corpus FILE.jsonl [--scores OUT] [--min-seconds S] [--label L] | --linearity")
    }
    let label = option("--label") ?? "swift"
    let minimum = Double(option("--min-seconds") ?? "2") ?? 2
    let texts = try loadCorpus(corpusPath)
    if let scoresPath = option("--scores") {
        var out = ""
        for text in texts {
            let s = analyzer.polarityScores(text)
            out += "\(s.neg) \(s.neu) \(s.pos) \(s.compound)\n"
        }
        try out.write(toFile: scoresPath, atomically: true, encoding: .utf8)
    }
    let (textsPerSecond, wordsPerSecond, checksum) = measure(analyzer, texts, minimum: minimum)
    let averageWords = Double(texts.reduce(0) { $0 + wordCount($1) }) / Double(texts.count)
    print(
        String(
            format: "swift %@: %d texts, %.1f words avg: %.0f texts/s, %.0f words/s (checksum %.3f)",
            label,
            texts.count,
            averageWords,
            textsPerSecond,
            wordsPerSecond,
            checksum
        )
    )
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("SentimentBench: \(error)\n".utf8))
    exit(1)
}
