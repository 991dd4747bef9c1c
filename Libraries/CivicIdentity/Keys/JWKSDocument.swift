import Foundation
import JWTKit
import Logging

/// Parses a JWKS document into verification keys, skipping keys that cannot be used.
///
/// A key is used when it has a non-empty `kid`, `use` is absent or `sig`, and it is either an RSA
/// key (≥ 2048 bits, `alg` absent or `RS256`) or an EC P-256 key (`alg` absent or `ES256`), and its
/// algorithm is allowed. Private-key members (`d`, `p`, `q`, …) are ignored: only public parts are read.
enum JWKSDocument {
    /// Lenient view of one JWK: a member of the wrong type makes only that key unusable.
    private struct RawKey: Decodable {
        var kty: String?
        var kid: String?
        var use: String?
        var alg: String?
        var crv: String?
        var n: String?
        var e: String?
        var x: String?
        var y: String?

        private enum CodingKeys: String, CodingKey {
            case kty, kid, use, alg, crv, n, e, x, y
        }

        init(from decoder: any Decoder) throws {
            guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
            func string(_ key: CodingKeys) -> String? {
                (try? container.decodeIfPresent(String.self, forKey: key)) ?? nil
            }
            self.kty = string(.kty)
            self.kid = string(.kid)
            self.use = string(.use)
            self.alg = string(.alg)
            self.crv = string(.crv)
            self.n = string(.n)
            self.e = string(.e)
            self.x = string(.x)
            self.y = string(.y)
        }
    }

    private struct RawSet: Decodable {
        var keys: [RawKey]
    }

    /// Parses `bytes`.
    /// - Returns: keys grouped by `kid` (a `kid` may name one RSA and one EC key).
    /// - Throws: ``IdentityError`` (``IdentityError/Code/jwksInvalid``) when the document is not a
    ///   JWKS or holds no usable key.
    static func parse(
        _ bytes: [UInt8],
        allowedAlgorithms: Set<SignatureAlgorithm>,
        logger: Logger
    ) async throws -> [String: [VerificationKey]] {
        let set: RawSet
        do {
            set = try JSONDecoder().decode(RawSet.self, from: Data(bytes))
        } catch {
            throw IdentityError(code: .jwksInvalid, reason: "not a JWKS document (expected {\"keys\": [...]})")
        }
        var keys: [String: [VerificationKey]] = [:]
        var skipped = 0
        for raw in set.keys {
            guard let key = await self.makeKey(raw, allowedAlgorithms: allowedAlgorithms) else {
                skipped += 1
                continue
            }
            var existing = keys[key.keyID, default: []]
            if existing.contains(where: { $0.algorithm == key.algorithm }) {
                // Two keys with the same kid and type are ambiguous; keep the first.
                skipped += 1
                continue
            }
            existing.append(key)
            keys[key.keyID] = existing
        }
        if skipped > 0 {
            logger.debug(
                "Skipped unusable JWKS entries",
                metadata: [IdentityLogKey.skippedKeys: "\(skipped)"]
            )
        }
        if keys.isEmpty {
            throw IdentityError(code: .jwksInvalid, reason: "the JWKS holds no usable signing key")
        }
        return keys
    }

    private static func makeKey(_ raw: RawKey, allowedAlgorithms: Set<SignatureAlgorithm>) async -> VerificationKey? {
        guard let kid = raw.kid, !kid.isEmpty else { return nil }
        if let use = raw.use, use != "sig" { return nil }
        let jwk: JWK
        let algorithm: SignatureAlgorithm
        switch raw.kty {
        case "RSA":
            guard raw.alg == nil || raw.alg == SignatureAlgorithm.rs256.rawValue,
                let n = raw.n, let e = raw.e, !n.isEmpty, !e.isEmpty
            else { return nil }
            algorithm = .rs256
            jwk = .rsa(.rs256, identifier: JWKIdentifier(string: kid), modulus: n, exponent: e)
        case "EC":
            guard raw.alg == nil || raw.alg == SignatureAlgorithm.es256.rawValue,
                raw.crv == "P-256",
                let x = raw.x, let y = raw.y
            else { return nil }
            algorithm = .es256
            jwk = .ecdsa(.es256, identifier: JWKIdentifier(string: kid), x: x, y: y, curve: .p256)
        default:
            return nil
        }
        guard allowedAlgorithms.contains(algorithm) else { return nil }
        do {
            // A collection per key: jwt-kit builds and validates the key (RSA < 2048 bits is refused).
            let collection = JWTKeyCollection()
            try await collection.add(jwk: jwk)
            let verifier = try await collection.getKey(for: JWKIdentifier(string: kid), alg: algorithm.rawValue)
            guard verifier.name == algorithm.rawValue else { return nil }
            return VerificationKey(keyID: kid, algorithm: algorithm, verifier: verifier)
        } catch {
            return nil
        }
    }
}
