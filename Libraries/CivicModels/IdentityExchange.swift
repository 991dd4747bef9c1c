import Foundation

/// A request to the shared identity-verification service on ``CivicTopic/identityRequests``: any caller
/// may ask for a token to be verified and pseudonymised, and reads the answer on
/// ``CivicTopic/identityResults`` by its correlation id.
package struct IdentityRequest: Codable, Sendable, Hashable {
    /// ``SchemaVersion/identityRequest``.
    package var schema: String
    /// The caller's id for this request, echoed in the result.
    package var correlationId: String
    /// The compact-serialised OIDC id_token.
    package var idToken: String
    /// The agency asking, whose policy applies (minimum assurance). Optional.
    package var agency: String?
    /// When the caller sent the request; a request older than the service's reply deadline is answered
    /// `expired` without verifying it.
    package var requestedAt: Date?

    /// Creates a request.
    package init(correlationId: String, idToken: String, agency: String? = nil, requestedAt: Date? = nil) {
        self.schema = SchemaVersion.identityRequest
        self.correlationId = correlationId
        self.idToken = idToken
        self.agency = agency
        self.requestedAt = requestedAt
    }
}

/// The answer to an ``IdentityRequest``. It never carries the token or the subject.
package struct IdentityResult: Codable, Sendable, Hashable {
    /// ``SchemaVersion/identityResult``.
    package var schema: String
    /// The request's correlation id.
    package var correlationId: String
    /// `verified`, `refused`, `expired` (the request missed the deadline) or `invalid` (unreadable request).
    package var status: IdentityResultStatus
    /// The respondent: pseudonyms and assurance, when verified.
    package var respondent: Respondent?
    /// The refusal code, when refused (for example `expired`, `bad_signature`).
    package var refusal: String?
    /// A human-readable reason for any status but `verified`.
    package var reason: String?
    /// When the service answered.
    package var answeredAt: Date

    /// Creates a result.
    package init(
        correlationId: String,
        status: IdentityResultStatus,
        respondent: Respondent? = nil,
        refusal: String? = nil,
        reason: String? = nil,
        answeredAt: Date
    ) {
        self.schema = SchemaVersion.identityResult
        self.correlationId = correlationId
        self.status = status
        self.respondent = respondent
        self.refusal = refusal
        self.reason = reason
        self.answeredAt = answeredAt
    }
}
