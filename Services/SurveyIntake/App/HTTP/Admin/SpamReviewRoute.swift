import CivicModels
import CivicRuntime
import Foundation
import Hummingbird

/// `GET /v1/spam?agency=X&limit=N`: the agency's flagged responses for review, newest first.
///
/// Protected by the `CIVIC_INTAKE_ADMIN_TOKEN` bearer token; while no token is configured the route
/// answers 404, as if it did not exist.
struct SpamReviewRoute: Sendable {
    /// Largest `limit` a caller may ask for; the default is 100.
    static let maximumLimit = 1_000

    let store: IntakeStore
    let adminToken: String?

    /// Adds the route to `router`.
    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("v1/spam") { request, _ -> Response in
            try await respond(to: request)
        }
    }

    func respond(to request: Request) async throws -> Response {
        guard let adminToken else {
            return OperationsServer.jsonResponse(.notFound, ["error": "not found"])
        }
        // The same check as the admin routes: both sides hashed, then compared in constant time.
        let presented = HTTPResponses.bearerToken(request).map { APIKeyStore.digest(String($0)) } ?? []
        guard ConstantTime.equal(presented, APIKeyStore.digest(adminToken)) else {
            var response = OperationsServer.jsonResponse(.unauthorized, ["error": "a valid bearer token is required"])
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        let parameters = request.uri.queryParameters
        guard let agency = parameters["agency"].map(String.init), !agency.isEmpty else {
            return OperationsServer.jsonResponse(.badRequest, ["error": "agency: is required"])
        }
        var limit = 100
        if let text = parameters["limit"] {
            guard let value = Int(String(text)), (1...Self.maximumLimit).contains(value) else {
                return OperationsServer.jsonResponse(.badRequest, ["error": "limit: must be a number from 1 to \(Self.maximumLimit)"])
            }
            limit = value
        }
        let body = SpamReviewBody(agency: agency, responses: try await store.flaggedResponses(agency: agency, limit: limit))
        let data = try CivicJSON.makeEncoder().encode(body)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The body of `GET /v1/spam`.
public struct SpamReviewBody: Codable, Sendable {
    /// The agency asked for.
    public var agency: String
    /// Its flagged responses, newest first.
    public var responses: [FlaggedResponse]
}
