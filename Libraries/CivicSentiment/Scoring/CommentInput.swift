/// One comment to score.
public struct CommentInput: Sendable, Hashable, Codable {
    /// The caller's identifier, echoed in the result.
    public var id: CommentID
    /// The comment text.
    public var text: String
    /// BCP 47 language tag of the comment when known (`"en"`, `"en-US"`, `"es-MX"`);
    /// nil means unknown and is treated as English (the text detector still applies).
    public var locale: String?

    /// Creates an input.
    public init(id: CommentID, text: String, locale: String? = nil) {
        self.id = id
        self.text = text
        self.locale = locale
    }
}

/// Why a comment got no sentiment score.
public enum UnscoredReason: String, Sendable, Hashable, Codable {
    /// The supplied locale is not English.
    case nonEnglishLocale = "non_english_locale"
    /// The locale was English or absent, but the text looks like another language.
    case nonEnglishText = "non_english_text"
}

/// The result of scoring one comment.
public struct ScoredComment: Sendable, Hashable, Codable {
    /// The input identifier, unchanged.
    public var id: CommentID
    /// VADER scores, or nil when the comment is not English (see ``unscoredReason``).
    public var sentiment: SentimentScores?
    /// Set exactly when ``sentiment`` is nil.
    public var unscoredReason: UnscoredReason?
    /// Emotions found by the English dictionaries; empty when the comment is unscored.
    public var emotions: EmotionScores
    /// ``CommentScorer/scorerVersion`` of the scorer that produced this result.
    public var scorerVersion: String

    /// Creates a result.
    public init(
        id: CommentID,
        sentiment: SentimentScores?,
        unscoredReason: UnscoredReason?,
        emotions: EmotionScores,
        scorerVersion: String
    ) {
        self.id = id
        self.sentiment = sentiment
        self.unscoredReason = unscoredReason
        self.emotions = emotions
        self.scorerVersion = scorerVersion
    }
}
