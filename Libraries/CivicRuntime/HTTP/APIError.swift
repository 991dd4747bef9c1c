import CivicModels
import Foundation
import Hummingbird

/// Why a route answered with an error status: the one error type of every service's HTTP routes.
///
/// Thrown from a route (it is Hummingbird's `HTTPResponseError`) or turned into a response with
/// ``response()``; either way the body is an `APIErrorBody` (CivicModels), with `Retry-After` when a retry can
/// succeed later, `WWW-Authenticate: Bearer` on 401, and `X-Request-Id` when the route assigned one.
package struct APIError: HTTPResponseError, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status.
    package var status: HTTPResponse.Status
    /// Machine-readable code (the body's `code`).
    package var code: Code
    /// A sentence a person can act on.
    package var reason: String
    /// The parameter or body field at fault, when one is.
    package var field: String?
    /// The request id, on routes that assign one.
    package var requestId: String?
    /// Seconds after which a retry can succeed (`Retry-After`), for 429 and 503.
    package var retryAfterSeconds: Int?

    /// A machine-readable error code: the routes' shared codes are static members, and a service adds
    /// its own in an extension.
    package struct Code: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        package var rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package init(stringLiteral value: String) { rawValue = value }
        package var description: String { rawValue }

        /// A query parameter is unknown, repeated, empty, missing or out of range.
        package static let invalidParameter: Code = "invalid_parameter"
        /// No credential, or one that is not valid.
        package static let unauthorized: Code = "unauthorized"
        /// The credential is valid but does not allow this.
        package static let forbidden: Code = "forbidden"
        /// No such resource.
        package static let notFound: Code = "not_found"
        /// The figure or rows asked for are suppressed (too few responses to publish).
        package static let suppressed: Code = "suppressed"
        /// The service failed to answer (the error is logged, not shown).
        package static let internalError: Code = "internal_error"
    }

    /// Creates an error.
    package init(
        _ status: HTTPResponse.Status,
        code: Code,
        reason: String,
        field: String? = nil,
        requestId: String? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.reason = reason
        self.field = field
        self.requestId = requestId
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A bad query parameter (400 `invalid_parameter`); `reason` starts with the parameter's name.
    package static func invalidParameter(_ field: String, _ reason: String) -> APIError {
        APIError(.badRequest, code: .invalidParameter, reason: reason, field: field)
    }

    /// No credential or a wrong one (401 `unauthorized`).
    package static func unauthorized(_ reason: String) -> APIError {
        APIError(.unauthorized, code: .unauthorized, reason: reason)
    }

    /// A valid credential that does not allow this (403 `forbidden`).
    package static func forbidden(_ reason: String) -> APIError {
        APIError(.forbidden, code: .forbidden, reason: reason)
    }

    /// A route that does not exist, or must look as if it did not (404 `not_found`).
    package static func notFound(_ reason: String = "not found") -> APIError {
        APIError(.notFound, code: .notFound, reason: reason)
    }

    /// The same error, carrying `requestId`.
    package func with(requestId: String?) -> APIError {
        var error = self
        error.requestId = requestId
        return error
    }

    /// The body.
    package var body: APIErrorBody {
        APIErrorBody(code: code.rawValue, reason: reason, field: field, requestId: requestId)
    }

    package var description: String { "\(status.code) \(code): \(reason)" }

    /// The JSON answer, with `Retry-After`, `WWW-Authenticate` and `X-Request-Id` where they apply.
    package func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let requestId { headers[HTTPRequestID.header] = requestId }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }
}
