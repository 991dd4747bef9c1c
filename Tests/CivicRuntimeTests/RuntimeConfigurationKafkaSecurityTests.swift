import CivicKafka
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Configuration
import Foundation
import Logging
import Testing

/// The broker connection's TLS and SASL settings as every service reads them from the environment, and a
/// service's Kafka client built from them talking TLS to a real broker.
@Suite(.startsProcesses, .hangGuard)
struct RuntimeConfigurationKafkaSecurityTests {
    private func runtime(_ environment: [String: String]) throws -> RuntimeConfiguration {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        return try RuntimeConfiguration(reader: reader, service: "survey-intake")
    }

    private func refusedVariable(_ environment: [String: String]) throws -> String {
        let error = try #require(throws: ConfigurationError.self) { try runtime(environment) }
        return error.environmentVariable
    }

    @Test func theDefaultIsPlaintextAndEachSettingComesFromItsVariable() throws {
        #expect(try runtime([:]).kafkaSecurity == KafkaSecurityConfiguration())

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("civic-kafka-env-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let ca = scratch.appendingPathComponent("ca.pem")
        let password = scratch.appendingPathComponent("password")
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: ca)
        try Data("from-a-file\n".utf8).write(to: password)

        let security = try runtime([
            "CIVIC_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "CIVIC_KAFKA_SASL_MECHANISM": "scram-sha-256",
            "CIVIC_KAFKA_SASL_USERNAME": "survey-intake",
            "CIVIC_KAFKA_SASL_PASSWORD_FILE": password.path,
            "CIVIC_KAFKA_SSL_CA_LOCATION": ca.path,
        ]).kafkaSecurity
        #expect(security.securityProtocol == .saslSSL && security.saslMechanism == .scramSHA256)
        #expect(security.saslUsername == "survey-intake")
        #expect(security.saslPassword?.value == "from-a-file", "the file's trailing newline is not part of the password")
        #expect(security.caLocation == ca.path && security.verifiesHostname)
        #expect(
            try runtime(["CIVIC_KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "CIVIC_KAFKA_SASL_USERNAME": "u", "CIVIC_KAFKA_SASL_PASSWORD": "p"])
                .kafkaSecurity.saslPassword?.value == "p"
        )

        // Invalid values and combinations stop the service, naming the variable to fix.
        #expect(try refusedVariable(["CIVIC_KAFKA_SECURITY_PROTOCOL": "tls"]) == "CIVIC_KAFKA_SECURITY_PROTOCOL")
        #expect(try refusedVariable(["CIVIC_KAFKA_SASL_MECHANISM": "GSSAPI"]) == "CIVIC_KAFKA_SASL_MECHANISM")
        #expect(try refusedVariable(["CIVIC_KAFKA_SECURITY_PROTOCOL": "sasl_ssl"]) == "CIVIC_KAFKA_SASL_USERNAME")
        #expect(try refusedVariable(["CIVIC_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "CIVIC_KAFKA_SASL_USERNAME": "u"]) == "CIVIC_KAFKA_SASL_PASSWORD")
        #expect(
            try refusedVariable([
                "CIVIC_KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "CIVIC_KAFKA_SASL_MECHANISM": "PLAIN",
                "CIVIC_KAFKA_SASL_USERNAME": "u", "CIVIC_KAFKA_SASL_PASSWORD": "p",
            ]) == "CIVIC_KAFKA_SASL_MECHANISM"
        )
        #expect(
            try refusedVariable(["CIVIC_KAFKA_SASL_PASSWORD": "p", "CIVIC_KAFKA_SASL_PASSWORD_FILE": password.path])
                == "CIVIC_KAFKA_SASL_PASSWORD_FILE"
        )
        #expect(
            try refusedVariable(["CIVIC_KAFKA_SASL_PASSWORD_FILE": scratch.appendingPathComponent("missing").path])
                == "CIVIC_KAFKA_SASL_PASSWORD_FILE"
        )
        #expect(
            try refusedVariable(["CIVIC_KAFKA_SECURITY_PROTOCOL": "ssl", "CIVIC_KAFKA_SSL_CA_LOCATION": "/nonexistent/ca.pem"])
                == "CIVIC_KAFKA_SSL_CA_LOCATION"
        )
        #expect(try refusedVariable(["CIVIC_KAFKA_SSL_CA_LOCATION": ca.path]) == "CIVIC_KAFKA_SSL_CA_LOCATION", "a TLS setting without TLS")
        #expect(try refusedVariable(["CIVIC_KAFKA_SSL_VERIFY_HOSTNAME": "maybe"]) == "CIVIC_KAFKA_SSL_VERIFY_HOSTNAME")
    }

    @Test func aServiceConfiguredForTLSFromTheEnvironmentCreatesItsTopicsOverTLS() async throws {
        let tls = try await TestTLSBroker()
        let configuration = try runtime([
            "CIVIC_KAFKA_BOOTSTRAP": tls.bootstrapServers,
            "CIVIC_KAFKA_SECURITY_PROTOCOL": "ssl",
            "CIVIC_KAFKA_SSL_CA_LOCATION": tls.authority.certificate.path,
        ])
        let admin = try KafkaAdmin(configuration: configuration.kafkaClient, logger: Logger(label: "kafka-security-tests"))
        try await admin.verifyConnection()
        let topic = "tls-runtime-\(UUID().uuidString.prefix(8).lowercased())"
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 2)])
        #expect(try await admin.partitionCount(of: topic) == 2)
        await tls.stop()
    }
}
