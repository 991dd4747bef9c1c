import CivicKafka
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// The Kafka shim's TLS and SASL settings against a real Tansu broker.
///
/// What Tansu 0.6.0 offers, measured: no TLS listener at all (so TLS is terminated by stunnel in front of
/// it, see ``TestTLSTerminator``); SASL with SCRAM-SHA-256 and SCRAM-SHA-512 only (no PLAIN), which it enforces
/// (every request but ApiVersions and the SASL ones is refused before a login); but its in-memory storage,
/// the only one this build has besides S3, stores no SCRAM credential (`tansu user create` answers success
/// and keeps nothing), so no login can succeed. ACLs are accepted and ignored.
@Suite(.startsProcesses, .hangGuard)
struct KafkaSecurityTests {
    typealias Support = KafkaTestSupport

    private func client(
        _ bootstrap: String,
        _ security: KafkaSecurityConfiguration
    ) -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrap, clientID: "civic-kafka-security-tests", security: security)
    }

    /// The error a client gets: at once when the broker refuses it (TLS or login); after `timeout` when no
    /// answer ever comes (the cases that pass a short one expect exactly that). By default the hang guard, so a
    /// refusal on a loaded machine is never mistaken for silence.
    private func refusal(_ configuration: KafkaClientConfiguration, timeout: Duration = TestPatience.hang) async throws -> KafkaError {
        let admin = try KafkaAdmin(configuration: configuration, logger: Support.logger)
        return try await #require(throws: KafkaError.self) { try await admin.verifyConnection(timeout: timeout) }
    }

    @Test func tlsWithTheRightRootCarriesMessagesAndAnythingElseIsRefused() async throws {
        let tls = try await TestTLSBroker()
        let stranger = try TestCertificateAuthority(name: "Some Other CA")
        defer { stranger.remove() }

        // The right root and the address on the certificate: topics, produce and consume all over TLS.
        let trusted = client(tls.bootstrapServers, KafkaSecurityConfiguration(securityProtocol: .ssl, caLocation: tls.authority.certificate.path))
        let admin = try KafkaAdmin(configuration: trusted, logger: Support.logger)
        try await admin.verifyConnection()
        let topic = Support.uniqueName("tls")
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 1)])
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: trusted), logger: Support.logger)
        try await producer.send(Support.messages(topic: topic, count: 5, prefix: "tls"))
        await producer.close()
        var consumerConfiguration = KafkaConsumerConfiguration(client: trusted, groupID: Support.uniqueName("g"), topics: [topic])
        consumerConfiguration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        consumerConfiguration.heartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: Support.logger)
        let received = try await Support.consume(consumer, count: 5)
        await consumer.close()
        #expect(Set(received.map { String(decoding: $0.value, as: UTF8.self) }) == Set((0..<5).map { "tls-\($0)" }))

        // A root that did not sign the broker's certificate: refused at the handshake.
        let untrusted = try await refusal(client(tls.bootstrapServers, .init(securityProtocol: .ssl, caLocation: stranger.certificate.path)))
        #expect(untrusted.code == .connection && !untrusted.isRetriable, "\(untrusted)")
        #expect(untrusted.brokerError?.isTLSFailure == true, "\(untrusted)")
        #expect(untrusted.brokerError?.reason.contains("certificate verify failed") == true, "\(untrusted)")

        // The right root, another host name than the certificate's (it names 127.0.0.1 only).
        let wrongName = try await refusal(client("localhost:\(tls.port)", .init(securityProtocol: .ssl, caLocation: tls.authority.certificate.path)))
        #expect(wrongName.brokerError?.isTLSFailure == true, "\(wrongName)")

        // No TLS at all: the listener drops the connection; no metadata ever comes back.
        let plain = try await refusal(client(tls.bootstrapServers, KafkaSecurityConfiguration()), timeout: .seconds(2))
        #expect(plain.code == .connection, "\(plain)")
        #expect(plain.brokerError?.isTLSFailure != true && plain.brokerError?.isAuthenticationFailure != true, "\(plain)")
        await tls.stop()
    }

    @Test func mutualTLSAcceptsTheClientCertificateAndRefusesAClientWithoutOne() async throws {
        let tls = try await TestTLSBroker(mutualTLS: true)
        let clientCertificate = try tls.authority.issue(commonName: "survey-intake", client: true)
        var security = KafkaSecurityConfiguration(
            securityProtocol: .ssl,
            caLocation: tls.authority.certificate.path,
            certificateLocation: clientCertificate.certificate.path,
            keyLocation: clientCertificate.key.path
        )
        #expect(security.problems.isEmpty, "\(security.problems)")
        try await KafkaAdmin(configuration: client(tls.bootstrapServers, security), logger: Support.logger).verifyConnection()

        security.certificateLocation = nil
        security.keyLocation = nil
        let anonymous = try await refusal(client(tls.bootstrapServers, security), timeout: .seconds(2))
        #expect(anonymous.code == .connection, "\(anonymous)")
        await tls.stop()
    }

    @Test func tansuRequiresALoginOverTLSAndRefusesEveryOneItCannotCheck() async throws {
        let tls = try await TestTLSBroker(authentication: true)
        let ca = tls.authority.certificate.path

        // TLS without a login: the broker closes the connection at the first real request.
        let anonymous = try await refusal(client(tls.bootstrapServers, .init(securityProtocol: .ssl, caLocation: ca)), timeout: .seconds(2))
        #expect(anonymous.code == .connection && anonymous.brokerError?.isTLSFailure != true, "\(anonymous)")

        // SCRAM over TLS: the handshake succeeds and the SCRAM exchange runs, and the broker refuses the login.
        // Tansu 0.6.0 in memory keeps no credential, so a right password is refused like a wrong one: when a
        // Tansu that stores users replaces it, this turns into the positive check (and fails until then).
        for mechanism in [KafkaSecurityConfiguration.SASLMechanism.scramSHA512, .scramSHA256] {
            let login = KafkaSecurityConfiguration(
                securityProtocol: .saslSSL,
                saslMechanism: mechanism,
                saslUsername: "survey-intake",
                saslPassword: KafkaSecret("not-stored-anywhere"),
                caLocation: ca
            )
            let refused = try await refusal(client(tls.bootstrapServers, login))
            #expect(refused.code == .connection && !refused.isRetriable, "\(refused)")
            #expect(refused.brokerError?.isAuthenticationFailure == true, "\(mechanism): \(refused)")
            #expect(refused.brokerError?.reason.contains("SASL") == true, "\(refused)")
            // The password never shows in the error.
            #expect(!"\(refused)".contains("not-stored-anywhere"))
        }
        await tls.stop()
    }

    @Test func settingsLibrdkafkaWouldRefuseAreNamedAndSecretsNeverShow() throws {
        var security = KafkaSecurityConfiguration(securityProtocol: .saslSSL)
        #expect(Set(security.problems.map(\.setting)) == [.saslUsername, .saslPassword])
        security.saslUsername = "agency-irs"
        security.saslPassword = KafkaSecret("hunter2-hunter2")
        #expect(security.problems.isEmpty)
        security.securityProtocol = .saslPlaintext
        security.saslMechanism = .plain
        #expect(security.problems.map(\.setting) == [.saslMechanism], "PLAIN only over TLS")
        security.saslMechanism = .scramSHA512
        security.caLocation = "/nonexistent/ca.pem"
        #expect(security.problems.map(\.setting) == [.caLocation, .caLocation], "a TLS file without TLS, and unreadable")
        security.securityProtocol = .saslSSL
        security.certificateLocation = "/nonexistent/client.pem"
        #expect(Set(security.problems.map(\.setting)) == [.caLocation, .certificateLocation, .keyLocation], "\(security.problems)")

        // A secret never shows when the configuration is printed or dumped.
        let configuration = KafkaClientConfiguration(bootstrapServers: "b:9092", clientID: "x", security: security)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in ["\(configuration)", String(reflecting: configuration), dumped] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
    }
}
