/// The Kafka topics of the pipeline. Data flows one way: submitted → accepted → verified → scored,
/// with rejections on their own topic and operational events beside the survey flow.
package enum CivicTopic {
    /// Survey responses as agencies publish them (``FeedbackEvent`` with schema ``SchemaVersion/submitted``).
    package static let submitted = "cx.feedback.submitted.v1"
    /// Responses that passed intake validation and de-duplication, keyed by event id.
    package static let accepted = "cx.feedback.accepted.v1"
    /// Responses after identity verification: pseudonymous respondent, PII redacted; keyed by pseudonym.
    package static let verified = "cx.feedback.verified.v1"
    /// Responses with sentiment and emotion scores; downstream consumers subscribe here.
    package static let scored = "cx.feedback.scored.v1"
    /// Input that could not be accepted, with the reason and the original bytes (``RejectedFeedback``).
    package static let rejected = "cx.feedback.rejected.v1"
    /// Contact-centre and digital transactions (``OperationsEvent``) for FCR, AHT and digital adoption.
    package static let operations = "cx.operations.v1"
    /// Identity-verification requests from any caller.
    package static let identityRequests = "cx.identity.requests.v1"
    /// Identity-verification results, correlated with their request.
    package static let identityResults = "cx.identity.results.v1"

    /// Follow-ups for agencies' case systems (``FollowUpOpened``), keyed by case id; reporting opens them.
    package static let followUps = "cx.followup.opened.v1"
    /// Case systems' updates on follow-ups (``CaseUpdate``), keyed by case id; reporting applies them.
    package static let caseUpdates = "cx.followup.cases.v1"
    /// Requests to erase events from every stage (``ErasureRequest``), keyed by agency; every stage consumes it.
    package static let erasures = "cx.privacy.erasures.v1"

    /// The topics whose messages may carry an identity token (an OIDC id_token): created with a short
    /// retention, so a token does not outlive its use on the broker.
    package static let carryingIdentityTokens: Set<String> = [submitted, accepted, identityRequests]

    /// Every topic, for creating them at start-up.
    package static let all = [
        submitted, accepted, verified, scored, rejected, operations, identityRequests, identityResults, erasures, followUps, caseUpdates,
    ]
}

/// Schema identifiers carried in every event's `schema` field. A breaking change is a new version;
/// old versions stay accepted.
package enum SchemaVersion {
    /// A survey response as submitted by an agency.
    package static let submitted = "cx.feedback.submitted/1"
    /// A response accepted by survey-intake.
    package static let accepted = "cx.feedback.accepted/1"
    /// A response after identity-verify.
    package static let verified = "cx.feedback.verified/1"
    /// A response after sentiment-scorer.
    package static let scored = "cx.feedback.scored/1"
    /// A rejected input.
    package static let rejected = "cx.feedback.rejected/1"
    /// An operational (contact-centre or digital transaction) event.
    package static let operations = "cx.operations/1"
    /// A request to identity-verify.
    package static let identityRequest = "cx.identity.request/1"
    /// identity-verify's answer to a request.
    package static let identityResult = "cx.identity.result/1"
    /// A request to erase events from every stage.
    package static let erasure = "cx.privacy.erasure/1"
    /// A follow-up opened for a case system.
    package static let followUpOpened = "cx.followup.opened/1"
    /// A case system's update on a follow-up.
    package static let caseUpdate = "cx.followup.case/1"
}
