import CivicBytes
import CivicModels
import Crypto
import Foundation

/// Why a signing or verifying key could not be read.
package struct EventKeyError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the file or the key's position in its list (never the key).
    package var reason: String

    /// An error.
    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}

/// The private key a producer of signed internal events holds (Ed25519, ``EventSignature``): reporting's
/// erasure key (`CIVIC_ERASURE_SIGNING_KEY_FILE`), an agency case system's key.
package struct EventSigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// The key's id (``EventSignature/keyId``), derived from its public key.
    package var keyId: String { EventVerifyingKeys.keyId(of: key.publicKey) }

    /// The public key, base64 of its raw 32 bytes: what consumers configure (`CIVIC_ERASURE_VERIFY_KEYS`,
    /// the case keys file).
    package var publicKeyBase64: String { key.publicKey.rawRepresentation.base64EncodedString() }

    /// A new random key.
    package init() {
        key = Curve25519.Signing.PrivateKey()
    }

    /// The key whose 32-byte seed is `raw`.
    package init(raw: [UInt8]) throws(EventKeyError) {
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        } catch {
            throw EventKeyError("not an Ed25519 private key")
        }
    }

    /// The key in the file at `path`: PEM (`-----BEGIN PRIVATE KEY-----`, PKCS #8 as `openssl genpkey
    /// -algorithm ed25519` writes it) or the base64 of its 32-byte seed. The file must not be readable by
    /// others (mode 0600, 0400 or 0440).
    package init(contentsOf path: String) throws(EventKeyError) {
        guard let permissions = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int else {
            throw EventKeyError("\(path) cannot be read")
        }
        guard permissions & 0o007 == 0 else {
            throw EventKeyError("\(path) is readable by others (mode \(String(permissions, radix: 8))); make it 0600")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw EventKeyError("\(path) cannot be read")
        }
        guard let raw = EventKeyText.privateSeed(text) else {
            throw EventKeyError("\(path) holds neither a PEM Ed25519 private key nor the base64 of a 32-byte seed")
        }
        try self.init(raw: raw)
    }

    /// The key in `text` (an environment variable's value): PEM or the base64 of its 32-byte seed.
    package init(text: String) throws(EventKeyError) {
        guard let raw = EventKeyText.privateSeed(text) else {
            throw EventKeyError("neither a PEM Ed25519 private key nor the base64 of a 32-byte seed")
        }
        try self.init(raw: raw)
    }

    /// Writes the key's seed, base64, to a new file at `path` with mode 0600 (for tests and tools that
    /// make key pairs).
    package func write(to path: String) throws {
        let created = FileManager.default.createFile(
            atPath: path,
            contents: Data((key.rawRepresentation.base64EncodedString() + "\n").utf8),
            attributes: [.posixPermissions: 0o600]
        )
        guard created else { throw EventKeyError("could not write \(path)") }
    }

    /// `event` signed: its ``SignedEvent/signingInput(carried:)`` (timestamps as the producer writes them)
    /// signed, and the signature set.
    package func sign<Event: SignedEvent>(_ event: Event) throws -> Event {
        var signed = event
        signed.signature = nil
        let value = try key.signature(for: signed.signingInput(carried: signed.ownText))
        signed.signature = EventSignature(keyId: keyId, value: value.base64EncodedString())
        return signed
    }
}

/// The text forms of Ed25519 keys: PEM (PKCS #8 private keys, SubjectPublicKeyInfo public keys, RFC 8410)
/// or the base64 of the raw 32 bytes.
enum EventKeyText {
    /// The DER before the 32-byte seed in an Ed25519 PKCS #8 `PrivateKeyInfo`.
    static let privatePrefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
    /// The DER before the 32-byte key in an Ed25519 `SubjectPublicKeyInfo`.
    static let publicPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// The 32-byte seed in `text`, or `nil`.
    static func privateSeed(_ text: String) -> [UInt8]? {
        raw(text, label: "PRIVATE KEY", prefix: privatePrefix)
    }

    /// The 32-byte public key in `text`, or `nil`.
    static func publicKey(_ text: String) -> [UInt8]? {
        raw(text, label: "PUBLIC KEY", prefix: publicPrefix)
    }

    private static func raw(_ text: String, label: String, prefix: [UInt8]) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN \(label)-----") {
            let body = trimmed.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
            guard let der = Data(base64Encoded: body).map({ [UInt8]($0) }), der.count == prefix.count + 32,
                Array(der.prefix(prefix.count)) == prefix
            else { return nil }
            return Array(der.suffix(32))
        }
        guard let bytes = Data(base64Encoded: trimmed).map({ [UInt8]($0) }), bytes.count == 32 else { return nil }
        return bytes
    }
}
