import Hummingbird

/// Why survey-intake answered a request with an error status instead of per-item results.
struct IntakeHTTPError: Error, Sendable, Equatable {
    /// The HTTP status.
    var status: HTTPResponse.Status
    /// Machine-readable code (the `code` of ``IntakeErrorBody``).
    var code: String
    /// Human-readable reason.
    var reason: String
    /// Seconds after which a retry can succeed (`Retry-After`), for 429 and 503.
    var retryAfterSeconds: Int?

    static func badRequest(_ code: String, _ reason: String) -> IntakeHTTPError {
        IntakeHTTPError(status: .badRequest, code: code, reason: reason)
    }

    static let unauthorized = IntakeHTTPError(
        status: .unauthorized,
        code: "unauthorized",
        reason: "send an API key as 'Authorization: Bearer <key>'"
    )

    static func tooLarge(limit: Int) -> IntakeHTTPError {
        IntakeHTTPError(status: .contentTooLarge, code: "body_too_large", reason: "the request body exceeds \(limit) bytes")
    }

    static func rateLimited(retryAfter: Int, items: Int) -> IntakeHTTPError {
        IntakeHTTPError(
            status: .tooManyRequests,
            code: "rate_limited",
            reason: "this API key exceeded its rate; \(items) item(s) can be accepted after \(retryAfter) s",
            retryAfterSeconds: retryAfter
        )
    }

    /// A batch with more items than an API key's burst: it can never pass the rate limit, so it is refused
    /// outright (400, no `Retry-After`) and the client splits it.
    static func batchExceedsBurst(items: Int, burst: Int) -> IntakeHTTPError {
        IntakeHTTPError(
            status: .badRequest,
            code: "batch_exceeds_burst",
            reason: "the array has \(items) items; an API key may submit at most \(burst) at once "
                + "(CIVIC_INTAKE_HTTP_BURST); split it into smaller batches"
        )
    }

    static let brokerUnavailable = IntakeHTTPError(
        status: .serviceUnavailable,
        code: "broker_unavailable",
        reason: "the message broker did not acknowledge every item; retry the whole request (items already received come back as duplicate)",
        retryAfterSeconds: 5
    )

    static let databaseUnavailable = IntakeHTTPError(
        status: .serviceUnavailable,
        code: "database_unavailable",
        reason: "the registry could not be read; nothing was published, retry the request",
        retryAfterSeconds: 5
    )
}
