import CivicRuntime
import Hummingbird
import ReportingCore

/// Spam review and triage, each needing the admin role in `agency` (403 otherwise; the operators'
/// administration token reads and decides nothing):
///
/// - `GET /v1/spam?agency=X[&limit=N]`: the agency's responses flagged as spam, newest first, with their
///   reasons and redacted comments (``SpamReviewQuery``); each read is recorded in the audit trail with its
///   row count before the rows leave.
/// - `POST /v1/spam/decisions?agency=X` with `{"eventId", "decision": "not_spam" | "spam", "note"?}`: the
///   admin's decision (``SpamTriage``), applied with the aggregates and its audit entry in one transaction;
///   404 for an event the agency does not have.
package struct SpamReviewRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let review: SpamReviewQuery
    let triage: SpamTriage
    let audit: AuditTrail

    package init(review: SpamReviewQuery, triage: SpamTriage, audit: AuditTrail) {
        self.review = review
        self.triage = triage
        self.audit = audit
    }

    /// The answer of the review.
    struct SpamReviewBody: Codable, Sendable, Equatable {
        var agency: String
        var flagged: [SpamReviewQuery.FlaggedResponse]
    }

    /// The body of a decision.
    struct DecisionRequest: Codable, Sendable, Equatable {
        /// The response's event id.
        var eventId: String
        var decision: SpamTriage.Decision
        /// Why, for the audit trail (at most 1,000 characters).
        var note: String?
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("v1/spam") { request, context -> Response in
            let principal = try context.requirePrincipal()
            let parameters = try QueryParameters(request, options: .init(accepted: ["agency", "limit"]))
            let agency = try parameters.requiredText("agency")
            let limit = try parameters.integer("limit", in: 1...1_000) ?? 100
            try principal.require(.admin, in: agency)
            let flagged = try await review.flagged(agency: agency, limit: limit)
            let requestId = HTTPRequestID.make()
            try await audit.record(
                AuditTrail.Entry(
                    actor: principal.actor,
                    action: .spamReview,
                    agency: agency,
                    target: request.uri.path,
                    filter: ["agency": agency, "limit": String(limit)],
                    rows: flagged.count,
                    requestId: requestId
                )
            )
            return try Response.json(SpamReviewBody(agency: agency, flagged: flagged)).with(requestId: requestId)
        }
        router.post("v1/spam/decisions") { request, context -> Response in
            let principal = try context.requirePrincipal()
            let parameters = try QueryParameters(request, options: .init(accepted: ["agency"]))
            let agency = try parameters.requiredText("agency")
            try principal.require(.admin, in: agency)
            let body = try await request.decodeJSON(DecisionRequest.self, limit: 16 * 1024)
            try Self.validate(body)
            let requestId = HTTPRequestID.make()
            guard
                let outcome = try await triage.decide(
                    eventId: body.eventId,
                    agency: agency,
                    decision: body.decision,
                    actor: principal.actor,
                    note: body.note,
                    requestId: requestId
                )
            else {
                throw APIError.notFound("agency \(agency) has no response \(body.eventId)").with(requestId: requestId)
            }
            return try Response.json(outcome).with(requestId: requestId)
        }
    }

    /// The event id and note are plain text of bounded length.
    static func validate(_ body: DecisionRequest) throws(APIError) {
        func plain(_ text: String, _ limit: Int) -> Bool {
            !text.isEmpty && text.utf8.count <= limit && !text.containsControlCharacters
        }
        guard plain(body.eventId, 200) else {
            throw APIError(.badRequest, code: .invalidBody, reason: "eventId: 1 to 200 bytes without control characters", field: "eventId")
        }
        if let note = body.note, !plain(note, 1_000) {
            throw APIError(.badRequest, code: .invalidBody, reason: "note: 1 to 1000 bytes without control characters", field: "note")
        }
    }
}
