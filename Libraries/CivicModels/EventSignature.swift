import CivicJSON
import Foundation

/// Proof of origin of an internal event that changes stored data (``ErasureRequest``, ``CaseUpdate``): an
/// Ed25519 signature over the event's canonical signing input (``SignedEvent/signingInput(carried:)``) by a
/// key its consumers hold the public half of. A consumer refuses (`unauthenticated_request`) an event without
/// one, with an unknown scheme or key, or whose signature does not verify, and changes nothing.
package struct EventSignature: Codable, Sendable, Hashable {
    /// The one scheme: Ed25519 over ``SignedEvent/signingInput(carried:)``. A new canonical form gets a new
    /// scheme name, and consumers refuse a scheme they do not know.
    package static let currentScheme = "ed25519-canonical-json/1"

    /// ``currentScheme``.
    package var scheme: String
    /// The signing key's id: `ed25519-` and the first 16 hex digits of the SHA-256 of its raw 32-byte public
    /// key, so a consumer finds the public key among the ones it holds (several during a rotation).
    package var keyId: String
    /// The 64-byte Ed25519 signature, base64.
    package var value: String

    /// A signature.
    package init(scheme: String = EventSignature.currentScheme, keyId: String, value: String) {
        self.scheme = scheme
        self.keyId = keyId
        self.value = value
    }
}

/// An event its producer signs (``EventSignature``). The signature covers every field of the event but
/// `signature` itself, written as canonical JSON: one object, keys in the order of their UTF-8 bytes, no
/// whitespace, strings escaped as ``JSONWriter`` escapes them (`\"`, `\\`, `\b \t \n \f \r`, other control
/// characters as `\u00xx`, everything else as its UTF-8), and each timestamp as the exact text the message
/// carries. The signing input is the UTF-8 of `ed25519-canonical-json/1`, a line feed, and that JSON.
package protocol SignedEvent: Decodable, Sendable {
    /// The timestamps' texts as a message carries them (decoded as strings, not dates), so a consumer
    /// checks exactly what the producer signed, whatever precision the dates lose when decoded.
    associatedtype CarriedText: Decodable

    /// The event's signature, `nil` when unsigned.
    var signature: EventSignature? { get set }

    /// The timestamps' texts as this event's producer writes them (``Timestamp/format(_:)``).
    var ownText: CarriedText { get }

    /// The canonical JSON of every field but `signature`, timestamps from `carried`.
    func canonicalJSON(carried: CarriedText) -> [UInt8]
}

extension SignedEvent {
    /// The bytes the signature covers: the scheme's name, a line feed, then ``canonicalJSON(carried:)``.
    package func signingInput(carried: CarriedText) -> [UInt8] {
        Array("\(EventSignature.currentScheme)\n".utf8) + canonicalJSON(carried: carried)
    }
}

extension ErasureRequest: SignedEvent {
    /// `requestedAt` as the message carries it.
    package struct CarriedText: Decodable, Sendable {
        /// The request's `requestedAt`, as text.
        package var requestedAt: String
    }

    package var ownText: CarriedText { CarriedText(requestedAt: Timestamp.format(requestedAt)) }

    package func canonicalJSON(carried: CarriedText) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { writer in
            writer.field("agency", string: agency)
            writer.field("eventIds", strings: eventIds)
            writer.field("reason", string: reason)
            writer.field("requestId", string: requestId)
            writer.field("requestedAt", string: carried.requestedAt)
            writer.field("requestedBy", string: requestedBy)
            writer.field("schema", string: schema)
        }
        return writer.bytes
    }
}

extension CaseUpdate: SignedEvent {
    /// `at` as the message carries it.
    package struct CarriedText: Decodable, Sendable {
        /// The update's `at`, as text.
        package var at: String
    }

    package var ownText: CarriedText { CarriedText(at: Timestamp.format(at)) }

    package func canonicalJSON(carried: CarriedText) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { writer in
            writer.field("actor", string: actor)
            writer.field("agency", string: agency)
            writer.field("at", string: carried.at)
            writer.field("caseId", string: caseId)
            writer.field("schema", string: schema)
            writer.field("state", string: state.rawValue)
        }
        return writer.bytes
    }
}
