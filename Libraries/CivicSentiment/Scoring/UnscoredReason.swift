/// Why a comment got no sentiment score.
package enum UnscoredReason: String, Sendable, Hashable, Codable {
    /// The supplied locale is not English.
    case nonEnglishLocale = "non_english_locale"
    /// The locale was English or absent, but the text looks like another language.
    case nonEnglishText = "non_english_text"
}
