import CivicKafka
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Logging
import Synchronization
import Testing

/// A stage that hangs without any step reporting an error (a handler that never returns, like a publish
/// that never completes) is reported not ready once its oldest batch passes the stall timeout, and ready
/// again when the batch goes through.
@Suite(.startsProcesses, .hangGuard)
struct StreamProcessorStallTests {
    /// Holds every batch until released.
    final class HangingHandler: BatchHandler {
        let released = Mutex(false)
        let handled = Mutex(0)

        func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
            while !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            handled.withLock { $0 += batch.count }
            return []
        }
    }

    @Test func aHangingStageIsNotReadyPastTheStallTimeoutAndReadyAgainWhenItMoves() async throws {
        let logger = Logger(label: "stall-tests")
        let broker = try await TestBroker()
        let configuration = RuntimeConfiguration(serviceName: "stall-test", broker: broker)
        let topic = "stall-test-input"
        try await KafkaAdmin(configuration: configuration.kafkaClient, logger: logger).createTopics([.init(name: topic, partitions: 1)])
        let producer = try KafkaProducer(configuration: configuration.kafkaProducer, logger: logger)
        _ = try await producer.send([KafkaOutboundMessage(topic: topic, key: Array("k".utf8), value: Array("v".utf8))])

        let handler = HangingHandler()
        var processing = StreamProcessorConfiguration(maxBatchSize: 10)
        processing.stallTimeout = .milliseconds(400)
        let readiness = ReadinessState()
        let processor = StreamProcessor(
            name: "stall",
            consumer: try KafkaConsumer(configuration: configuration.kafkaConsumer(topics: [topic]), logger: logger),
            producer: producer,
            handler: handler,
            configuration: processing,
            readiness: readiness,
            logger: logger
        )
        let task = Task { try await processor.run() }
        // No step fails, yet the stage is reported stuck.
        var deadline = ContinuousClock.now + TestPatience.hang
        while readiness.snapshot["stall.progress"]?.ready != false, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let stuck = readiness.snapshot["stall.progress"]
        #expect(stuck?.ready == false && stuck?.detail?.contains("not committed") == true, "\(String(describing: stuck))")
        #expect(readiness.snapshot["stall.pipeline"]?.ready == true, "no step has failed")
        #expect(!readiness.isReady)
        // It moves on: ready again.
        handler.released.withLock { $0 = true }
        deadline = ContinuousClock.now + TestPatience.hang
        while !readiness.isReady, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(readiness.isReady, "\(readiness.snapshot)")
        #expect(handler.handled.withLock { $0 } == 1)
        task.cancel()
        _ = try? await task.value
        await producer.close()
        await broker.kill()
    }
}
