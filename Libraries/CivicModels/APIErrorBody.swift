/// The body of every error answer of every HTTP route of every service (4xx and 5xx): one shape, so a
/// client handles errors once.
///
/// ```json
/// {"code": "invalid_parameter", "field": "quarter", "reason": "quarter: \"5\" is not a whole number in 1...4"}
/// ```
package struct APIErrorBody: Codable, Sendable, Hashable {
    /// Machine-readable code, for example `invalid_parameter`, `unauthorized`, `not_found`, `rate_limited`.
    package var code: String
    /// A sentence a person can act on; it names the field when one is to blame.
    package var reason: String
    /// The request parameter or body field at fault, when one is.
    package var field: String?
    /// The request id (also in `X-Request-Id`), on routes that assign one.
    package var requestId: String?

    /// Creates an error body.
    package init(code: String, reason: String, field: String? = nil, requestId: String? = nil) {
        self.code = code
        self.reason = reason
        self.field = field
        self.requestId = requestId
    }
}
