import CivicKafka
import CivicModels
import CivicTesting
import Foundation
import Logging

extension PipelineHarness {
    static let readerLogger = Logger(label: "e2e-reader")

    /// Reads `topic` from its start until at least `count` records that match `counted` arrived and the topic
    /// has then been quiet for a second (to catch extras); gives up at the hang guard.
    func readTopic<Record: Decodable>(
        _ topic: String,
        as type: Record.Type,
        atLeast count: Int,
        counting counted: (Record) -> Bool = { _ in true }
    ) async throws -> [Record] {
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
        let deadline = ContinuousClock.now + TestPatience.hang
        // Read until at least `count` arrived and the topic has been quiet for a second (to catch extras).
        while ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxMessages: 500, maxWait: .milliseconds(200)) ?? []
            if batch.isEmpty {
                if records.filter(counted).count >= count, ContinuousClock.now - quietSince > .seconds(1) { break }
                continue
            }
            quietSince = ContinuousClock.now
            records += try batch.map { try decoder.decode(Record.self, from: Data($0.value)) }
        }
        await consumer.close()
        return records
    }
}
