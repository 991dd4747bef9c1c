import CivicKafka
import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The four services configured for TLS from the environment (`CIVIC_KAFKA_SECURITY_PROTOCOL=ssl`, the test CA)
/// run the pipeline through a broker they reach only over TLS; a service that does not trust the broker's
/// certificate refuses to start and says why.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct TransportSecurityEndToEndTests {
    static let logger: Logger = {
        var logger = Logger(label: "e2e-tls")
        logger.logLevel = .critical
        return logger
    }()

    @Test func theServicesRunThePipelineOverTLSAndRefuseABrokerTheyCannotVerify() async throws {
        let harness = try await PipelineHarness(tls: true)
        let tls = try #require(harness.tlsBroker)
        try await harness.startAll()
        let sample = try SampleResponses(count: 200, now: Date()) { index in
            index % 20 == 3 ? try harness.mintToken(subject: "person-\(index)", agency: SampleResponses.agencies[index % 3]) : nil
        }

        let security = KafkaSecurityConfiguration(securityProtocol: .ssl, caLocation: tls.authority.certificate.path)
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: tls.bootstrapServers, clientID: "e2e-tls", security: security)
        )
        configuration.flushTimeoutMilliseconds = 5_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        try await producer.send(sample.items.map { $0.message() })
        await producer.close()

        var counted = 0
        let deadline = ContinuousClock.now + TestPatience.hang
        while counted < sample.valid.count, ContinuousClock.now < deadline {
            if let (status, body) = try? await harness.get("reporting", path: "/v1/reports"), status == 200 {
                counted = try CivicJSON.makeDecoder().decode(ReportsPayload.self, from: body).reports.map { $0.responses ?? 0 }.reduce(0, +)
            }
            if counted < sample.valid.count { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(counted == sample.valid.count, "reporting counted \(counted) of \(sample.valid.count)\n\(harness.logTail("reporting"))")
        try await harness.expectPublishedFigures(of: sample)

        // The same service with a CA that did not sign the broker's certificate: no connection, no start. Its
        // start-up timeout is long enough for the refused handshake to be logged on a loaded machine before it
        // gives up (at 1 s the process could exit before its first connection attempt).
        let stranger = try TestCertificateAuthority(name: "Some Other CA")
        defer { stranger.remove() }
        let log = harness.workDirectory.appendingPathComponent("sentiment-scorer-untrusting.log")
        let untrusting = try ManagedProcess(
            executable: RepositoryLayout.binaries.appendingPathComponent("sentiment-scorer"),
            arguments: [],
            environment: harness.environment.merging([
                "CIVIC_KAFKA_SSL_CA_LOCATION": stranger.certificate.path, "CIVIC_STARTUP_TIMEOUT_S": "20",
                "CIVIC_HTTP_PORT": String(try freeLoopbackPort()),
            ]) { _, new in new },
            logFile: log
        )
        await untrusting.waitForExit()
        #expect(untrusting.terminationStatus.map { $0 != 0 } == true)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(output.contains("certificate verify failed"), "\(output.suffix(2000))")
        // The services are killed with the harness (a graceful stop waits for each consumer group to settle).
        await tls.stop()
    }
}
