import CivicRuntime
import Configuration
import Foundation

/// Settings of the hosted form and its embed (``FormEndpoint``).
package struct FormConfiguration: Sendable {
    /// The HMAC-SHA256 key that signs form tokens, at least 32 bytes. Set the same key on every replica, or
    /// a token issued by one is refused by another. Default: unset, meaning a random key per process (tokens
    /// do not survive a restart). (`CIVIC_INTAKE_FORM_TOKEN_KEY`, or `CIVIC_INTAKE_FORM_TOKEN_KEY_FILE` naming a
    /// file of mode 0600 or 0400)
    package var tokenKey: [UInt8]?
    /// The fewest seconds between serving a form and receiving its response; a faster one is refused
    /// (`form_too_fast`), since no person reads and answers the form that quickly. Default: 3.
    /// (`CIVIC_INTAKE_FORM_MIN_FILL_S`)
    package var minimumFillSeconds: Int = 3
    /// The most seconds a form token stays valid; an older one is refused (`form_token_expired`) with a fresh
    /// one to send again with. It bounds how long a response kept offline is sent with its first token.
    /// Default: 604800 (7 days). (`CIVIC_INTAKE_FORM_TOKEN_LIFETIME_S`)
    package var tokenLifetimeSeconds: Int = 604_800
    /// Largest form submission body, in bytes. Default: 65536. (`CIVIC_INTAKE_FORM_MAX_BODY_BYTES`)
    package var maxBodyBytes: Int = 65_536

    /// Creates a configuration with the documented defaults.
    package init() {}

    /// Reads the `CIVIC_INTAKE_FORM_*` variables.
    package init(reader: ConfigReader) throws {
        self.init()
        minimumFillSeconds = try reader.strictInt("civic.intake.form.min-fill-s", default: minimumFillSeconds, in: 0...3_600)
        tokenLifetimeSeconds = try reader.strictInt("civic.intake.form.token-lifetime-s", default: tokenLifetimeSeconds, in: 60...31_536_000)
        maxBodyBytes = try reader.strictInt("civic.intake.form.max-body-bytes", default: maxBodyBytes, in: 1_024...1_048_576)
        let direct = reader.text("civic.intake.form.token-key", default: "", isSecret: true)
        let file = reader.text("civic.intake.form.token-key-file", default: "")
        switch (direct.isEmpty, file.isEmpty) {
        case (true, true): tokenKey = nil
        case (false, false):
            throw ConfigurationError(key: "civic.intake.form.token-key-file", reason: "set either this or CIVIC_INTAKE_FORM_TOKEN_KEY, not both")
        case (false, true): tokenKey = try Self.key(Array(direct.utf8), name: "civic.intake.form.token-key")
        case (true, false):
            guard let permissions = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int,
                let data = FileManager.default.contents(atPath: file)
            else { throw ConfigurationError(key: "civic.intake.form.token-key-file", reason: "\(file) cannot be read") }
            guard permissions & 0o077 == 0 else {
                throw ConfigurationError(
                    key: "civic.intake.form.token-key-file",
                    reason: "\(file) is readable by others (mode \(String(permissions, radix: 8))); make it 0600"
                )
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            tokenKey = try Self.key(Array(text.utf8), name: "civic.intake.form.token-key-file")
        }
    }

    private static func key(_ bytes: [UInt8], name: String) throws -> [UInt8] {
        guard bytes.count >= 32 else { throw ConfigurationError(key: name, reason: "must be at least 32 bytes") }
        return bytes
    }
}
