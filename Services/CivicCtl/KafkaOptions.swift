import ArgumentParser
import CivicKafka
import Foundation
import Logging

/// Broker options shared by the subcommands. Each defaults to the environment variable the services read, so
/// an operator's shell that runs a service can run civicctl against the same broker with the same settings.
struct KafkaOptions: ParsableArguments {
    private static let environment = ProcessInfo.processInfo.environment

    @Option(help: "Kafka bootstrap servers (default: $CIVIC_KAFKA_BOOTSTRAP or 127.0.0.1:9092).")
    var bootstrap: String = environment["CIVIC_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:9092"

    @Option(help: "plaintext, ssl, sasl_plaintext or sasl_ssl (default: $CIVIC_KAFKA_SECURITY_PROTOCOL or plaintext).")
    var securityProtocol: String = environment["CIVIC_KAFKA_SECURITY_PROTOCOL"] ?? "plaintext"

    @Option(help: "SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (default: $CIVIC_KAFKA_SASL_MECHANISM or SCRAM-SHA-512).")
    var saslMechanism: String = environment["CIVIC_KAFKA_SASL_MECHANISM"] ?? "SCRAM-SHA-512"

    @Option(help: "SASL user name (default: $CIVIC_KAFKA_SASL_USERNAME).")
    var saslUsername: String = environment["CIVIC_KAFKA_SASL_USERNAME"] ?? ""

    @Option(
        help:
            "A file holding the SASL password (default: $CIVIC_KAFKA_SASL_PASSWORD_FILE; $CIVIC_KAFKA_SASL_PASSWORD is read too). Never on the command line."
    )
    var saslPasswordFile: String = environment["CIVIC_KAFKA_SASL_PASSWORD_FILE"] ?? ""

    @Option(help: "PEM file of the CA certificates that sign the broker's certificate (default: $CIVIC_KAFKA_SSL_CA_LOCATION).")
    var sslCaLocation: String = environment["CIVIC_KAFKA_SSL_CA_LOCATION"] ?? ""

    @Option(help: "PEM client certificate (default: $CIVIC_KAFKA_SSL_CERTIFICATE_LOCATION).")
    var sslCertificateLocation: String = environment["CIVIC_KAFKA_SSL_CERTIFICATE_LOCATION"] ?? ""

    @Option(help: "PEM private key of the client certificate (default: $CIVIC_KAFKA_SSL_KEY_LOCATION).")
    var sslKeyLocation: String = environment["CIVIC_KAFKA_SSL_KEY_LOCATION"] ?? ""

    @Flag(help: "Log librdkafka and client diagnostics to standard error.")
    var verbose = false

    /// The TLS and SASL settings, checked as the services check theirs.
    var security: KafkaSecurityConfiguration {
        get throws {
            guard let parsedProtocol = KafkaSecurityConfiguration.SecurityProtocol(rawValue: securityProtocol.lowercased()) else {
                throw ValidationError("--security-protocol: '\(securityProtocol)' is not plaintext, ssl, sasl_plaintext or sasl_ssl")
            }
            guard let mechanism = KafkaSecurityConfiguration.SASLMechanism(rawValue: saslMechanism.uppercased()) else {
                throw ValidationError("--sasl-mechanism: '\(saslMechanism)' is not SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN")
            }
            var security = KafkaSecurityConfiguration(
                securityProtocol: parsedProtocol,
                saslMechanism: mechanism,
                saslUsername: Self.nonEmpty(saslUsername),
                caLocation: Self.nonEmpty(sslCaLocation),
                certificateLocation: Self.nonEmpty(sslCertificateLocation),
                keyLocation: Self.nonEmpty(sslKeyLocation)
            )
            security.saslPassword = try password().map(KafkaSecret.init)
            if let problem = security.problems.first {
                throw ValidationError("\(Self.option(for: problem.setting)): \(problem.reason)")
            }
            return security
        }
    }

    var client: KafkaClientConfiguration {
        get throws {
            KafkaClientConfiguration(bootstrapServers: bootstrap, clientID: "civicctl", security: try security)
        }
    }

    var logger: Logger {
        var logger = Logger(label: "civicctl")
        logger.logLevel = verbose ? .debug : .error
        return logger
    }

    private func password() throws -> String? {
        try SecretInput.read(
            file: saslPasswordFile,
            option: "--sasl-password-file",
            variable: "CIVIC_KAFKA_SASL_PASSWORD",
            fileOverridesVariable: false
        )
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    private static func option(for setting: KafkaSecurityConfiguration.Setting) -> String {
        switch setting {
        case .securityProtocol: "--security-protocol"
        case .saslMechanism: "--sasl-mechanism"
        case .saslUsername: "--sasl-username"
        case .saslPassword: "--sasl-password-file (or CIVIC_KAFKA_SASL_PASSWORD)"
        case .caLocation: "--ssl-ca-location"
        case .certificateLocation: "--ssl-certificate-location"
        case .keyLocation: "--ssl-key-location"
        case .keyPassword: "CIVIC_KAFKA_SSL_KEY_PASSWORD"
        }
    }
}
