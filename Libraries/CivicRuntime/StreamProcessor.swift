import CivicKafka
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// One stage's work on a batch of input messages.
///
/// `handle` must make its effects durable before returning (commit its database transaction) and be
/// idempotent: the same batch may be handled again after a crash or a failed publish. Bad input is not an
/// error: it becomes output for the rejected topic. Throwing means "could not process now" (database or
/// broker down) and the batch is retried.
public protocol BatchHandler: Sendable {
    /// Processes a batch and returns the messages to publish downstream.
    func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage]
}

/// Settings of a ``StreamProcessor``.
public struct StreamProcessorConfiguration: Sendable {
    /// Most messages per batch. Default: 500.
    public var maxBatchSize: Int = 500
    /// How long to wait for a batch's first message before polling again. Default: 100 ms.
    public var maxWait: Duration = .milliseconds(100)
    /// First back-off after a failed batch; doubles up to ``maxBackoff``. Default: 200 ms.
    public var initialBackoff: Duration = .milliseconds(200)
    /// Longest back-off between retries of a failed batch. Default: 5 s.
    public var maxBackoff: Duration = .seconds(5)

    /// Creates a configuration with the documented defaults.
    public init(maxBatchSize: Int = 500) {
        self.maxBatchSize = maxBatchSize
    }
}

/// The consume → process → publish → commit loop every stage runs, as a ServiceLifecycle `Service`.
///
/// For each batch: the handler commits its database transaction; the outputs are published and their
/// delivery reports awaited; only then are the input offsets committed. A crash at any point replays the
/// batch, and idempotent handlers make the replay change nothing (at-least-once, no loss, no double count).
/// A failing batch is retried with back-off, never skipped. On graceful shutdown the current batch is
/// finished, the consumer leaves its group, and the producer is flushed by its own service.
public final class StreamProcessor<Handler: BatchHandler>: Service, Sendable {
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let handler: Handler
    private let configuration: StreamProcessorConfiguration
    private let readiness: ReadinessState
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let name: String

    private let processed: Counter
    private let published: Counter
    private let failures: Counter
    private let batchDuration: Metrics.Timer

    /// Creates a processor.
    /// - Parameter name: The stage name, used in metrics and readiness (for example `intake`).
    public init(
        name: String,
        consumer: KafkaConsumer,
        producer: KafkaProducer,
        handler: Handler,
        configuration: StreamProcessorConfiguration = .init(),
        readiness: ReadinessState,
        logger: Logger
    ) {
        self.name = name
        self.consumer = consumer
        self.producer = producer
        self.handler = handler
        self.configuration = configuration
        self.readiness = readiness
        self.logger = logger
        processed = Counter(label: "civic_messages_consumed_total", dimensions: [("stage", name)])
        published = Counter(label: "civic_messages_published_total", dimensions: [("stage", name)])
        failures = Counter(label: "civic_batch_failures_total", dimensions: [("stage", name)])
        batchDuration = Metrics.Timer(label: "civic_batch_duration_seconds", dimensions: [("stage", name)], preferredDisplayUnit: .seconds)
        readiness.set("\(name).pipeline", ready: true)
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await self.loop()
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .sequentiallyConsistent)
        }
        await consumer.close()
        logger.info("stream processor stopped", metadata: ["stage": "\(name)"])
    }

    /// Graceful shutdown began, or the task was cancelled (a cancelled task's sleeps return at once, so
    /// retrying would spin).
    private var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) || Task.isCancelled }

    private func loop() async throws {
        while !isStopping {
            let batch: [KafkaConsumerMessage]
            do {
                guard let polled = try await consumer.poll(maxMessages: configuration.maxBatchSize, maxWait: configuration.maxWait)
                else { return }
                batch = polled
            } catch let error as KafkaError where !error.isFatal {
                logger.warning("poll failed", metadata: ["error": "\(error)"])
                try await Task.sleep(for: configuration.initialBackoff)
                continue
            }
            if batch.isEmpty { continue }
            guard try await process(batch) else { return }
        }
    }

    /// Processes one batch until it succeeds; returns `false` if shutdown interrupted the retries.
    /// - Throws: a fatal ``KafkaError``: the client cannot recover, so the service stops (and is restarted
    ///   by its supervisor) instead of retrying forever; the batch's offsets stay uncommitted.
    private func process(_ batch: [KafkaConsumerMessage]) async throws -> Bool {
        var backoff = configuration.initialBackoff
        while true {
            let start = ContinuousClock.now
            do {
                let outputs = try await handler.handle(batch)
                try await producer.send(outputs)
                batchDuration.record(duration: ContinuousClock.now - start)
                processed.increment(by: batch.count)
                published.increment(by: outputs.count)
                readiness.set("\(name).pipeline", ready: true)
                await commit(batch)
                return true
            } catch let error as KafkaError where error.isFatal {
                logger.critical("fatal Kafka error; stopping so the service can be restarted", metadata: ["error": "\(error)"])
                throw error
            } catch {
                failures.increment()
                readiness.set("\(name).pipeline", ready: false, detail: "\(error)")
                logger.error(
                    "batch failed; retrying it (offsets not committed)",
                    metadata: ["error": "\(error)", "batch.size": "\(batch.count)", "retry.in": "\(backoff)"]
                )
                if isStopping { return false }
                try? await Task.sleep(for: backoff)
                if isStopping { return false }
                backoff = min(backoff * 2, configuration.maxBackoff)
            }
        }
    }

    private func commit(_ batch: [KafkaConsumerMessage]) async {
        do {
            try await consumer.commit(batch.nextOffsets)
        } catch {
            // The work is durable and idempotent: if the commit was lost (for example in a rebalance),
            // the batch is delivered again and changes nothing.
            logger.warning("offset commit failed; the batch will be replayed", metadata: ["error": "\(error)"])
        }
    }
}

/// Owns a ``KafkaProducer`` for a service group: on graceful shutdown it waits for outstanding deliveries.
/// List it before the services that produce, so it stops after them.
public final class ProducerService: Service, Sendable {
    /// The producer.
    public let producer: KafkaProducer

    /// Wraps a producer.
    public init(producer: KafkaProducer) { self.producer = producer }

    public func run() async throws {
        try? await gracefulShutdown()
        await producer.close()
    }
}

extension Metrics.Timer {
    /// Records a `Duration`.
    func record(duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
