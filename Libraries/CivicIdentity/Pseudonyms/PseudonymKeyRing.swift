import Crypto
import Foundation

/// The versioned HMAC keys pseudonyms are made with.
///
/// One version is current; the others are retained so pseudonyms made before a rotation can
/// still be produced and linked. To rotate: add `v<n+1>`, make it current, keep `v<n>` until
/// reporting no longer needs links across the rotation, then remove it.
package struct PseudonymKeyRing: Sendable, CustomStringConvertible {
    /// The shortest key accepted, in bytes (256 bits).
    package static let minimumKeyBytes = 32

    /// The version used for ``RespondentPseudonyms/current``.
    package let currentVersion: UInt32
    /// The current key.
    let currentKey: SymmetricKey
    /// The retained keys, newest version first.
    let retainedKeys: [(version: UInt32, key: SymmetricKey)]

    /// Every version in the ring, current first, then retained versions newest first.
    package var versions: [UInt32] {
        [self.currentVersion] + self.retainedVersions
    }

    /// The retained (non-current) versions, newest first.
    package var retainedVersions: [UInt32] {
        self.retainedKeys.map(\.version)
    }

    /// Creates a ring from raw key bytes.
    /// - Parameters:
    ///   - keys: Key bytes by version (versions are positive integers).
    ///   - currentVersion: The version new pseudonyms are keyed by; must be in `keys`.
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidPseudonymKey``) when the ring is empty,
    ///   a version is 0, a key is shorter than ``minimumKeyBytes`` or is one byte repeated,
    ///   or `currentVersion` is missing.
    package init(keys: [UInt32: [UInt8]], currentVersion: UInt32) throws {
        guard !keys.isEmpty else {
            throw IdentityError(code: .invalidPseudonymKey, reason: "no pseudonym keys configured")
        }
        var symmetric: [UInt32: SymmetricKey] = [:]
        for (version, bytes) in keys {
            guard version > 0 else {
                throw IdentityError(code: .invalidPseudonymKey, reason: "pseudonym key versions start at 1")
            }
            guard bytes.count >= Self.minimumKeyBytes else {
                throw IdentityError(
                    code: .invalidPseudonymKey,
                    reason:
                        "pseudonym key v\(version) is \(bytes.count) bytes; at least \(Self.minimumKeyBytes) required"
                )
            }
            if let first = bytes.first, bytes.allSatisfy({ $0 == first }) {
                throw IdentityError(
                    code: .invalidPseudonymKey,
                    reason: "pseudonym key v\(version) is one byte repeated; use random bytes"
                )
            }
            symmetric[version] = SymmetricKey(data: bytes)
        }
        guard let currentKey = symmetric.removeValue(forKey: currentVersion) else {
            throw IdentityError(
                code: .invalidPseudonymKey,
                reason: "current pseudonym key version v\(currentVersion) is not among the configured keys"
            )
        }
        self.currentVersion = currentVersion
        self.currentKey = currentKey
        self.retainedKeys = symmetric.sorted { $0.key > $1.key }.map { (version: $0.key, key: $0.value) }
    }

    /// Creates a ring from configuration text such as `v1:BASE64KEY,v2:BASE64KEY`.
    ///
    /// Entries are separated by commas (whitespace around entries is ignored); each is a version
    /// (`v2` or `2`), a colon and the key in base64 or base64url, padded or not.
    /// - Parameters:
    ///   - specification: The key list.
    ///   - currentVersion: The current version, as `v2` or `2`.
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidPseudonymKey``); the message never
    ///   contains key material.
    package init(specification: String, currentVersion: String) throws {
        guard let current = Self.parseVersion(Substring(currentVersion)) else {
            throw IdentityError(code: .invalidPseudonymKey, reason: "current pseudonym key version is not like v1")
        }
        var keys: [UInt32: [UInt8]] = [:]
        for (index, rawEntry) in specification.split(separator: ",", omittingEmptySubsequences: true).enumerated() {
            let entry = rawEntry.trimmingCharacters(in: .whitespacesAndNewlines)
            if entry.isEmpty { continue }
            guard let colon = entry.firstIndex(of: ":"),
                let version = Self.parseVersion(entry[..<colon])
            else {
                throw IdentityError(
                    code: .invalidPseudonymKey,
                    reason: "pseudonym key entry \(index + 1) is not like v1:BASE64"
                )
            }
            guard let bytes = Self.decodeBase64(entry[entry.index(after: colon)...]) else {
                throw IdentityError(
                    code: .invalidPseudonymKey,
                    reason: "pseudonym key v\(version) is not valid base64"
                )
            }
            guard keys[version] == nil else {
                throw IdentityError(code: .invalidPseudonymKey, reason: "pseudonym key v\(version) is configured twice")
            }
            keys[version] = bytes
        }
        try self.init(keys: keys, currentVersion: current)
    }

    /// The key for `version`, if present.
    func key(forVersion version: UInt32) -> SymmetricKey? {
        if version == self.currentVersion { return self.currentKey }
        return self.retainedKeys.first { $0.version == version }?.key
    }

    /// Lists the versions only; key material is never printed.
    package var description: String {
        "PseudonymKeyRing(current: v\(self.currentVersion), retained: \(self.retainedVersions.map { "v\($0)" }))"
    }

    private static func parseVersion(_ text: Substring) -> UInt32? {
        var digits = text.trimmingCharacters(in: .whitespaces)[...]
        if digits.first == "v" || digits.first == "V" {
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let value = UInt32(digits), value > 0
        else { return nil }
        return value
    }

    private static func decodeBase64(_ text: Substring) -> [UInt8]? {
        var normalised = String(text).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalised.hasSuffix("=") { normalised.removeLast() }
        let remainder = normalised.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { normalised += String(repeating: "=", count: 4 - remainder) }
        guard let data = Data(base64Encoded: normalised) else { return nil }
        return [UInt8](data)
    }
}
