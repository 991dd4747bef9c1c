import Foundation

/// The single scoring path shared by the SentimentScorer service and the CLI.
///
/// For each comment: decide whether it is English (locale first, then ``EnglishDetector``),
/// then compute VADER sentiment and emotions. Non-English comments get `sentiment == nil`,
/// an ``UnscoredReason`` and empty emotions.
package struct CommentScorer: Sendable {
    /// Identifies the algorithms and data behind every result; stored with each score so that
    /// results from different versions are never mixed silently.
    package static let scorerVersion =
        "civic-sentiment/1.0.0 (vaderSentiment-3.3.2; vocabulate-aev-2019-07-30; empath-0.89-subset-1; emotion-rules-1)"

    /// The VADER analyzer in use.
    package let sentimentAnalyzer: VaderSentimentAnalyzer
    /// The emotion analyzer in use.
    package let emotionAnalyzer: EmotionAnalyzer
    /// The language check applied to English-or-unknown locales.
    package let detector: EnglishDetector

    /// Creates a scorer from the bundled data.
    /// - Throws: ``CivicSentimentError`` when the bundled data cannot be loaded.
    package init() throws(CivicSentimentError) {
        try self.init(
            sentimentAnalyzer: VaderSentimentAnalyzer(),
            emotionAnalyzer: EmotionAnalyzer(),
            detector: EnglishDetector()
        )
    }

    /// Creates a scorer from existing analyzers.
    package init(sentimentAnalyzer: VaderSentimentAnalyzer, emotionAnalyzer: EmotionAnalyzer, detector: EnglishDetector) {
        self.sentimentAnalyzer = sentimentAnalyzer
        self.emotionAnalyzer = emotionAnalyzer
        self.detector = detector
    }

    /// Whether a locale tag counts as English: nil, `en`, or `en-*` / `en_*` (case-insensitive).
    package static func isEnglishLocale(_ locale: String?) -> Bool {
        guard let locale else { return true }
        let tag = locale.utf8
        guard tag.count >= 2 else { return false }
        let bytes = Array(tag)
        guard bytes[0] | 0x20 == UInt8(ascii: "e"), bytes[1] | 0x20 == UInt8(ascii: "n") else { return false }
        return bytes.count == 2 || bytes[2] == UInt8(ascii: "-") || bytes[2] == UInt8(ascii: "_")
    }

    /// Scores one comment text with its BCP 47 locale (nil means unknown, treated as English).
    package func score(text: String, locale: String?) -> CommentScore {
        guard Self.isEnglishLocale(locale) else {
            return unscored(.nonEnglishLocale)
        }
        guard detector.verdict(for: text) == .english else {
            return unscored(.nonEnglishText)
        }
        return CommentScore(
            sentiment: sentimentAnalyzer.polarityScores(text),
            unscoredReason: nil,
            emotions: emotionAnalyzer.emotions(in: text),
            scorerVersion: Self.scorerVersion
        )
    }

    private func unscored(_ reason: UnscoredReason) -> CommentScore {
        CommentScore(sentiment: nil, unscoredReason: reason, emotions: .none, scorerVersion: Self.scorerVersion)
    }

    /// Scores comment texts in parallel, positionally: result `i` belongs to `texts[i]`, and there is
    /// exactly one result per text. `locales[i]`, when `locales` is given, is the BCP 47 tag of `texts[i]`
    /// (nil means unknown, treated as English); a text without an entry in `locales` (none given, or
    /// `locales` shorter than `texts`) is of unknown locale.
    package func scores(_ texts: [String], locales: [String?]? = nil) async -> [CommentScore] {
        await parallelMap(texts.indices) { index in
            let locale = locales.flatMap { index < $0.count ? $0[index] : nil }
            return score(text: texts[index], locale: locale)
        }
    }

    /// Applies `transform` to each index in parallel across the available cores; results are in index order.
    ///
    /// The indices are cut into contiguous chunks (about four per core, at least 16 each) that run as
    /// child tasks of a task group.
    private func parallelMap<Result: Sendable>(
        _ indices: Range<Int>,
        _ transform: @escaping @Sendable (Int) -> Result
    ) async -> [Result] {
        let count = indices.count
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = max(16, (count + cores * 4 - 1) / (cores * 4))
        if count <= chunkSize {
            return indices.map(transform)
        }
        let chunkStarts = Array(stride(from: indices.lowerBound, to: indices.upperBound, by: chunkSize))
        var chunks = [[Result]](repeating: [], count: chunkStarts.count)
        await withTaskGroup(of: (Int, [Result]).self) { group in
            for (chunkIndex, start) in chunkStarts.enumerated() {
                let end = min(start + chunkSize, indices.upperBound)
                group.addTask {
                    (chunkIndex, (start..<end).map(transform))
                }
            }
            for await (chunkIndex, results) in group {
                chunks[chunkIndex] = results
            }
        }
        return chunks.flatMap { $0 }
    }
}
