import CivicBytes
import Crypto

/// A bearer credential of the form `<prefix>_<key id>_<secret>` (intake's API keys `cpk_…`, reporting's
/// access tokens `crt_…`): the key id (16 hex digits) finds the stored row, and only the secret's
/// SHA-256 digest (64 hex digits of secret) is ever stored, to be compared in constant time.
package struct BearerSecret: Sendable, Equatable {
    /// The public part: it names the credential in logs, lists and revocations.
    package var keyId: String
    /// The secret part, never stored.
    package var secret: String
    /// The credential's type prefix, e.g. `cpk`.
    package var prefix: String

    /// The credential as the holder presents it.
    package var plaintext: String { "\(prefix)_\(keyId)_\(secret)" }

    /// The digest stored in place of the secret.
    package var digest: [UInt8] { Self.digest(secret) }

    /// A new random credential: 64 bits of key id, 256 bits of secret.
    package static func mint(prefix: String) -> BearerSecret {
        BearerSecret(keyId: Hex.encode(randomBytes(8)), secret: Hex.encode(randomBytes(32)), prefix: prefix)
    }

    /// Reads a presented credential; `nil` when it is not `<prefix>_<16 hex>_<64 hex>`.
    package init?(parsing token: Substring, prefix: String) {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == prefix, Self.isHex(parts[1], count: 16), Self.isHex(parts[2], count: 64) else {
            return nil
        }
        self.init(keyId: String(parts[1]), secret: String(parts[2]), prefix: prefix)
    }

    private init(keyId: String, secret: String, prefix: String) {
        self.keyId = keyId
        self.secret = secret
        self.prefix = prefix
    }

    /// Whether `keyId` has the shape of a key id (16 lower-case hex digits).
    package static func isKeyId(_ keyId: some StringProtocol) -> Bool { isHex(keyId, count: 16) }

    /// SHA-256 of a secret's UTF-8 bytes.
    package static func digest(_ secret: some StringProtocol) -> [UInt8] {
        Array(SHA256.hash(data: Array(secret.utf8)))
    }

    /// Whether the presented secret's digest equals the stored one, in constant time.
    package func matches(storedDigest: [UInt8]) -> Bool {
        ConstantTime.equal(storedDigest, digest)
    }

    private static func isHex(_ text: some StringProtocol, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
