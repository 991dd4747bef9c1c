/// How identity-verify describes a respondent (the `status` of ``Respondent``).
package enum RespondentStatus: String, FeedbackVocabulary {
    /// A token that verified; the respondent carries pseudonyms and assurance levels.
    case verified
    /// No token was offered.
    case anonymous
    /// A token that failed verification; ``Respondent/refusal`` says why.
    case refused
}
