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
        guard let presented = Self.bearerToken(request.headers[.authorization]), Self.constantTimeEqual(presented, adminToken) else {
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

    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// Compares without stopping at the first difference, so timing does not reveal the token.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}

/// The body of `GET /v1/spam`.
public struct SpamReviewBody: Codable, Sendable {
    /// The agency asked for.
    public var agency: String
    /// Its flagged responses, newest first.
    public var responses: [FlaggedResponse]
}
