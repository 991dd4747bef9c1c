import CivicKafka
import CivicModels
import CivicPostgres
import CivicTesting
import Foundation
import Logging

/// Feeding the reporting service directly: scored responses and operational events onto their topics.
extension PipelineHarness {
    static let reportingLogger = Logger(label: "reporting-e2e")

    /// Publishes the sample's responses to `cx.feedback.scored.v1` and its operational events to `cx.operations.v1`.
    func publish(_ sample: DashboardSample) async throws {
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: self.broker.bootstrapServers, clientID: "dashboard-e2e")
        )
        configuration.flushTimeoutMilliseconds = 5_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.reportingLogger)
        let encoder = CivicJSON.makeEncoder()
        var messages = try sample.feedback.map {
            KafkaOutboundMessage(topic: CivicTopic.scored, key: $0.eventId, value: Array(try encoder.encode($0)))
        }
        messages += try sample.operations.map {
            KafkaOutboundMessage(topic: CivicTopic.operations, key: $0.eventId, value: Array(try encoder.encode($0)))
        }
        _ = try await producer.send(messages)
        await producer.close()
    }

    /// Waits until reporting has stored every response and operational event of the sample.
    func waitUntilStored(_ sample: DashboardSample) async throws {
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: databaseURL), logger: Self.reportingLogger)
        defer { database.close() }
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            let rows = try? await database.query(
                "SELECT (SELECT count(*) FROM reporting.feedback) AS f, (SELECT count(*) FROM reporting.operations) AS o"
            )
            if let row = rows?.first, try row.require("f", as: Int.self) == sample.feedback.count,
                try row.require("o", as: Int.self) == sample.operations.count
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestEnvironmentError("reporting did not store the sample within the hang guard")
    }
}
