import CivicRuntime
import Foundation
import Hummingbird

/// survey-intake's JSON answers, each with the request id header (errors are ``APIError``).
enum HTTPResponses {
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
        headers[HTTPRequestID.header] = requestId
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Collects the body up to `limit` bytes.
    /// - Throws: ``APIError`` 413 when it is larger.
    static func body(of request: Request, limit: Int) async throws(APIError) -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw .tooLarge(limit: limit) }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch {
            throw .tooLarge(limit: limit)
        }
    }
}
