import CivicKafka
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Logging
import Synchronization
import Testing

/// A stage that makes no progress (a batch that never goes through) heals after `healAfter` (recreates its
/// topics, rebuilds its producer)
/// and, still stuck `livenessTimeout` later, fails its liveness check; once the batch goes through it is alive
/// again.
@Suite(.startsProcesses, .hangGuard)
struct StreamProcessorHealingTests {
    /// Holds every batch until released: the stall tests' handler.
    typealias HangingHandler = StreamProcessorStallTests.HangingHandler

    @Test func aStageThatCannotProgressRebuildsThenFailsItsLivenessCheckAndLivesAgainWhenItMoves() async throws {
        let logger = Logger(label: "healing-tests")
        let broker = try await TestBroker()
        let configuration = RuntimeConfiguration(serviceName: "healing-test", broker: broker)
        let topic = "healing-test-input"
        try await KafkaAdmin(configuration: configuration.kafkaClient, logger: logger).createTopics([.init(name: topic, partitions: 1)])
        let producer = try KafkaProducer(configuration: configuration.kafkaProducer, logger: logger)
        _ = try await producer.send([KafkaOutboundMessage(topic: topic, key: Array("k".utf8), value: Array("v".utf8))])

        let handler = HangingHandler()
        var processing = StreamProcessorConfiguration(maxBatchSize: 10)
        processing.healAfter = .milliseconds(400)
        processing.livenessTimeout = .milliseconds(600)
        let readiness = ReadinessState()
        let consumer = try KafkaConsumer(configuration: configuration.kafkaConsumer(topics: [topic]), logger: logger)
        let processor = StreamProcessor(
            name: "healing",
            consumer: consumer,
            producer: producer,
            handler: handler,
            configuration: processing,
            readiness: readiness,
            healer: StageHealer(configuration: configuration, topics: [topic], producer: producer, coalescing: .zero, logger: logger),
            logger: logger
        )
        let started = ContinuousClock.now
        let task = Task { try await processor.run() }
        #expect(readiness.isAlive)
        var deadline = ContinuousClock.now + TestPatience.hang
        while readiness.isAlive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let died = ContinuousClock.now - started
        #expect(!readiness.isAlive)
        #expect(readiness.deadComponents["healing.progress"]?.detail?.contains("after rebuilding") == true, "\(readiness.deadComponents)")
        // It first tried to heal, and could not have given up sooner than both limits.
        #expect(producer.rebuilds >= 1)
        #expect(died >= processing.healAfter + processing.livenessTimeout)
        // It moves: alive again.
        handler.released.withLock { $0 = true }
        deadline = ContinuousClock.now + TestPatience.hang
        while !readiness.isAlive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(readiness.isAlive, "\(readiness.deadComponents)")
        #expect(handler.handled.withLock { $0 } >= 1)
        task.cancel()
        _ = try? await task.value
        await producer.close()
        await broker.kill()
    }
}
