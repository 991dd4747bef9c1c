import CivicHTTP
import Foundation

/// Where an issuer's JSON Web Key Set is read from.
///
/// Keys are never taken from a token's own headers (`jku`, `x5u`, `jwk` are ignored).
package struct JWKSSource: Sendable, CustomStringConvertible {
    enum Backing: Sendable {
        case file(String)
        case url(URL)
        case loader(label: String, @Sendable () async throws -> [UInt8])
    }

    let backing: Backing

    private init(_ backing: Backing) {
        self.backing = backing
    }

    /// A JWKS document in a local file, re-read on every refresh (mount a rotated file and it is picked up).
    package static func file(_ path: String) -> Self { Self(.file(path)) }

    /// A JWKS URL, e.g. `https://secure.login.gov/api/openid_connect/certs`, fetched with `URLSession`.
    /// `https` is required except for loopback hosts or when ``TrustedIssuer/allowsInsecureHTTP`` is set;
    /// a `file://` URL is read directly from disk.
    package static func url(_ url: URL) -> Self { Self(.url(url)) }

    /// Keys supplied by the caller's own loader (e.g. a discovery client or a secret store).
    /// - Parameters:
    ///   - label: A name for logs.
    ///   - loader: Returns the JWKS document's bytes; a thrown error counts as a failed refresh.
    package static func custom(label: String, _ loader: @escaping @Sendable () async throws -> [UInt8]) -> Self {
        Self(.loader(label: label, loader))
    }

    package var description: String {
        switch self.backing {
        case .file(let path): "file:\(path)"
        case .url(let url): url.absoluteString
        case .loader(let label, _): "custom:\(label)"
        }
    }

    func validate(allowingInsecureHTTP: Bool) throws {
        switch self.backing {
        case .file(let path):
            if path.isEmpty {
                throw IdentityError(code: .invalidConfiguration, reason: "JWKS file path must not be empty")
            }
        case .url(let url):
            switch url.scheme?.lowercased() {
            case "https", "file":
                return
            case "http":
                let loopback = LoopbackHost.contains(url.host ?? "")
                if !loopback && !allowingInsecureHTTP {
                    throw IdentityError(
                        code: .invalidConfiguration,
                        reason: "JWKS URL \(url.absoluteString) must use https (or set allowsInsecureHTTP)"
                    )
                }
            default:
                throw IdentityError(
                    code: .invalidConfiguration,
                    reason: "JWKS URL \(url.absoluteString) must be https, http to loopback, or file"
                )
            }
        case .loader:
            return
        }
    }
}
