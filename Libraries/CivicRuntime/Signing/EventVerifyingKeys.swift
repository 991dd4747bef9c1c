import CivicBytes
import CivicModels
import Crypto
import Foundation

/// The public keys a consumer accepts signed internal events from (``EventSignature``), by key id: several
/// during a rotation (add the new key everywhere, switch the producer to it, then drop the old one).
package struct EventVerifyingKeys: Sendable, Equatable {
    private var keys: [String: Curve25519.Signing.PublicKey] = [:]

    /// No key: every signed event is refused.
    package init() {}

    /// The keys in `publicKeys`, each PEM (`-----BEGIN PUBLIC KEY-----`) or the base64 of its raw 32 bytes.
    package init(publicKeys: [String]) throws(EventKeyError) {
        for (index, text) in publicKeys.enumerated() {
            guard let raw = EventKeyText.publicKey(text), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
                throw EventKeyError("key \(index + 1) is neither a PEM Ed25519 public key nor the base64 of 32 bytes")
            }
            keys[Self.keyId(of: key)] = key
        }
    }

    /// The keys in a comma-separated list (`CIVIC_ERASURE_VERIFY_KEYS`); an empty list holds none.
    package init(list: String) throws(EventKeyError) {
        try self.init(publicKeys: list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// Whether there is no key (every event refused).
    package var isEmpty: Bool { keys.isEmpty }

    /// The keys' ids, sorted.
    package var keyIds: [String] { keys.keys.sorted() }

    /// Two key sets are the same when they hold the same key ids (each a digest of its key).
    package static func == (lhs: EventVerifyingKeys, rhs: EventVerifyingKeys) -> Bool { lhs.keyIds == rhs.keyIds }

    /// `ed25519-` and the first 16 hex digits of the SHA-256 of the raw public key.
    static func keyId(of key: Curve25519.Signing.PublicKey) -> String {
        "ed25519-" + Hex.encode(SHA256.hash(data: key.rawRepresentation).prefix(8))
    }

    /// Why `event`, decoded from `message`, is not signed by one of these keys, or `nil` when it is: it carries
    /// no signature, names another scheme or an unknown key, or the signature does not verify over its
    /// signing input (its timestamps as `message` carries them).
    package func refusal<Event: SignedEvent>(of event: Event, in message: [UInt8]) -> String? {
        guard let signature = event.signature else { return "carries no signature" }
        guard signature.scheme == EventSignature.currentScheme else {
            return "signature scheme \"\(signature.scheme.prefix(80))\" is not \(EventSignature.currentScheme)"
        }
        guard let key = keys[signature.keyId] else { return "is signed by key \"\(signature.keyId.prefix(80))\", which is not trusted here" }
        guard let value = Data(base64Encoded: signature.value), value.count == 64 else {
            return "signature is not the base64 of 64 bytes"
        }
        guard let carried = try? JSONDecoder().decode(Event.CarriedText.self, from: Data(message)) else {
            return "its timestamps cannot be read as text"
        }
        guard key.isValidSignature(value, for: event.signingInput(carried: carried)) else {
            return "signature by key \(signature.keyId) does not verify"
        }
        return nil
    }
}
