import CivicKafka
import CivicModels
import CivicTesting
import Foundation
import Logging

extension PipelineHarness {
    static let readerLogger = Logger(label: "e2e-reader")

    /// Reads `topic` from its start until at least `count` records arrived and the topic has been quiet for
    /// a second (to catch extras), or 30 s passed.
    func readTopic<Record: Decodable>(_ topic: String, as type: Record.Type, atLeast count: Int) async throws -> [Record] {
        var configuration = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "e2e-reader"),
            groupID: "e2e-reader-\(UUID().uuidString.prefix(6))",
            topics: [topic]
        )
        configuration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        configuration.heartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        let consumer = try KafkaConsumer(configuration: configuration, logger: Self.readerLogger)
        var records: [Record] = []
        let decoder = CivicJSON.makeDecoder()
        var quietSince = ContinuousClock.now
        let deadline = ContinuousClock.now + .seconds(30)
        // Read until at least `count` arrived and the topic has been quiet for a second (to catch extras).
        while ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxMessages: 500, maxWait: .milliseconds(200)) ?? []
            if batch.isEmpty {
                if records.count >= count, ContinuousClock.now - quietSince > .seconds(1) { break }
                continue
            }
            quietSince = ContinuousClock.now
            records += try batch.map { try decoder.decode(Record.self, from: Data($0.value)) }
        }
        await consumer.close()
        return records
    }
}
