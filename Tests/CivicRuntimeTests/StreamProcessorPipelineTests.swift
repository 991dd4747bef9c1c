import CivicKafka
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The stream processor's three overlapping steps against a real broker: the next batch is prepared while
/// the previous one is handled, handling stays one batch at a time in offset order, a failing batch is
/// retried without being prepared again and holds back every later batch, and the offsets committed at
/// the end cover every message.
@Suite(.startsProcesses, .hangGuard)
struct StreamProcessorPipelineTests {
    final class RecordingHandler: BatchHandler {
        struct Failure: Error {}
        struct State {
            var prepared: [[String]] = []
            var handled: [[String]] = []
            var handleAttempts: [[String]: Int] = [:]
            var overlapSeen = false
            var concurrentHandles = 0
            var maxConcurrentHandles = 0
        }
        let state = Mutex(State())
        /// The batch holding this value fails this many times before it succeeds.
        let poison: String
        let failures: Int

        init(poison: String, failures: Int) {
            self.poison = poison
            self.failures = failures
        }

        func prepare(_ batch: [KafkaConsumerMessage]) async throws -> [String] {
            let values = batch.map { String(decoding: $0.value, as: UTF8.self) }
            state.withLock { $0.prepared.append(values) }
            return values
        }

        func handle(_ values: [String]) async throws -> [KafkaOutboundMessage] {
            let attempt = state.withLock { state in
                state.concurrentHandles += 1
                state.maxConcurrentHandles = max(state.maxConcurrentHandles, state.concurrentHandles)
                state.handleAttempts[values, default: 0] += 1
                return state.handleAttempts[values, default: 0]
            }
            defer { state.withLock { $0.concurrentHandles -= 1 } }
            if state.withLock({ $0.handled.isEmpty }) {
                // The first batch waits (boundedly) for the next one to be prepared meanwhile.
                for _ in 0..<500 where !state.withLock({ $0.overlapSeen }) {
                    state.withLock { $0.overlapSeen = $0.prepared.count >= 2 }
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            if values.contains(poison), attempt <= failures { throw Failure() }
            state.withLock { $0.handled.append(values) }
            return []
        }
    }

    @Test func batchesOverlapButAreHandledAndCommittedInOrder() async throws {
        let logger = Logger(label: "pipeline-tests")
        let broker = try await TestBroker()
        let configuration = RuntimeConfiguration(serviceName: "pipeline-test", broker: broker)
        let topic = "pipeline-test-input"
        try await KafkaAdmin(configuration: configuration.kafkaClient, logger: logger).createTopics([.init(name: topic, partitions: 1)])
        let producer = try KafkaProducer(configuration: configuration.kafkaProducer, logger: logger)
        let values = (0..<12).map { "m\($0)" }
        try await producer.send(values.map { KafkaOutboundMessage(topic: topic, key: Array($0.utf8), value: Array($0.utf8)) })

        let handler = RecordingHandler(poison: "m4", failures: 2)
        var processorConfiguration = StreamProcessorConfiguration(maxBatchSize: 3)
        processorConfiguration.initialBackoff = .milliseconds(20)
        let processor = StreamProcessor(
            name: "pipeline-test",
            consumer: try KafkaConsumer(configuration: configuration.kafkaConsumer(topics: [topic]), logger: logger),
            producer: producer,
            handler: handler,
            configuration: processorConfiguration,
            readiness: ReadinessState(),
            logger: logger
        )
        let group = ServiceGroup(services: [processor], gracefulShutdownSignals: [], logger: logger)
        let task = Task { try await group.run() }
        for _ in 0..<600 where handler.state.withLock({ $0.handled.flatMap { $0 }.count < values.count }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        // A graceful shutdown finishes the batches already taken: publishes them and commits their offsets.
        await group.triggerGracefulShutdown()
        try await task.value
        let verify = try KafkaConsumer(configuration: configuration.kafkaConsumer(topics: [topic]), logger: logger)
        let committed = try await verify.committedOffsets(for: [KafkaTopicPartition(topic: topic, partition: 0)]).values.first ?? nil

        let state = handler.state.withLock { $0 }
        #expect(committed == Int64(values.count), "committed offset \(String(describing: committed))")
        #expect(state.handled.flatMap { $0 } == values, "handled out of order or twice: \(state.handled)")
        #expect(state.prepared.flatMap { $0 } == values, "each batch is prepared once, in order: \(state.prepared)")
        #expect(state.overlapSeen, "the second batch was not prepared while the first was handled")
        #expect(state.maxConcurrentHandles == 1)
        let poisoned = state.handled.first { $0.contains("m4") } ?? []
        #expect(state.handleAttempts[poisoned] == 3, "the failing batch is retried until it succeeds: \(state.handleAttempts)")
        await verify.close()
        await producer.close()
        await broker.kill()
    }
}
