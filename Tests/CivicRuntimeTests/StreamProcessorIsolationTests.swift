import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// One bad message never stops a stage, against the real broker and PostgreSQL: a value the database
/// refuses and an output the broker refuses are each isolated to their message, which goes to the
/// dead-letter topic with the stage, code, reason and original bytes; every other message is stored once
/// and the offsets move past all of them.
@Suite(.startsProcesses, .hangGuard)
struct StreamProcessorIsolationTests {
    /// Stores each message's value as an integer in one transaction per batch (so "x" fails the whole
    /// batch with SQLSTATE 22P02); "huge" is stored but publishes a 2 MB output the broker refuses.
    struct IntegerHandler: BatchHandler {
        let client: PostgresClient

        func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
            try await client.withTransaction { connection in
                for message in batch {
                    let text = String(decoding: message.value, as: UTF8.self)
                    let value = text == "huge" ? "-1" : text
                    try await connection.query(
                        "INSERT INTO stored (position, value) VALUES ($1, $2::int) ON CONFLICT (position) DO NOTHING",
                        [Int(message.offset), value]
                    )
                }
            }
            return batch.map { message in
                let huge = String(decoding: message.value, as: UTF8.self) == "huge"
                return KafkaOutboundMessage(
                    topic: "isolation-output",
                    key: message.key,
                    value: huge ? [UInt8](repeating: UInt8(ascii: "z"), count: 2_000_000) : message.value
                )
            }
        }
    }

    @Test func aRefusedValueAndARefusedOutputAreSetAsideAndTheStageMovesOn() async throws {
        let logger = Logger(label: "isolation-tests")
        let broker = try await TestBroker()
        let postgres = try await TestPostgres.shared()
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: try await postgres.makeDatabase(prefix: "isolation")),
            logger: logger
        )
        defer { client.close() }
        try await client.query("CREATE TABLE stored (position bigint PRIMARY KEY, value int NOT NULL)")
        let configuration = RuntimeConfiguration(serviceName: "isolation-test", broker: broker)
        let input = "isolation-input"
        try await KafkaAdmin(configuration: configuration.kafkaClient, logger: logger).createTopics([
            .init(name: input, partitions: 1), .init(name: "isolation-output", partitions: 1), .init(name: CivicTopic.rejected, partitions: 1),
        ])
        let producer = try KafkaProducer(configuration: configuration.kafkaProducer, logger: logger)
        // Two batches of ten: the first holds a value PostgreSQL refuses, the second an output the broker refuses.
        var values = (0..<20).map(String.init)
        // The refused value carries an identity token, as a submission could: its dead letter must not.
        let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzdWJqZWN0In0.c2lnbmF0dXJl"
        let poisoned = #"x {"idToken": "opaque"} "# + token
        values[3] = poisoned
        values[14] = "huge"
        try await producer.send(values.map { KafkaOutboundMessage(topic: input, key: Array("k-\($0)".utf8), value: Array($0.utf8)) })

        let handler = IntegerHandler(client: client)
        var processorConfiguration = StreamProcessorConfiguration(maxBatchSize: 10)
        processorConfiguration.initialBackoff = .milliseconds(20)
        let processor = StreamProcessor(
            name: "isolation",
            consumer: try KafkaConsumer(configuration: configuration.kafkaConsumer(topics: [input]), logger: logger),
            producer: producer,
            handler: handler,
            configuration: processorConfiguration,
            readiness: ReadinessState(),
            logger: logger
        )
        let group = ServiceGroup(services: [processor], gracefulShutdownSignals: [], logger: logger)
        let task = Task { try await group.run() }
        for _ in 0..<1_200 {
            let rows = try await client.query("SELECT count(*) AS n FROM stored")
            if try rows.first?.require("n", as: Int.self) == values.count - 1 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        // A graceful shutdown finishes the batches already taken: publishes them and commits their offsets.
        await group.triggerGracefulShutdown()
        try await task.value
        let verify = try KafkaConsumer(configuration: configuration.kafkaConsumer(topics: [input]), logger: logger)
        let committed = try await verify.committedOffsets(for: [KafkaTopicPartition(topic: input, partition: 0)]).values.first ?? nil
        #expect(committed == Int64(values.count), "the offsets moved past every message")

        // Every message but the refused one is stored exactly once.
        let rows = try await client.query("SELECT position FROM stored ORDER BY position")
        let stored = try rows.rows.map { try $0.require("position", as: Int.self) }
        #expect(stored == (0..<20).filter { $0 != 3 })

        // Both set-aside messages are on the dead-letter topic with their stage, code, reason and bytes.
        let letters = try await Self.read(CivicTopic.rejected, count: 2, configuration: configuration, logger: logger)
        let decoded = try letters.map { try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data($0.value)) }
        let refusedValue = try #require(decoded.first { $0.code == .storageRefused })
        #expect(refusedValue.stage == "isolation")
        #expect(refusedValue.source.topic == input && refusedValue.source.offset == 3)
        #expect(Data(base64Encoded: refusedValue.original) == Data(#"x {"idToken": "[REMOVED]"} [TOKEN]"#.utf8))
        #expect(refusedValue.reason.contains("22P02"), "\(refusedValue.reason)")
        #expect(refusedValue.eventId == #"k-x {"idToken": "[REMOVED]"} [TOKEN]"#)
        for letter in letters {
            #expect(
                !String(decoding: letter.value, as: UTF8.self).contains(token) && !String(decoding: letter.key ?? [], as: UTF8.self).contains(token)
            )
        }
        let refusedOutput = try #require(decoded.first { $0.code == .publishRefused })
        #expect(refusedOutput.source.topic == "isolation-output")
        #expect(refusedOutput.originalSize == 2_000_000)
        #expect(Data(base64Encoded: refusedOutput.original)?.count == RejectedFeedback.maximumOriginalBytes)
        #expect(decoded.count == 2)

        // The other outputs of both batches were published.
        let outputs = try await Self.read("isolation-output", count: 18, configuration: configuration, logger: logger)
        #expect(Set(outputs.map { String(decoding: $0.value, as: UTF8.self) }) == Set(values.filter { $0 != poisoned && $0 != "huge" }))
        await verify.close()
        await producer.close()
        await broker.kill()
    }

    /// Reads `topic` from the start until `count` messages arrived (or 20 s passed), then a little longer
    /// so extra ones show.
    static func read(_ topic: String, count: Int, configuration: RuntimeConfiguration, logger: Logger) async throws -> [KafkaConsumerMessage] {
        let consumer = try KafkaConsumer(
            configuration: configuration.kafkaConsumer(topics: [topic], group: "read-\(UUID().uuidString)"),
            logger: logger
        )
        var received: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + TestPatience.hang
        while received.count < count, ContinuousClock.now < deadline {
            received += try await consumer.poll(maxMessages: 100, maxWait: .milliseconds(200)) ?? []
        }
        received += try await consumer.poll(maxMessages: 100, maxWait: .milliseconds(500)) ?? []
        await consumer.close()
        return received
    }
}
