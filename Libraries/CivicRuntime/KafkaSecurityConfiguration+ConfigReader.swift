import CivicKafka
import Configuration
import Foundation

extension KafkaSecurityConfiguration {
    /// Reads the broker connection's TLS and SASL settings (`CIVIC_KAFKA_SECURITY_PROTOCOL`,
    /// `CIVIC_KAFKA_SASL_*`, `CIVIC_KAFKA_SSL_*`; see docs/configuration.md). A secret may come from a file instead
    /// (`CIVIC_KAFKA_SASL_PASSWORD_FILE`, `CIVIC_KAFKA_SSL_KEY_PASSWORD_FILE`), as container secrets are mounted.
    /// - Throws: ``ConfigurationError`` naming the variable, for a value that is invalid or a combination
    ///   librdkafka would refuse (a SASL protocol without a user, PLAIN without TLS, an unreadable file).
    package init(reader: ConfigReader) throws {
        self.init()
        let protocolText = reader.text("civic.kafka.security-protocol", default: securityProtocol.rawValue)
        guard let parsedProtocol = SecurityProtocol(rawValue: protocolText.lowercased()) else {
            let allowed = SecurityProtocol.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(key: "civic.kafka.security-protocol", reason: "'\(protocolText)' is not one of \(allowed)")
        }
        securityProtocol = parsedProtocol
        let mechanismText = reader.text("civic.kafka.sasl-mechanism", default: saslMechanism.rawValue)
        guard let parsedMechanism = SASLMechanism(rawValue: mechanismText.uppercased()) else {
            let allowed = SASLMechanism.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(key: "civic.kafka.sasl-mechanism", reason: "'\(mechanismText)' is not one of \(allowed)")
        }
        saslMechanism = parsedMechanism
        saslUsername = reader.optionalText("civic.kafka.sasl-username")
        saslPassword = try reader.secret("civic.kafka.sasl-password").map(KafkaSecret.init)
        caLocation = reader.optionalText("civic.kafka.ssl-ca-location")
        certificateLocation = reader.optionalText("civic.kafka.ssl-certificate-location")
        keyLocation = reader.optionalText("civic.kafka.ssl-key-location")
        keyPassword = try reader.secret("civic.kafka.ssl-key-password").map(KafkaSecret.init)
        verifiesHostname = try reader.strictBool("civic.kafka.ssl-verify-hostname", default: verifiesHostname)
        if let problem = problems.first {
            throw ConfigurationError(key: Self.key(for: problem.setting), reason: problem.reason)
        }
    }

    /// The configuration key of a setting (environment variable `CIVIC_KAFKA_…`).
    static func key(for setting: Setting) -> String {
        switch setting {
        case .securityProtocol: "civic.kafka.security-protocol"
        case .saslMechanism: "civic.kafka.sasl-mechanism"
        case .saslUsername: "civic.kafka.sasl-username"
        case .saslPassword: "civic.kafka.sasl-password"
        case .caLocation: "civic.kafka.ssl-ca-location"
        case .certificateLocation: "civic.kafka.ssl-certificate-location"
        case .keyLocation: "civic.kafka.ssl-key-location"
        case .keyPassword: "civic.kafka.ssl-key-password"
        }
    }
}

extension ConfigReader {
    /// Reads a string, or nil when it is absent or empty.
    package func optionalText(_ key: String) -> String? {
        let value = text(key, default: "")
        return value.isEmpty ? nil : value
    }

    /// Reads a secret from `key` or from the file named by `key-file` (trailing newlines removed), never both.
    /// - Throws: ``ConfigurationError`` when both are set, or the file cannot be read or is empty.
    package func secret(_ key: String) throws -> String? {
        let direct = text(key, default: "", isSecret: true)
        let fileKey = key + "-file"
        guard let path = optionalText(fileKey) else { return direct.isEmpty ? nil : direct }
        guard direct.isEmpty else {
            throw ConfigurationError(
                key: fileKey,
                reason: "set either this or \(ConfigurationError(key: key, reason: "").environmentVariable), not both"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(key: fileKey, reason: "cannot read \(path)")
        }
        var value = String(decoding: data, as: UTF8.self)
        while value.last == "\n" || value.last == "\r" { value.removeLast() }
        guard !value.isEmpty else { throw ConfigurationError(key: fileKey, reason: "\(path) is empty") }
        return value
    }
}
