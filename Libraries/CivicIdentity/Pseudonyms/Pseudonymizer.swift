import Crypto

/// Derives respondent pseudonyms from verified identities.
///
/// The pseudonym of a person is `HMAC-SHA256(key_v, encode(issuer, audience, subject))`, where
/// `encode` concatenates, for each of the three UTF-8 strings in that order, its length as a
/// 4-byte big-endian unsigned integer followed by its bytes. The length prefixes make the encoding
/// unambiguous (`("ab","c")` and `("a","bc")` differ).
///
/// The linking domain is issuer + audience: Login.gov gives a person one `sub` per relying-party
/// agency, so the same person seen by the shared service through the same issuer and client_id
/// gets the same pseudonym whichever CX agency the response belongs to. The agency is
/// deliberately not an input.
package struct Pseudonymizer: Sendable {
    /// The keys in use.
    package let keyRing: PseudonymKeyRing

    /// Creates a pseudonymizer.
    package init(keyRing: PseudonymKeyRing) {
        self.keyRing = keyRing
    }

    /// The pseudonyms of `subject` in the linking domain (`issuer`, `audience`): under the current
    /// key, and under each retained older key.
    package func pseudonyms(issuer: String, audience: String, subject: String) -> RespondentPseudonyms {
        let message = Self.encode(issuer: issuer, audience: audience, subject: subject)
        let current = Pseudonym(
            keyVersion: self.keyRing.currentVersion,
            mac: Array(HMAC<SHA256>.authenticationCode(for: message, using: self.keyRing.currentKey))
        )
        let retained = self.keyRing.retainedKeys.map { entry in
            Pseudonym(
                keyVersion: entry.version,
                mac: Array(HMAC<SHA256>.authenticationCode(for: message, using: entry.key))
            )
        }
        return RespondentPseudonyms(current: current, retained: retained)
    }

    /// The pseudonym under one key version, or `nil` if the version is not in the ring.
    package func pseudonym(issuer: String, audience: String, subject: String, version: UInt32) -> Pseudonym? {
        guard let key = self.keyRing.key(forVersion: version) else { return nil }
        let message = Self.encode(issuer: issuer, audience: audience, subject: subject)
        return Pseudonym(keyVersion: version, mac: Array(HMAC<SHA256>.authenticationCode(for: message, using: key)))
    }

    /// The length-prefixed encoding of the three parts (see the type's documentation).
    static func encode(issuer: String, audience: String, subject: String) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(12 + issuer.utf8.count + audience.utf8.count + subject.utf8.count)
        for part in [issuer, audience, subject] {
            let count = UInt32(truncatingIfNeeded: part.utf8.count)
            message.append(UInt8(truncatingIfNeeded: count >> 24))
            message.append(UInt8(truncatingIfNeeded: count >> 16))
            message.append(UInt8(truncatingIfNeeded: count >> 8))
            message.append(UInt8(truncatingIfNeeded: count))
            message.append(contentsOf: part.utf8)
        }
        return message
    }
}
