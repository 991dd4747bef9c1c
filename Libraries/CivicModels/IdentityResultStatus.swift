/// The outcome of an ``IdentityRequest`` (the `status` of ``IdentityResult``).
package enum IdentityResultStatus: String, FeedbackVocabulary {
    /// The token verified; the result carries the respondent.
    case verified
    /// The token failed verification; ``IdentityResult/refusal`` says why.
    case refused
    /// The request arrived after the service's reply deadline and was not verified.
    case expired
    /// The request could not be read.
    case invalid
}
