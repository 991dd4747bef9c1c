import Crypto

/// A PKCE code verifier and its S256 challenge (RFC 7636).
///
/// The verifier is the secret the caller keeps (in the server-side session) from the authorization
/// request until the token request; only the challenge travels in the authorization URL.
package struct PKCECodeVerifier: Sendable, Hashable {
    /// The verifier: 43 to 128 characters from the unreserved set `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1).
    package let value: String

    /// A fresh verifier: 32 bytes from the system's secure generator, base64url-encoded (43 characters,
    /// 256 bits of entropy, as RFC 7636 §7.1 recommends).
    package init() {
        self.value = SignInSecrets.randomToken(byteCount: 32)
    }

    /// A verifier kept earlier (e.g. read back from a session).
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidConfiguration``) when `value` is not
    ///   43 to 128 unreserved characters.
    package init(_ value: String) throws {
        let bytes = Array(value.utf8)
        guard (43...128).contains(bytes.count), bytes.allSatisfy(FormEncoding.isUnreserved) else {
            throw IdentityError(
                code: .invalidConfiguration,
                reason: "a PKCE code verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~"
            )
        }
        self.value = value
    }

    /// The S256 code challenge: `BASE64URL(SHA256(ASCII(verifier)))`, without padding (RFC 7636 §4.2).
    package var challenge: String {
        Base64URL.encode(Array(SHA256.hash(data: Array(self.value.utf8))))
    }

    /// The challenge method sent with ``challenge``: always `S256` (`plain` is never used).
    package static let challengeMethod = "S256"
}
