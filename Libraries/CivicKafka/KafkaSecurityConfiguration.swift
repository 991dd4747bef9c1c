import Foundation

/// How a client protects its broker connections: TLS (the broker's certificate checked against a CA, optionally a
/// client certificate) and SASL authentication (SCRAM), passed to librdkafka as `security.protocol`, `ssl.*` and
/// `sasl.*` properties.
///
/// The default is `plaintext`, as before; a production deployment sets ``SecurityProtocol/saslSSL``.
package struct KafkaSecurityConfiguration: Sendable, Hashable {
    /// librdkafka's `security.protocol`.
    package enum SecurityProtocol: String, Sendable, Hashable, CaseIterable {
        /// No TLS, no authentication (local development only).
        case plaintext
        /// TLS; the client authenticates with its certificate when one is configured.
        case ssl
        /// SASL authentication without TLS: the SCRAM exchange protects the password, nothing protects the data.
        case saslPlaintext = "sasl_plaintext"
        /// SASL authentication over TLS: the production setting.
        case saslSSL = "sasl_ssl"

        /// Whether the connection is encrypted.
        package var usesTLS: Bool { self == .ssl || self == .saslSSL }
        /// Whether the client authenticates with SASL.
        package var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
    }

    /// librdkafka's `sasl.mechanism`.
    package enum SASLMechanism: String, Sendable, Hashable, CaseIterable {
        /// SCRAM with SHA-256 (RFC 7677).
        case scramSHA256 = "SCRAM-SHA-256"
        /// SCRAM with SHA-512.
        case scramSHA512 = "SCRAM-SHA-512"
        /// The password in clear inside the connection; allowed only over TLS.
        case plain = "PLAIN"
    }

    /// Which setting a ``Problem`` is about, so a caller can name its own option or environment variable.
    package enum Setting: String, Sendable, Hashable {
        /// ``KafkaSecurityConfiguration/securityProtocol``.
        case securityProtocol
        /// ``KafkaSecurityConfiguration/saslMechanism``.
        case saslMechanism
        /// ``KafkaSecurityConfiguration/saslUsername``.
        case saslUsername
        /// ``KafkaSecurityConfiguration/saslPassword``.
        case saslPassword
        /// ``KafkaSecurityConfiguration/caLocation``.
        case caLocation
        /// ``KafkaSecurityConfiguration/certificateLocation``.
        case certificateLocation
        /// ``KafkaSecurityConfiguration/keyLocation``.
        case keyLocation
        /// ``KafkaSecurityConfiguration/keyPassword``.
        case keyPassword
    }

    /// A combination of settings librdkafka would refuse or that would silently weaken the connection.
    package struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The setting to change.
        package var setting: Setting
        /// What is wrong.
        package var reason: String

        package var description: String { "\(setting): \(reason)" }
    }

    /// TLS and/or SASL. Default: ``SecurityProtocol/plaintext``.
    package var securityProtocol: SecurityProtocol = .plaintext
    /// The SASL mechanism. Default: ``SASLMechanism/scramSHA512``.
    package var saslMechanism: SASLMechanism = .scramSHA512
    /// The SASL user name (the principal). Required with a SASL protocol. Default: none.
    package var saslUsername: String?
    /// The SASL password. Required with a SASL protocol. Default: none.
    package var saslPassword: KafkaSecret?
    /// A PEM file of the CA certificates that may sign the broker's certificate. Default: none (the system's
    /// trust store).
    package var caLocation: String?
    /// A PEM file with the client's certificate, for brokers that authenticate clients by certificate.
    /// Default: none.
    package var certificateLocation: String?
    /// A PEM file with the client certificate's private key. Default: none.
    package var keyLocation: String?
    /// The password of an encrypted ``keyLocation``. Default: none.
    package var keyPassword: KafkaSecret?
    /// Whether the broker's certificate must name the host the client connected to
    /// (`ssl.endpoint.identification.algorithm=https`). Default: `true`; turning it off lets anyone with a
    /// certificate from the same CA impersonate the broker.
    package var verifiesHostname: Bool = true

    /// Creates a configuration with the documented defaults (plaintext).
    package init() {}

    /// Creates a configuration.
    package init(
        securityProtocol: SecurityProtocol,
        saslMechanism: SASLMechanism = .scramSHA512,
        saslUsername: String? = nil,
        saslPassword: KafkaSecret? = nil,
        caLocation: String? = nil,
        certificateLocation: String? = nil,
        keyLocation: String? = nil
    ) {
        self.securityProtocol = securityProtocol
        self.saslMechanism = saslMechanism
        self.saslUsername = saslUsername
        self.saslPassword = saslPassword
        self.caLocation = caLocation
        self.certificateLocation = certificateLocation
        self.keyLocation = keyLocation
    }

    /// What is wrong with these settings, a file that cannot be read included; empty when librdkafka can use them.
    package var problems: [Problem] {
        var problems: [Problem] = []
        let tlsOnly = "is a TLS setting; security protocol \(securityProtocol.rawValue) does not use TLS"
        if securityProtocol.usesSASL {
            if saslUsername?.isEmpty ?? true {
                problems.append(Problem(setting: .saslUsername, reason: "required with security protocol \(securityProtocol.rawValue)"))
            }
            if saslPassword?.value.isEmpty ?? true {
                problems.append(Problem(setting: .saslPassword, reason: "required with security protocol \(securityProtocol.rawValue)"))
            }
            if saslMechanism == .plain, !securityProtocol.usesTLS {
                problems.append(Problem(setting: .saslMechanism, reason: "PLAIN sends the password in clear; use it only with sasl_ssl"))
            }
        }
        if !securityProtocol.usesTLS {
            if caLocation != nil { problems.append(Problem(setting: .caLocation, reason: tlsOnly)) }
            if certificateLocation != nil { problems.append(Problem(setting: .certificateLocation, reason: tlsOnly)) }
            if keyLocation != nil { problems.append(Problem(setting: .keyLocation, reason: tlsOnly)) }
        }
        if (certificateLocation == nil) != (keyLocation == nil) {
            problems.append(
                Problem(
                    setting: certificateLocation == nil ? .certificateLocation : .keyLocation,
                    reason: "a client certificate needs both its certificate and its key"
                )
            )
        }
        for (setting, path) in [(Setting.caLocation, caLocation), (.certificateLocation, certificateLocation), (.keyLocation, keyLocation)] {
            guard let path else { continue }
            if !FileManager.default.isReadableFile(atPath: path) {
                problems.append(Problem(setting: setting, reason: "cannot read \(path)"))
            }
        }
        return problems
    }

    /// The librdkafka properties (secrets included: never log them; see ``sensitiveProperties``).
    var properties: [String: String] {
        var properties = ["security.protocol": securityProtocol.rawValue]
        if securityProtocol.usesSASL {
            properties["sasl.mechanism"] = saslMechanism.rawValue
            if let saslUsername { properties["sasl.username"] = saslUsername }
            if let saslPassword { properties["sasl.password"] = saslPassword.value }
        }
        if securityProtocol.usesTLS {
            properties["ssl.endpoint.identification.algorithm"] = verifiesHostname ? "https" : "none"
            if let caLocation { properties["ssl.ca.location"] = caLocation }
            if let certificateLocation { properties["ssl.certificate.location"] = certificateLocation }
            if let keyLocation { properties["ssl.key.location"] = keyLocation }
            if let keyPassword { properties["ssl.key.password"] = keyPassword.value }
        }
        return properties
    }

    /// librdkafka properties whose values are secrets: an error message or log line shows them as `[REDACTED]`.
    package static let sensitiveProperties: Set<String> = [
        "sasl.password", "ssl.key.password", "ssl.key.pem", "ssl.keystore.password", "sasl.oauthbearer.client.secret",
    ]
}

/// A secret string (a password) that never shows in a description, a dump or string interpolation.
package struct KafkaSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself.
    package let value: String

    /// Wraps a secret.
    package init(_ value: String) {
        self.value = value
    }

    package var description: String { "[REDACTED]" }
    package var debugDescription: String { "[REDACTED]" }
    package var customMirror: Mirror { Mirror(self, children: []) }
}
