import CivicKafka
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Logging
import Synchronization
import Testing

/// A stream processor whose task is cancelled (rather than shut down gracefully) stops retrying and
/// returns, with the failing batch's offsets uncommitted.
@Suite(.startsProcesses, .hangGuard)
struct StreamProcessorCancellationTests {
    /// Fails every batch, counting the attempts.
    final class FailingHandler: BatchHandler {
        struct Failure: Error {}
        let attempts = Mutex(0)

        func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
            attempts.withLock { $0 += 1 }
            throw Failure()
        }
    }

    @Test func cancellingTheTaskStopsTheRetriesAndLeavesTheBatchUncommitted() async throws {
        let logger = Logger(label: "cancellation-tests")
        let broker = try await TestBroker()
        let configuration = RuntimeConfiguration(serviceName: "cancel-test", broker: broker)
        let topic = "cancel-test-input"
        try await KafkaAdmin(configuration: configuration.kafkaClient, logger: logger).createTopics([.init(name: topic, partitions: 1)])
        let producer = try KafkaProducer(configuration: configuration.kafkaProducer, logger: logger)
        _ = try await producer.send([KafkaOutboundMessage(topic: topic, key: Array("k".utf8), value: Array("v".utf8))])

        let handler = FailingHandler()
        var processorConfiguration = StreamProcessorConfiguration(maxBatchSize: 10)
        processorConfiguration.initialBackoff = .milliseconds(20)
        let consumer = try KafkaConsumer(configuration: configuration.kafkaConsumer(topics: [topic]), logger: logger)
        let processor = StreamProcessor(
            name: "cancel-test",
            consumer: consumer,
            producer: producer,
            handler: handler,
            configuration: processorConfiguration,
            readiness: ReadinessState(),
            logger: logger
        )
        let task = Task { try await processor.run() }
        // Wait until the batch has failed and been retried.
        while handler.attempts.withLock({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        // Without the fix this never returns (the retry loop spins), and the suite's time limit fails it.
        _ = try? await task.value
        let attemptsAtStop = handler.attempts.withLock { $0 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(handler.attempts.withLock { $0 } == attemptsAtStop, "the processor kept retrying after it returned")

        // The failed batch was never committed: a new consumer in the same group starts from the beginning.
        let verify = try KafkaConsumer(configuration: configuration.kafkaConsumer(topics: [topic]), logger: logger)
        let committed = try await verify.committedOffsets(for: [KafkaTopicPartition(topic: topic, partition: 0)])
        #expect(committed.values.allSatisfy { $0 == nil || ($0 ?? 0) < 0 }, "\(committed)")
        await verify.close()
        await producer.close()
        await broker.kill()
    }
}
