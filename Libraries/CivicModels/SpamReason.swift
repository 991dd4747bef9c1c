/// Why survey-intake flagged a response as spam (the `reasons` of ``SpamAssessment``).
package enum SpamReason: String, FeedbackVocabulary {
    /// The hidden honeypot field was filled in.
    case honeypot
    /// The submitter sent more responses than the source limit allows within the window.
    case sourceRate = "source_rate"
    /// The same comment was repeated for the agency within the window.
    case repeatedText = "repeated_text"
    /// The comment is stuffed with links.
    case linkStuffing = "link_stuffing"
}
