import CivicModels
import CivicRuntime
import Foundation
import Hummingbird

extension Response {
    /// `value` as contract JSON (``CivicJSON``), never cached.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try CivicJSON.makeEncoder().encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// A contract JSON body already encoded, never cached.
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: body))
    }

    /// The response with an `X-Request-Id` header.
    func with(requestId: String) -> Response {
        var response = self
        response.headers[HTTPRequestID.header] = requestId
        return response
    }
}
