import Foundation
import HTTPTypes

/// Request ids: the `X-Request-Id` header every answer of a route that assigns ids carries.
package enum HTTPRequestID {
    /// The header naming the request id.
    package static let header = HTTPField.Name("X-Request-Id")!

    /// A new request id: a random (version 4) UUID, lower-case. It draws from the system's generator
    /// (`getrandom`) instead of `UUID()`, which on Linux opens and reads `/dev/urandom` every time.
    package static func make() -> String {
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
}
