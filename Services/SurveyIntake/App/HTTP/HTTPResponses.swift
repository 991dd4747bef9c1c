import Foundation
import HTTPTypes
import Hummingbird

/// JSON answers with the request id header.
enum HTTPResponses {
    /// The header naming the request id.
    static let requestIdHeader = HTTPField.Name("X-Request-Id")!

    /// A JSON response with `status` and `X-Request-Id`.
    static func json(_ status: HTTPResponse.Status, _ body: some Encodable, requestId: String) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[requestIdHeader] = requestId
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The answer to an ``IntakeHTTPError``, with `Retry-After` and `WWW-Authenticate` where they apply.
    static func error(_ error: IntakeHTTPError, requestId: String) -> Response {
        var response = json(error.status, IntakeErrorBody(code: error.code, reason: error.reason, requestId: requestId), requestId: requestId)
        if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    /// The token of an `Authorization: Bearer <token>` header.
    static func bearerToken(_ request: Request) -> Substring? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].drop(while: { $0 == " " })
    }

    /// Collects the body up to `limit` bytes.
    /// - Throws: ``IntakeHTTPError`` 413 when it is larger.
    static func body(of request: Request, limit: Int) async throws(IntakeHTTPError) -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw .tooLarge(limit: limit) }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch {
            throw .tooLarge(limit: limit)
        }
    }
}
