import Foundation
import HTTPTypes
import Hummingbird
import ZIPFoundation

/// gzip (RFC 1952) for the form's GET responses (the hosted page, the fragment and both scripts), whose markup
/// shrinks to about a quarter: on a slow link the bytes, not the request, then dominate less. The deflate is zlib's,
/// through ZIPFoundation (already the exports' dependency).
///
/// Only responses that reflect nothing a request chose are compressed, so a token beside attacker-chosen text cannot
/// be guessed from the compressed length (BREACH): the answers to `POST /forms/{key}`, which echo the visitor's
/// answers, never are.
enum FormCompression {
    /// Whether the request's `Accept-Encoding` accepts gzip (`gzip`, `x-gzip` or `*`, with a quality above 0).
    static func acceptsGzip(_ request: Request) -> Bool {
        let values = request.headers[values: .acceptEncoding].joined(separator: ",")
        for entry in values.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { return true }
        }
        return false
    }

    /// `bytes` gzipped, or `nil` when zlib fails.
    static func gzip(_ bytes: [UInt8]) -> [UInt8]? {
        let data = Data(bytes)
        var deflated = Data()
        let checksum: UInt32
        do {
            checksum = try Data.compress(
                size: Int64(data.count),
                bufferSize: 32_768,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) },
                consumer: { deflated.append($0) }
            )
        } catch {
            return nil
        }
        // Header: magic, deflate, no flags, no time, no extra flags, unknown OS; then the raw deflate, CRC-32 and size.
        var output: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]
        output.reserveCapacity(deflated.count + 18)
        output += deflated
        for value in [checksum, UInt32(truncatingIfNeeded: data.count)] {
            output += [
                UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value >> 16),
                UInt8(truncatingIfNeeded: value >> 24),
            ]
        }
        return output
    }

    /// A response of `bytes` with `headers`, gzipped when the request accepts it (and it is smaller). Adds
    /// `Accept-Encoding` to `Vary`.
    static func response(_ status: HTTPResponse.Status, headers: HTTPFields, bytes: [UInt8], for request: Request) -> Response {
        var headers = headers
        headers[.vary] = headers[.vary].map { $0 + ", Accept-Encoding" } ?? "Accept-Encoding"
        if acceptsGzip(request), let compressed = gzip(bytes), compressed.count < bytes.count {
            headers[.contentEncoding] = "gzip"
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: compressed)))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
