extension ScorerInfo {
    /// Why sentiment-scorer left a response without sentiment scores.
    package enum UnscoredReason: String, FeedbackVocabulary {
        /// The response has no comment to score; reporting does not count it as unscored.
        case noComment = "no_comment"
        /// The response's locale is not English.
        case nonEnglishLocale = "non_english_locale"
        /// The locale was English or absent, but the text looks like another language.
        case nonEnglishText = "non_english_text"
    }
}
