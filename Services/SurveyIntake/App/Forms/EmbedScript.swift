import Crypto
import Foundation
import Hummingbird

/// The embed script (`Assets/embed.js`, a resource of this module), served at `GET /forms/embed.js` with an
/// `ETag` and an hour of caching, gzipped (once, at start) for a client that accepts it.
struct EmbedScript: Sendable {
    /// The script's bytes.
    let bytes: [UInt8]
    /// The script gzipped, or `nil` when zlib failed.
    let gzipped: [UInt8]?
    private let etag: String

    /// Reads the script from the module's resources.
    /// - Throws: ``FormAssetError`` when the resource is missing.
    init(bundle: Bundle = .module) throws(FormAssetError) {
        guard let url = bundle.url(forResource: "embed", withExtension: "js", subdirectory: "Assets"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw FormAssetError(reason: "the SurveyIntake resources bundle has no Assets/embed.js") }
        bytes = Array(data)
        gzipped = FormCompression.gzip(bytes)
        etag = SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    /// The script, or 304 when the client has this version (each encoding has its own `ETag`).
    func response(for request: Request) -> Response {
        let gzip = FormCompression.acceptsGzip(request) ? gzipped : nil
        let tag = "\"" + etag + (gzip == nil ? "" : "-gz") + "\""
        var headers: HTTPFields = [.cacheControl: "public, max-age=3600", .eTag: tag, .vary: "Accept-Encoding"]
        if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = "text/javascript; charset=utf-8"
        headers[.xContentTypeOptions] = "nosniff"
        if gzip != nil { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: gzip ?? bytes)))
    }
}

/// A resource of the form that cannot be read.
struct FormAssetError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
