/// The score of one comment, without an identifier: the result of the positional batch API
/// ``CommentScorer/scores(_:)``, where a result's position names its comment.
package struct CommentScore: Sendable, Hashable {
    /// VADER scores, or nil when the comment is not English (see ``unscoredReason``).
    package var sentiment: SentimentScores?
    /// Set exactly when ``sentiment`` is nil.
    package var unscoredReason: UnscoredReason?
    /// Emotions found by the English dictionaries; empty when the comment is unscored.
    package var emotions: EmotionScores
    /// ``CommentScorer/scorerVersion`` of the scorer that produced this result.
    package var scorerVersion: String

    /// Creates a result.
    package init(sentiment: SentimentScores?, unscoredReason: UnscoredReason?, emotions: EmotionScores, scorerVersion: String) {
        self.sentiment = sentiment
        self.unscoredReason = unscoredReason
        self.emotions = emotions
        self.scorerVersion = scorerVersion
    }
}
