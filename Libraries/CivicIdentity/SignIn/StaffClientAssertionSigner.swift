import CivicTime
import Foundation
import JWTKit

/// Signs `private_key_jwt` client assertions (OpenID Connect Core §9, RFC 7523) with the relying
/// party's private key.
///
/// Each assertion is a JWT with header `alg` (`RS256` for an RSA key, `ES256` for a P-256 key), `kid`
/// and `typ: JWT`, and claims `iss` = `sub` = the client_id, `aud` = the token endpoint URL, a random
/// `jti`, `iat` = now and `exp` = now + 5 minutes. Signing is jwt-kit's.
package final class StaffClientAssertionSigner: Sendable {
    /// The key's `kid`, sent in each assertion's header.
    package let keyID: String
    /// The algorithm the key signs with.
    package let algorithm: SignatureAlgorithm
    /// How long an assertion is valid: 5 minutes.
    package static let lifetime: Duration = .seconds(300)

    private let keys: JWTKeyCollection

    /// Creates a signer from a PEM private key (PKCS#8 or PKCS#1 RSA of 2048 bits or more, or P-256).
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidClientKey``) when the PEM is neither.
    package init(privateKeyPEM pem: String, keyID: String) async throws {
        guard !keyID.isEmpty else {
            throw IdentityError(code: .invalidClientKey, reason: "the client key needs a kid")
        }
        let keys = JWTKeyCollection()
        let kid = JWKIdentifier(string: keyID)
        if let rsa = try? Insecure.RSA.PrivateKey(pem: pem) {
            await keys.add(rsa: rsa, digestAlgorithm: .sha256, kid: kid)
            self.algorithm = .rs256
        } else if let ec = try? ES256PrivateKey(pem: pem) {
            await keys.add(ecdsa: ec, kid: kid)
            self.algorithm = .es256
        } else {
            throw IdentityError(
                code: .invalidClientKey,
                reason: "the client key is not a PEM RSA (2048 bits or more) or P-256 private key"
            )
        }
        self.keyID = keyID
        self.keys = keys
    }

    /// Creates a signer from a PEM file.
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidClientKey``) when the file cannot be read
    ///   or holds no usable key.
    package convenience init(privateKeyPath path: String, keyID: String) async throws {
        let pem: String
        do {
            pem = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw IdentityError(
                code: .invalidClientKey,
                reason: "cannot read the client key file \(path)",
                underlying: SendableErrorDescription(error)
            )
        }
        try await self.init(privateKeyPEM: pem, keyID: keyID)
    }

    /// A fresh client assertion for one token request.
    /// - Parameters:
    ///   - clientID: `iss` and `sub`.
    ///   - tokenEndpoint: `aud`: the token endpoint URL, exactly as configured.
    ///   - now: `iat`. Default: now.
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidClientKey``) if signing fails.
    package func assertion(clientID: String, tokenEndpoint: URL, now: Date = Date()) async throws -> String {
        guard let issuedAt = Int(exactly: now.timeIntervalSince1970.rounded(.down)) else {
            throw IdentityError(code: .invalidClientKey, reason: "the clock's time cannot be a NumericDate")
        }
        let claims = ClientAssertionClaims(
            iss: clientID,
            sub: clientID,
            aud: tokenEndpoint.absoluteString,
            jti: SignInSecrets.randomToken(),
            iat: issuedAt,
            exp: issuedAt + Int(Self.lifetime.wholeSeconds)
        )
        var header = JWTHeader()
        header.typ = "JWT"
        do {
            return try await self.keys.sign(claims, kid: JWKIdentifier(string: self.keyID), header: header)
        } catch {
            throw IdentityError(
                code: .invalidClientKey,
                reason: "cannot sign the client assertion",
                underlying: SendableErrorDescription(error)
            )
        }
    }
}

/// The claims of a client assertion.
struct ClientAssertionClaims: JWTPayload {
    var iss: String
    var sub: String
    var aud: String
    var jti: String
    var iat: Int
    var exp: Int

    /// Nothing to check: this library only signs these.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
