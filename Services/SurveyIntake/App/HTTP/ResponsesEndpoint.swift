import Foundation
import Hummingbird
import Logging
import Metrics

/// `POST /v1/responses` and `POST /v1/operations` (one per ``HTTPItemValidator``): authenticate the API key,
/// rate-limit it, read the body, and hand it to the ``SubmissionProcessor``.
struct ResponsesEndpoint<Validator: HTTPItemValidator>: Sendable {
    let keys: APIKeyStore
    let limiter: RateLimiter
    let processor: SubmissionProcessor<Validator>
    let hasher: SubmitterHasher
    let maxBodyBytes: Int
    let logger: Logger

    /// Answers one request; every outcome, including failures, is a response with an `X-Request-Id`.
    func handle(_ request: Request, context: IntakeRequestContext) async -> Response {
        let requestId = UUID().uuidString.lowercased()
        let response: Response
        do {
            response = try await respond(request, context: context, requestId: requestId)
        } catch {
            response = HTTPResponses.error(error, requestId: requestId)
        }
        Counter(label: "civic_intake_http_requests_total", dimensions: [("status", "\(response.status.code)")]).increment()
        return response
    }

    private func respond(_ request: Request, context: IntakeRequestContext, requestId: String) async throws(IntakeHTTPError) -> Response {
        let now = Date()
        guard let token = HTTPResponses.bearerToken(request) else { throw .unauthorized }
        let key: APIKeyStore.Key?
        do {
            key = try await keys.authenticate(token)
        } catch {
            logger.error("API key look-up failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard let key else { throw .unauthorized }
        if case .limit(let seconds) = limiter.take(keyId: key.id) { throw .rateLimited(retryAfter: seconds) }
        let body = try await HTTPResponses.body(of: request, limit: maxBodyBytes)
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        let submission = SubmissionContext(
            agency: key.agency,
            submitter: hasher.submitter(forAddress: address),
            requestId: requestId,
            now: now
        )
        let result = try await processor.process(body: body, in: submission)
        return HTTPResponses.json(.accepted, result, requestId: requestId)
    }
}
