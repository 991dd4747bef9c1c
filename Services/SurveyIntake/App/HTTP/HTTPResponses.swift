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
        return json(status, bytes: data, requestId: requestId)
    }

    /// A submission's `202 Accepted` answer with `X-Request-Id`.
    static func accepted(_ result: SubmissionResult) -> Response {
        json(.accepted, bytes: result.json(), requestId: result.requestId)
    }

    private static func json(_ status: HTTPResponse.Status, bytes: some Sequence<UInt8>, requestId: String) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[requestIdHeader] = requestId
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A new request id: a random (version 4) UUID, lower-case. It draws from the system's generator
    /// (`getrandom`) instead of `UUID()`, which on Linux opens and reads `/dev/urandom` every time.
    static func newRequestId() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<2).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64, Array.init) }
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
        return uuid.uuidString.lowercased()
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
