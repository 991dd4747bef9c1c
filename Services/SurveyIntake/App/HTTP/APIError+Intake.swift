import CivicModels
import CivicRuntime
import Hummingbird

extension APIError.Code {
    /// The body is larger than `CIVIC_INTAKE_HTTP_MAX_BODY_BYTES`.
    static let bodyTooLarge: Self = "body_too_large"
    /// The API key exceeded its rate.
    static let rateLimited: Self = "rate_limited"
    /// A batch larger than the API key's burst.
    static let batchExceedsBurst: Self = "batch_exceeds_burst"
    /// The broker did not acknowledge every item.
    static let brokerUnavailable: Self = "broker_unavailable"
    /// The registry could not be read.
    static let databaseUnavailable: Self = "database_unavailable"
    /// A batch with no items.
    static let emptyBatch: Self = "empty_batch"
    /// A batch with more items than `CIVIC_INTAKE_HTTP_MAX_BATCH_ITEMS`.
    static let tooManyItems: Self = "too_many_items"
    /// The agency has no key with this id.
    static let unknownKey: Self = "unknown_key"
    /// Another agency is registered under the same code in another case (they would share one topic).
    static let agencyCodeTaken: Self = "agency_code_taken"
}

/// survey-intake's error answers (the body is the services' one ``APIErrorBody``).
extension APIError {
    /// A malformed body (400) with a rejection code such as `not_json`.
    static func badRequest(_ code: Code, _ reason: String, field: String? = nil) -> APIError {
        APIError(.badRequest, code: code, reason: reason, field: field)
    }

    /// A malformed body (400) with the rejection code the validator gave.
    static func badRequest(_ code: RejectionCode, _ reason: String, field: String? = nil) -> APIError {
        badRequest(Code(rawValue: code.rawValue), reason, field: field)
    }

    /// No API key or token, or a wrong one (401).
    static let unauthorized = APIError.unauthorized("send an API key as 'Authorization: Bearer <key>'")

    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: .bodyTooLarge, reason: "the request body exceeds \(limit) bytes")
    }

    static func rateLimited(retryAfter: Int, items: Int) -> APIError {
        APIError(
            .tooManyRequests,
            code: .rateLimited,
            reason: "this API key exceeded its rate; \(items) item(s) can be accepted after \(retryAfter) s",
            retryAfterSeconds: retryAfter
        )
    }

    /// A batch with more items than an API key's burst: it can never pass the rate limit, so it is refused
    /// outright (400, no `Retry-After`) and the client splits it.
    static func batchExceedsBurst(items: Int, burst: Int) -> APIError {
        APIError(
            .badRequest,
            code: .batchExceedsBurst,
            reason: "the array has \(items) items; an API key may submit at most \(burst) at once "
                + "(CIVIC_INTAKE_HTTP_BURST); split it into smaller batches"
        )
    }

    static let brokerUnavailable = APIError(
        .serviceUnavailable,
        code: .brokerUnavailable,
        reason: "the message broker did not acknowledge every item; retry the whole request (items already received come back as duplicate)",
        retryAfterSeconds: 5
    )

    static let databaseUnavailable = APIError(
        .serviceUnavailable,
        code: .databaseUnavailable,
        reason: "the registry could not be read; nothing was published, retry the request",
        retryAfterSeconds: 5
    )
}
