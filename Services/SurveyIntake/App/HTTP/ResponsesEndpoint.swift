import CivicRuntime
import Foundation
import Hummingbird
import Logging
import Metrics

/// `POST /v1/responses` and `POST /v1/operations` (one per ``HTTPItemValidator``): authenticate the API key,
/// read the body, rate-limit the key by the number of items in it (a batch of 50 costs 50 tokens), and hand
/// the body to the ``SubmissionProcessor``.
struct ResponsesEndpoint<Validator: HTTPItemValidator>: Sendable {
    let keys: APIKeyStore
    let limiter: RateLimiter
    let processor: SubmissionProcessor<Validator>
    let hasher: SubmitterHasher
    /// The proxies whose `X-Forwarded-For` is believed.
    let trustedProxies: [IPNetwork]
    let maxBodyBytes: Int
    let logger: Logger

    /// `civic_intake_http_requests_total` by status.
    private let requests = CounterFamily(label: "civic_intake_http_requests_total")

    /// Answers one request; every outcome, including failures, is a response with an `X-Request-Id`.
    func handle(_ request: Request, context: IntakeRequestContext) async -> Response {
        let requestId = HTTPRequestID.make()
        let response: Response
        do {
            response = try await respond(request, context: context, requestId: requestId)
        } catch {
            response = error.with(requestId: requestId).response()
        }
        requests.counter([("status", String(response.status.code))]).increment()
        return response
    }

    private func respond(_ request: Request, context: IntakeRequestContext, requestId: String) async throws(APIError) -> Response {
        let now = Date()
        guard let token = request.bearerToken else { throw .unauthorized }
        let key: APIKeyStore.Key?
        do {
            key = try await keys.authenticate(token)
        } catch {
            logger.error("API key look-up failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard let key else { throw .unauthorized }
        let body = try await HTTPResponses.body(of: request, limit: maxBodyBytes)
        let cost = Self.cost(of: body, maxBatchItems: processor.maxBatchItems)
        switch limiter.take(keyId: key.id, cost: cost) {
        case .allow: break
        case .limit(let seconds): throw .rateLimited(retryAfter: seconds, items: cost)
        case .exceedsCapacity: throw .batchExceedsBurst(items: cost, burst: limiter.capacity)
        }
        let address = ClientAddress.resolve(
            peer: context.remoteAddress?.ipAddress,
            forwardedFor: request.headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value),
            trusted: trustedProxies
        )
        let submission = SubmissionContext(
            agency: key.agency,
            submitter: address.map { hasher.submitter(forAddress: $0) },
            requestId: requestId,
            now: now,
            trace: RequestTrace(traceparent: Self.header("traceparent", of: request), tracestate: Self.header("tracestate", of: request))
        )
        let result = try await processor.process(body: body, in: submission)
        return HTTPResponses.accepted(result)
    }

    /// The value of `request`'s only header `name` (lower case); `nil` when it is absent or repeated.
    static func header(_ name: String, of request: Request) -> String? {
        let values = request.headers.filter { $0.name.canonicalName == name }
        return values.count == 1 ? values[0].value : nil
    }

    /// The rate-limit tokens `body` costs: one per item of an array, one for a single object. An array over
    /// `maxBatchItems` costs one, since it is refused (`too_many_items`) before any item is looked at.
    static func cost(of body: [UInt8], maxBatchItems: Int) -> Int {
        let first = body.first { !(0x20 == $0 || 0x0A == $0 || 0x0D == $0 || 0x09 == $0) }
        guard first == UInt8(ascii: "["), let items = JSONArrayItems.split(body)?.count else { return 1 }
        return (1...maxBatchItems).contains(items) ? items : 1
    }
}
