/// A respondent pseudonym: `HMAC-SHA256(key_v, issuer | audience | subject)` under key version `v`.
///
/// Its text form is `ps<version>_<base64url of the 32-byte MAC>`, e.g. `ps1_Zm9v…` (43 characters
/// after the underscore). It carries no reversible information about the subject.
package struct Pseudonym: Sendable, Hashable, Codable, LosslessStringConvertible {
    /// The version of the key that produced it.
    package let keyVersion: UInt32
    /// The text form, `ps<version>_<base64url>`.
    package let description: String

    init(keyVersion: UInt32, mac: [UInt8]) {
        self.keyVersion = keyVersion
        self.description = "ps\(keyVersion)_" + Base64URL.encode(mac)
    }

    /// Parses a text form; `nil` unless it is `ps<version>_` followed by 43 base64url characters
    /// encoding 32 bytes.
    package init?(_ description: String) {
        let bytes = Array(description.utf8)
        guard bytes.count > 3, bytes[0] == UInt8(ascii: "p"), bytes[1] == UInt8(ascii: "s"),
            let underscore = bytes.firstIndex(of: UInt8(ascii: "_")), underscore > 2, underscore <= 12
        else { return nil }
        let versionBytes = bytes[2..<underscore]
        guard versionBytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            versionBytes.first != UInt8(ascii: "0"),
            let version = UInt32(String(decoding: versionBytes, as: UTF8.self)),
            let mac = Base64URL.decode(bytes[(underscore + 1)...]), mac.count == 32
        else { return nil }
        self.keyVersion = version
        self.description = description
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let pseudonym = Pseudonym(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a pseudonym")
        }
        self = pseudonym
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

/// A respondent's pseudonyms: under the current key, and under every retained older key.
///
/// Events are keyed by ``current``. Reporting joins on any of ``all`` so a journey that started
/// before a key rotation links to the one after it.
package struct RespondentPseudonyms: Sendable, Hashable, Codable {
    /// The pseudonym under the current key version.
    package let current: Pseudonym
    /// The pseudonyms under retained older versions, newest version first.
    package let retained: [Pseudonym]

    /// ``current`` followed by ``retained``.
    package var all: [Pseudonym] { [self.current] + self.retained }

    /// The pseudonym under `version`, if that version is in the key ring.
    package func pseudonym(forVersion version: UInt32) -> Pseudonym? {
        self.all.first { $0.keyVersion == version }
    }

    /// Creates the set.
    package init(current: Pseudonym, retained: [Pseudonym]) {
        self.current = current
        self.retained = retained
    }
}
