import Foundation

/// The single scoring path shared by the SentimentScorer service and the CLI.
///
/// For each comment: decide whether it is English (locale first, then ``EnglishDetector``),
/// then compute VADER sentiment and emotions. Non-English comments get `sentiment == nil`,
/// an ``UnscoredReason`` and empty emotions.
public struct CommentScorer: Sendable {
    /// Identifies the algorithms and data behind every result; stored with each score so that
    /// results from different versions are never mixed silently.
    public static let scorerVersion =
        "civic-sentiment/1.0.0 (vaderSentiment-3.3.2; vocabulate-aev-2019-07-30; empath-0.89-subset-1; emotion-rules-1)"

    /// The VADER analyzer in use.
    public let sentimentAnalyzer: VaderSentimentAnalyzer
    /// The emotion analyzer in use.
    public let emotionAnalyzer: EmotionAnalyzer
    /// The language check applied to English-or-unknown locales.
    public let detector: EnglishDetector

    /// Creates a scorer from the bundled data.
    /// - Throws: ``CivicSentimentError`` when the bundled data cannot be loaded.
    public init() throws(CivicSentimentError) {
        try self.init(
            sentimentAnalyzer: VaderSentimentAnalyzer(),
            emotionAnalyzer: EmotionAnalyzer(),
            detector: EnglishDetector()
        )
    }

    /// Creates a scorer from existing analyzers.
    public init(sentimentAnalyzer: VaderSentimentAnalyzer, emotionAnalyzer: EmotionAnalyzer, detector: EnglishDetector) {
        self.sentimentAnalyzer = sentimentAnalyzer
        self.emotionAnalyzer = emotionAnalyzer
        self.detector = detector
    }

    /// Whether a locale tag counts as English: nil, `en`, or `en-*` / `en_*` (case-insensitive).
    public static func isEnglishLocale(_ locale: String?) -> Bool {
        guard let locale else { return true }
        let tag = locale.utf8
        guard tag.count >= 2 else { return false }
        let bytes = Array(tag)
        guard bytes[0] | 0x20 == UInt8(ascii: "e"), bytes[1] | 0x20 == UInt8(ascii: "n") else { return false }
        return bytes.count == 2 || bytes[2] == UInt8(ascii: "-") || bytes[2] == UInt8(ascii: "_")
    }

    /// Scores one comment.
    public func score(_ input: CommentInput) -> ScoredComment {
        guard Self.isEnglishLocale(input.locale) else {
            return unscored(input, .nonEnglishLocale)
        }
        guard detector.verdict(for: input.text) == .english else {
            return unscored(input, .nonEnglishText)
        }
        return ScoredComment(
            id: input.id,
            sentiment: sentimentAnalyzer.polarityScores(input.text),
            unscoredReason: nil,
            emotions: emotionAnalyzer.emotions(in: input.text),
            scorerVersion: Self.scorerVersion
        )
    }

    private func unscored(_ input: CommentInput, _ reason: UnscoredReason) -> ScoredComment {
        ScoredComment(
            id: input.id,
            sentiment: nil,
            unscoredReason: reason,
            emotions: .none,
            scorerVersion: Self.scorerVersion
        )
    }

    /// Scores a batch in parallel across the available cores; results are in input order.
    ///
    /// The batch is cut into contiguous chunks (about four per core, at least 16 comments
    /// each) that run as child tasks of a task group.
    public func score(_ batch: [CommentInput]) async -> [ScoredComment] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = max(16, (batch.count + cores * 4 - 1) / (cores * 4))
        if batch.count <= chunkSize {
            return batch.map(score)
        }
        let chunkStarts = Array(stride(from: 0, to: batch.count, by: chunkSize))
        var chunks = [[ScoredComment]](repeating: [], count: chunkStarts.count)
        await withTaskGroup(of: (Int, [ScoredComment]).self) { group in
            for (chunkIndex, start) in chunkStarts.enumerated() {
                let end = min(start + chunkSize, batch.count)
                let slice = batch[start..<end]
                group.addTask {
                    (chunkIndex, slice.map(score))
                }
            }
            for await (chunkIndex, results) in group {
                chunks[chunkIndex] = results
            }
        }
        return chunks.flatMap { $0 }
    }
}
