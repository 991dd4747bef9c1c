import CivicModels
import CivicRuntime
import Foundation
import Hummingbird

/// `GET /v1/spam?agency=X&limit=N`: the agency's flagged responses for review, newest first; one of the
/// admin routes (``AdminEndpoints``), behind the administration token.
struct SpamReviewRoute<Context: RequestContext>: RouteGroup {
    /// Largest `limit` a caller may ask for; the default is 100.
    static var maximumLimit: Int { 1_000 }

    let store: IntakeStore
    let authorization: AdminAuthorization

    func register(on router: some RouterMethods<Context>) {
        router.get("v1/spam") { request, _ -> Response in try await respond(to: request) }
    }

    func respond(to request: Request) async throws -> Response {
        try authorization.check(request)
        let parameters = try QueryParameters(request)
        let agency = try parameters.requiredText("agency")
        let limit = try parameters.integer("limit", in: 1...Self.maximumLimit) ?? 100
        let body = SpamReviewBody(agency: agency, responses: try await store.flaggedResponses(agency: agency, limit: limit))
        let data = try CivicJSON.makeEncoder().encode(body)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The body of `GET /v1/spam`.
package struct SpamReviewBody: Codable, Sendable {
    /// The agency asked for.
    package var agency: String
    /// Its flagged responses, newest first.
    package var responses: [FlaggedResponse]
}
