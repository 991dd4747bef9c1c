import CivicRuntime
import Foundation
import Hummingbird

extension Request {
    /// The body as `T`, read up to `limit` bytes.
    /// - Throws: ``APIError`` 400 `invalid_body` when it is not the JSON `T` describes.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = 64 * 1024) async throws -> T {
        let buffer = try await body.collect(upTo: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError(.badRequest, code: .invalidBody, reason: "the body is not the JSON this route takes: \(error)")
        }
    }
}

extension APIError.Code {
    /// A request body that is not the JSON the route takes.
    static let invalidBody: APIError.Code = "invalid_body"
}
