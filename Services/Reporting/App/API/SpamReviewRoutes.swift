import CivicRuntime
import Hummingbird

/// `GET /v1/spam?agency=X[&limit=N]`: the agency's responses flagged as spam, newest first, with their
/// reasons and redacted comments (``SpamReviewQuery``). Needs the admin role in `agency` (403 otherwise;
/// the operators' administration token reads no data), and each read is recorded in the audit trail with
/// its row count before the rows leave.
struct SpamReviewRoutes: RouteGroup {
    typealias Context = ReportingRequestContext

    let review: SpamReviewQuery
    let audit: AuditTrail

    /// The answer.
    struct SpamReviewBody: Codable, Sendable, Equatable {
        var agency: String
        var flagged: [SpamReviewQuery.FlaggedResponse]
    }

    func register(on router: some RouterMethods<ReportingRequestContext>) {
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
    }
}
