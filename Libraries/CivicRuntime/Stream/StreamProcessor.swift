import AsyncAlgorithms
import CivicKafka
import CivicModels
import CivicTime
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import Tracing

/// One stage's work on a batch of input messages.
///
/// `handle` must make its effects durable before returning (commit its database transaction) and be
/// idempotent: the same batch may be handled again after a crash or a failed publish. Bad input is not an
/// error: it becomes output for the rejected topic. What a throw means is the ``FailurePolicy``'s to
/// decide: "could not process now" (database or broker down) retries the batch; an error the data causes
/// (a value the database refuses, a ``MessageRefusal``) splits it until the message to blame is found and
/// set aside.
///
/// A handler may split its work in two: `prepare` (parsing and validation, no writes) runs for the next
/// batch while `handle` is still storing the previous one. `handle` calls never overlap and see batches in
/// order. Handlers that do not split keep the default `prepare`, which hands the batch through.
package protocol BatchHandler: Sendable {
    /// What `prepare` makes of a batch for `handle`.
    associatedtype Prepared: Sendable = [KafkaConsumerMessage]

    /// Work on a batch that writes nothing (it may run ahead of earlier batches' `handle`). Throwing means
    /// "could not prepare now", and the batch is prepared again after a back-off.
    func prepare(_ batch: [KafkaConsumerMessage]) async throws -> Prepared

    /// Processes a prepared batch durably and returns the messages to publish downstream.
    func handle(_ prepared: Prepared) async throws -> [KafkaOutboundMessage]
}

extension BatchHandler where Prepared == [KafkaConsumerMessage] {
    /// Hands the batch to `handle` unchanged.
    package func prepare(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaConsumerMessage] { batch }
}

/// Settings of a ``StreamProcessor``.
package struct StreamProcessorConfiguration: Sendable {
    /// Most messages per batch. Default: 500.
    package var maxBatchSize: Int = 500
    /// How long to wait for a batch's first message before polling again. Default: 100 ms.
    package var maxWait: Duration = .milliseconds(100)
    /// First back-off after a failed batch; doubles up to ``maxBackoff``. Default: 200 ms.
    package var initialBackoff: Duration = .milliseconds(200)
    /// Longest back-off between retries of a failed batch. Default: 5 s.
    package var maxBackoff: Duration = .seconds(5)
    /// A batch still not committed this long after it was taken marks the stage not ready
    /// (`<stage>.progress`) until it is: a stuck stage shows even when no step reports an error. Default: 120 s.
    package var stallTimeout: Duration = .seconds(120)
    /// How often the consumer group's lag on this member's partitions is read from the broker for
    /// `civic_consumer_lag`. Default: 10 s.
    package var lagInterval: Duration = .seconds(10)
    /// A stage with work that has not moved for this long (no batch committed, or its consumer in trouble)
    /// rebuilds its Kafka producer and recreates its topics (``HealingWatch``). Default: 60 s.
    package var healAfter: Duration = .seconds(60)
    /// Still no progress this long after the rebuild fails the liveness check (`/health` 503), so the
    /// orchestrator restarts the process. Default: 120 s.
    package var livenessTimeout: Duration = .seconds(120)

    /// Creates a configuration with the documented defaults.
    package init(maxBatchSize: Int = 500) {
        self.maxBatchSize = maxBatchSize
    }

    /// The retries' delays: ``initialBackoff``, doubling up to ``maxBackoff``.
    package var backoff: Backoff { Backoff(initial: initialBackoff, maximum: maxBackoff) }
}

/// The consume → process → publish → commit loop every stage runs, as a ServiceLifecycle `Service`.
///
/// Each batch goes through three steps, each in its own task so that consecutive batches overlap (batch
/// n+2 is polled and prepared while n+1 is handled and n is published):
/// 1. poll and ``BatchHandler/prepare(_:)``;
/// 2. ``BatchHandler/handle(_:)``, which commits its database transaction (one batch at a time, in order);
/// 3. publish the outputs, await their delivery reports, and only then commit the input offsets (in order).
///
/// A crash at any point replays every batch whose offsets were not committed, and idempotent handlers make
/// the replay change nothing (at-least-once, no loss, no double count). A failing step follows the
/// ``FailurePolicy``: a transient failure is retried with back-off and holds back every later batch; a
/// failure the data causes is isolated to its message, which goes to the dead-letter topic
/// (``CivicTopic/rejected``, with the stage, code, reason and original bytes), and the stage moves on. On graceful shutdown polling stops, the
/// batches already taken are finished, the consumer leaves its group, and the producer is flushed by its
/// own service.
package final class StreamProcessor<Handler: BatchHandler>: Service, Sendable {
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
    private let deadLetters = CounterFamily(label: "civic_dead_letters_total")
    private let oldestBatchAge: Gauge
    /// `civic_consumer_lag{stage,topic,partition}`, one gauge per partition this member was assigned.
    private let lagGauges = Mutex<[KafkaTopicPartition: Gauge]>([:])
    /// `civic_event_latency_seconds{stage,topic,partition}`, one histogram per partition.
    private let latencyTimers = Mutex<[KafkaTopicPartition: Metrics.Timer]>([:])
    /// The latency histograms' exemplars: per bucket, the newest record whose trace is sampled.
    private let exemplars: EventLatencyExemplars
    private let progress = Mutex(ProgressWatch())
    private let healer: StageHealer?
    /// How many times the stage healed: a batch polled before a heal is not committed, since its offsets may
    /// belong to a log the broker lost, and committing them into the new log would skip what is written there.
    private let healGeneration = Atomic<Int>(0)
    private let rebuilds: Counter
    /// Whether a heal is under way.
    private let healing = Atomic<Bool>(false)
    private let policy = FailurePolicy()
    private let encoder = CivicJSON.makeEncoder()

    /// Creates a processor.
    /// - Parameters:
    ///   - name: The stage name, used in metrics and readiness (for example `intake`).
    ///   - healer: What heals the stage (recreates its topics, rebuilds its producer) when it makes no progress.
    ///     `nil`: nothing is rebuilt, and the liveness check fails after the timeouts.
    ///   - exemplars: Where the latency histograms' exemplars are kept (default: the process's, which `/metrics` shows).
    package init(
        name: String,
        consumer: KafkaConsumer,
        producer: KafkaProducer,
        handler: Handler,
        configuration: StreamProcessorConfiguration = .init(),
        readiness: ReadinessState,
        healer: StageHealer? = nil,
        exemplars: EventLatencyExemplars = .shared,
        logger: Logger
    ) {
        self.name = name
        self.exemplars = exemplars
        self.healer = healer
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
        oldestBatchAge = Gauge(label: "civic_oldest_batch_age_seconds", dimensions: [("stage", name)])
        rebuilds = Counter(label: "civic_kafka_rebuilds_total", dimensions: [("stage", name)])
        // Every code the failure policy can give, at zero, so a dashboard's rate() sees the first dead letter.
        for code in [RejectionCode.storageRefused, .publishRefused, .processingFailed] {
            _ = deadLetters.counter([("stage", name), ("code", code.rawValue)])
        }
        readiness.set("\(name).pipeline", ready: true)
        readiness.set("\(name).consumer", ready: true)
        readiness.set("\(name).progress", ready: true)
        readiness.setAlive("\(name).progress", alive: true)
    }

    package func run() async throws {
        try await withGracefulShutdownHandler {
            try await self.pipeline()
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .sequentiallyConsistent)
        }
        await consumer.close()
        logger.info("stream processor stopped", metadata: ["stage": "\(name)"])
    }

    /// Graceful shutdown began, or the task was cancelled (a cancelled task's sleeps return at once, so
    /// retrying would spin).
    private var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) || Task.isCancelled }

    /// A polled batch and what the handler made of it.
    private struct Prepared: Sendable {
        var batch: [KafkaConsumerMessage]
        var preparation: Preparation
        var start: ContinuousClock.Instant
        var generation: Int
        /// The records' spans, when a tracer records them.
        var spans: StageSpans?
    }

    /// What preparing a whole batch gave.
    private enum Preparation: Sendable {
        case prepared(Handler.Prepared)
        /// The failure policy blamed the data: the batch is isolated without being prepared again whole.
        case refused(RejectionCode, reason: String)
    }

    /// How a step ended.
    private enum Outcome<Result: Sendable>: Sendable {
        case done(Result)
        /// Shutdown interrupted the retries.
        case stopped
        /// The failure policy blamed the data.
        case refused(RejectionCode, reason: String)
    }

    /// A handled batch and its outputs.
    private struct Handled: Sendable {
        var batch: [KafkaConsumerMessage]
        var outputs: [KafkaOutboundMessage]
        var start: ContinuousClock.Instant
        var generation: Int
        var spans: StageSpans?
    }

    /// The steps, and beside them the watches of progress and lag, which are cancelled as soon as the steps
    /// have ended (so a watch's sleep never holds up a shutdown).
    private func pipeline() async throws {
        try await withThrowingTaskGroup(of: Void.self) { watches in
            watches.addTask { await self.watchProgress() }
            watches.addTask { await self.watchLag() }
            watches.addTask { await self.watchTopics() }
            defer { watches.cancelAll() }
            try await steps()
        }
    }

    /// The three steps, joined by channels that hold no batch (each step waits for the next to take one).
    /// A step that gives up (shutdown during retries) cancels the others, so no later batch is committed.
    private func steps() async throws {
        let prepared = AsyncChannel<Prepared>()
        let handled = AsyncChannel<Handled>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { prepared.finish() }
                try await self.pollAndPrepare(into: prepared)
            }
            group.addTask {
                defer { handled.finish() }
                for await item in prepared {
                    let storing = DefaultTracerClock.now
                    let outputs: [KafkaOutboundMessage]?
                    switch item.preparation {
                    case .prepared(let prepared): outputs = try await self.handle(item.batch, prepared: prepared)
                    case .refused(let code, let reason): outputs = try await self.isolate(item.batch, code: code, reason: reason)
                    }
                    guard let outputs else { throw CancellationError() }
                    item.spans?.step("store", from: storing, to: DefaultTracerClock.now)
                    await handled.send(
                        Handled(
                            batch: item.batch,
                            outputs: TraceContext.carrying(outputs, from: item.batch, spans: item.spans),
                            start: item.start,
                            generation: item.generation,
                            spans: item.spans
                        )
                    )
                }
            }
            group.addTask {
                for await item in handled {
                    let publishing = DefaultTracerClock.now
                    guard try await self.publish(item.outputs, for: item.batch) else { throw CancellationError() }
                    item.spans?.step("publish", from: publishing, to: DefaultTracerClock.now)
                    self.batchDuration.record(duration: ContinuousClock.now - item.start)
                    self.processed.increment(by: item.batch.count)
                    self.published.increment(by: item.outputs.count)
                    if item.generation == self.healGeneration.load(ordering: .sequentiallyConsistent) {
                        await self.commit(item.batch)
                    } else {
                        self.logger.info("batch polled before the stage healed; its offsets are not committed")
                    }
                    self.progress.withLock { $0.committed(at: .now) }
                    item.spans?.end(at: DefaultTracerClock.now)
                    self.recordLatency(of: item.batch)
                }
            }
            do {
                try await group.waitForAll()
            } catch is CancellationError {
                group.cancelAll()
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private func pollAndPrepare(into channel: AsyncChannel<Prepared>) async throws {
        var pollFailing = false
        while !isStopping {
            let batch: [KafkaConsumerMessage]
            let generation = healGeneration.load(ordering: .sequentiallyConsistent)
            do {
                guard let polled = try await consumer.poll(maxMessages: configuration.maxBatchSize, maxWait: configuration.maxWait)
                else { return }
                batch = polled
                if pollFailing {
                    pollFailing = false
                    readiness.set("\(name).consumer", ready: true)
                }
            } catch let error as KafkaError where !error.isFatal {
                // A consumer that cannot poll is not ready, even while no batch fails.
                pollFailing = true
                progress.withLock { $0.pollTroubled(at: .now) }
                readiness.set("\(name).consumer", ready: false, detail: "poll failed: \(error)")
                failures.increment()
                logger.warning("poll failed", metadata: ["error": "\(error)"])
                try await Task.sleep(for: configuration.initialBackoff)
                continue
            }
            if batch.isEmpty { continue }
            let start = ContinuousClock.now
            progress.withLock { $0.taken(at: start) }
            let validating = DefaultTracerClock.now
            let spans = StageSpans.start(stage: name, batch: batch, at: validating)
            let outcome = try await retrying("prepare", batch, { try await self.handler.prepare(batch) })
            spans?.step("validate", from: validating, to: DefaultTracerClock.now)
            switch outcome {
            case .done(let prepared):
                await channel.send(Prepared(batch: batch, preparation: .prepared(prepared), start: start, generation: generation, spans: spans))
            case .refused(let code, let reason):
                await channel.send(
                    Prepared(batch: batch, preparation: .refused(code, reason: reason), start: start, generation: generation, spans: spans)
                )
            case .stopped: throw CancellationError()
            }
        }
    }

    /// Handles a prepared batch; a failure its data causes is isolated (``isolate(_:code:reason:)``).
    /// Returns `nil` if shutdown interrupted the retries.
    private func handle(_ batch: [KafkaConsumerMessage], prepared: Handler.Prepared) async throws -> [KafkaOutboundMessage]? {
        switch try await retrying("handle", batch, { try await self.handler.handle(prepared) }) {
        case .done(let outputs): return outputs
        case .stopped: return nil
        case .refused(let code, let reason): return try await isolate(batch, code: code, reason: reason)
        }
    }

    /// Prepares and handles part of a refused batch on its own.
    private func prepareAndHandle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage]? {
        switch try await retrying("prepare", batch, { try await self.handler.prepare(batch) }) {
        case .done(let prepared): return try await handle(batch, prepared: prepared)
        case .stopped: return nil
        case .refused(let code, let reason): return try await isolate(batch, code: code, reason: reason)
        }
    }

    /// Isolates a failure the batch's data causes: a single message becomes a dead letter; a larger batch is
    /// split in halves, each prepared and handled on its own, in order, until the message to blame is alone.
    /// Returns `nil` if shutdown interrupted the retries.
    private func isolate(_ batch: [KafkaConsumerMessage], code: RejectionCode, reason: String) async throws -> [KafkaOutboundMessage]? {
        guard batch.count > 1 else {
            guard let message = batch.first else { return [] }
            let source = RejectedFeedback.Source(topic: message.topic, partition: message.partition, offset: message.offset)
            let letter = deadLetter(from: source, key: message.key, original: message.value, code: code, reason: reason)
            guard var letter else { return [] }
            letter = letter.carryingTimestamp(of: message)
            // The dead letter keeps the response's trace context (its key is scrubbed, so it is carried here).
            letter.headers += TraceContext.headers(in: message.headers)
            return [letter]
        }
        let middle = batch.count / 2
        var outputs: [KafkaOutboundMessage] = []
        for half in [Array(batch[..<middle]), Array(batch[middle...])] {
            guard let part = try await prepareAndHandle(half) else { return nil }
            outputs += part
        }
        return outputs
    }

    /// Publishes a batch's outputs; when the broker refuses one for its content, each is sent on its own and
    /// a refused one is replaced by a dead letter. Returns `false` if shutdown interrupted the retries.
    private func publish(_ outputs: [KafkaOutboundMessage], for batch: [KafkaConsumerMessage]) async throws -> Bool {
        switch try await retrying("publish", batch, { try await self.producer.send(outputs) }) {
        case .done: return true
        case .stopped: return false
        case .refused: break
        }
        for output in outputs {
            switch try await retrying("publish", batch, { try await self.producer.send(output) }) {
            case .done: continue
            case .stopped: return false
            case .refused(let code, let reason):
                let source = RejectedFeedback.Source(topic: output.topic)
                guard var letter = deadLetter(from: source, key: output.key, original: output.value, code: code, reason: reason) else {
                    continue
                }
                letter.timestampMilliseconds = output.timestampMilliseconds
                // The dead letter keeps the response's trace context.
                letter.headers += TraceContext.headers(in: output.headers)
                switch try await retrying("publish", batch, { try await self.producer.send(letter) }) {
                case .done: continue
                case .stopped: return false
                case .refused(_, let reason):
                    logger.critical("the dead-letter topic refused a dead letter; it is only logged", metadata: ["error": "\(reason)"])
                }
            }
        }
        return true
    }

    /// The dead letter, on ``CivicTopic/rejected``, for a message the failure policy set aside: an input at
    /// `source`, or an output the broker refused (its topic only).
    private func deadLetter(
        from source: RejectedFeedback.Source,
        key: [UInt8]?,
        original: [UInt8],
        code: RejectionCode,
        reason: String
    ) -> KafkaOutboundMessage? {
        deadLetters.counter([("stage", name), ("code", code.rawValue)]).increment()
        logger.error(
            "message set aside on the dead-letter topic",
            metadata: [
                "stage": "\(name)", "civic.rejection.code": "\(code)", "kafka.topic": "\(source.topic ?? "")",
                "kafka.partition": "\(source.partition.map(String.init) ?? "")",
                "kafka.offset": "\(source.offset.map(String.init) ?? "")", "reason": "\(reason)",
            ]
        )
        let record = RejectedFeedback(
            code: code,
            field: nil,
            reason: "\(name) set the message aside: \(reason)",
            source: source,
            original: original,
            eventId: key.flatMap { String(validating: $0, as: UTF8.self) },
            stage: name,
            rejectedAt: Date()
        )
        guard let value = try? encoder.encode(record) else { return nil }
        // The key is the input's own (an event id, as a rule); it is scrubbed like the record.
        return KafkaOutboundMessage(topic: CivicTopic.rejected, key: key.map(CredentialScrubber.scrub), value: Array(value))
    }

    /// Runs `step` until it succeeds, retrying what the ``FailurePolicy`` calls transient.
    /// - Throws: a fatal ``KafkaError``: the client cannot recover, so the service stops (and is restarted
    ///   by its supervisor) instead of retrying forever; the batch's offsets stay uncommitted.
    private func retrying<Result: Sendable>(
        _ stepName: String,
        _ batch: [KafkaConsumerMessage],
        _ step: () async throws -> Result
    ) async throws -> Outcome<Result> {
        var backoff = configuration.backoff
        while true {
            do {
                let result = try await step()
                readiness.set("\(name).pipeline", ready: true)
                return .done(result)
            } catch {
                switch policy.decide(error) {
                case .stop:
                    // Not ready from this moment: the service is stopping, whatever its shutdown still has to do.
                    readiness.set("\(name).pipeline", ready: false, detail: "fatal Kafka error; the service is stopping: \(error)")
                    logger.critical("fatal Kafka error; stopping so the service can be restarted", metadata: ["error": "\(error)"])
                    throw error
                case .isolate(let code, let reason):
                    failures.increment()
                    logger.warning(
                        "batch failed for a reason its data causes; isolating the message to blame",
                        metadata: ["error": "\(error)", "batch.step": "\(stepName)", "batch.size": "\(batch.count)"]
                    )
                    return .refused(code, reason: reason)
                case .retry:
                    break
                }
                failures.increment()
                readiness.set("\(name).pipeline", ready: false, detail: "\(error)")
                let delay = backoff.next()
                logger.error(
                    "batch failed; retrying it (offsets not committed)",
                    metadata: [
                        "error": "\(error)", "batch.step": "\(stepName)", "batch.size": "\(batch.count)", "retry.in": "\(delay)",
                    ]
                )
                if isStopping { return .stopped }
                try? await Task.sleep(for: delay)
                if isStopping { return .stopped }
            }
        }
    }

    /// Every few seconds until the stage stops: the oldest batch's age as a gauge, `<stage>.progress` not
    /// ready while it is past ``StreamProcessorConfiguration/stallTimeout``, and the ``HealingWatch``'s
    /// actions: rebuild the Kafka producer and recreate the topics after
    /// ``StreamProcessorConfiguration/healAfter`` without progress, and fail the liveness check if that did not
    /// help within ``StreamProcessorConfiguration/livenessTimeout``.
    private func watchProgress() async {
        let timeout = configuration.stallTimeout
        let interval = max(.milliseconds(50), min(.seconds(5), timeout / 4, configuration.healAfter / 4, configuration.livenessTimeout / 4))
        var watch = HealingWatch(limits: .init(healAfter: configuration.healAfter, livenessTimeout: configuration.livenessTimeout))
        while !isStopping {
            try? await Task.sleep(for: interval)
            let now = ContinuousClock.now
            let (age, stalledFor, check) = progress.withLock {
                ($0.oldestAge(at: now), $0.stalledFor(at: now), $0.check(at: now, timeout: timeout))
            }
            oldestBatchAge.record(age.timeInterval)
            switch check.verdict {
            case .moving:
                readiness.set("\(name).progress", ready: true)
            case .stalled(let age):
                let detail = "a batch taken \(age) ago is not committed yet (stall timeout \(timeout))"
                readiness.set("\(name).progress", ready: false, detail: detail)
                if check.isNew { logger.error("the stage is not making progress", metadata: ["stage": "\(name)", "detail": "\(detail)"]) }
            }
            switch watch.observe(stalledFor: stalledFor, at: now) {
            case .none:
                break
            case .rebuild:
                // Off this loop (a consumer leaving a group on a dead broker takes a while), one heal at a time:
                // the liveness check must fail on time however long the heal takes.
                guard !isStopping, !healing.exchange(true, ordering: .sequentiallyConsistent) else { break }
                Task {
                    await self.heal(stalledFor: stalledFor)
                    self.healing.store(false, ordering: .sequentiallyConsistent)
                }
            case .failLiveness:
                let detail = "no progress for \(stalledFor), \(configuration.livenessTimeout) after rebuilding its Kafka producer"
                readiness.setAlive("\(name).progress", alive: false, detail: detail)
                logger.critical(
                    "the stage cannot heal; failing the liveness check so it is restarted",
                    metadata: ["stage": "\(name)", "detail": "\(detail)"]
                )
            case .recovered:
                readiness.setAlive("\(name).progress", alive: true)
                logger.notice("the stage makes progress again", metadata: ["stage": "\(name)"])
            }
        }
    }

    /// Recreates the stage's topics and rebuilds its producer, as at start-up, through the ``StageHealer``.
    /// The consumer is not replaced: librdkafka's consumer rejoins a broker that forgot its group on its own
    /// (measured against Tansu), while a member replaced during a rebalance leaves Tansu 0.6 waiting for the old
    /// one for ever. Batches polled before the heal are not committed. A step that fails is logged; the next
    /// heal is `healAfter` later, and the liveness timeout decides.
    private func heal(stalledFor: Duration) async {
        rebuilds.increment()
        logger.error(
            "the stage made no progress; rebuilding its Kafka producer and recreating its topics",
            metadata: ["stage": "\(name)", "stalled.for": "\(stalledFor)"]
        )
        healGeneration.add(1, ordering: .sequentiallyConsistent)
        if let healer {
            await healer.heal()
        }
    }

    /// As often as the progress is checked, until the stage stops: whether the broker answers and knows every
    /// topic the consumer reads (patterns aside). A consumer whose broker is gone, or forgot its topics (a
    /// broker restarted without its state), reads nothing and says so only in librdkafka's logs: from the first
    /// such answer until a good one, the stage counts as not moving, even with no batch in flight.
    private func watchTopics() async {
        let interval = max(.milliseconds(50), min(.seconds(5), configuration.healAfter / 4))
        var reported = false
        while !isStopping {
            do {
                let missing = try await consumer.missingTopics(timeout: .seconds(5))
                if missing.isEmpty {
                    progress.withLock { $0.polled() }
                    reported = false
                } else {
                    progress.withLock { $0.pollTroubled(at: .now) }
                    if !reported {
                        logger.error("the broker does not know topics the stage reads", metadata: ["stage": "\(name)", "kafka.topics": "\(missing)"])
                    }
                    reported = true
                }
            } catch {
                progress.withLock { $0.pollTroubled(at: .now) }
                if !reported { logger.error("the broker does not answer", metadata: ["stage": "\(name)", "error": "\(error)"]) }
                reported = true
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Every `lagInterval` until the stage stops: the group's lag on each partition assigned to this member,
    /// read from the broker off the consume loop (``KafkaConsumer/lag(timeout:)``). A partition that moved to
    /// another member reads 0 here, so summing over members counts each partition once.
    private func watchLag() async {
        var reported: Set<KafkaTopicPartition> = []
        var failing = false
        while !isStopping {
            do {
                let lags = try await consumer.lag(timeout: .seconds(5))
                failing = false
                let current = Set(lags.map(\.partition))
                for entry in lags { lagGauge(entry.partition).record(entry.lag) }
                for gone in reported.subtracting(current) { lagGauge(gone).record(0) }
                reported = current
            } catch {
                // The stage's own steps report an unreachable broker; the lag is left at its last reading.
                if !failing { logger.warning("could not read the consumer lag", metadata: ["stage": "\(name)", "error": "\(error)"]) }
                failing = true
            }
            try? await Task.sleep(for: configuration.lagInterval)
        }
    }

    private func lagGauge(_ partition: KafkaTopicPartition) -> Gauge {
        lagGauges.withLock { gauges in
            if let gauge = gauges[partition] { return gauge }
            let gauge = Gauge(
                label: "civic_consumer_lag",
                dimensions: [("stage", name), ("topic", partition.topic), ("partition", String(partition.partition))]
            )
            gauges[partition] = gauge
            return gauge
        }
    }

    /// Records, for each message of a committed batch, the time from its Kafka timestamp to now: the time
    /// since its event entered the pipeline (was written to its agency's `cx.feedback.submitted.v1.<agency>`), since every stage
    /// stamps its outputs with the timestamp of the input they come from
    /// (``KafkaOutboundMessage/carryingTimestamp(of:)``).
    private func recordLatency(of batch: [KafkaConsumerMessage]) {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        var timer: Metrics.Timer?
        var timerPartition: KafkaTopicPartition?
        var traced = exemplars.batch(at: now)
        // Newest first, so each bucket's exemplar is the newest traced record in it.
        for message in batch.reversed() {
            guard let timestamp = message.timestampMilliseconds else { continue }
            let partition = KafkaTopicPartition(topic: message.topic, partition: message.partition)
            if partition != timerPartition {
                timer = latencyTimer(partition)
                timerPartition = partition
            }
            // A timestamp from a skewed clock counts as no wait; a wait of more than
            // 2^40 ms (35 years) is clamped so the product stays in range.
            let (milliseconds, overflow) = now.subtractingReportingOverflow(timestamp)
            let clamped = overflow ? 0 : min(max(0, milliseconds), 1 << 40)
            timer?.recordNanoseconds(clamped * 1_000_000)
            traced.offer(
                .milliseconds(clamped),
                in: .init(stage: name, topic: message.topic, partition: message.partition),
                headers: message.headers
            )
        }
        exemplars.keep(traced)
    }

    private func latencyTimer(_ partition: KafkaTopicPartition) -> Metrics.Timer {
        latencyTimers.withLock { timers in
            if let timer = timers[partition] { return timer }
            let timer = Metrics.Timer(
                label: "civic_event_latency_seconds",
                dimensions: [("stage", name), ("topic", partition.topic), ("partition", String(partition.partition))],
                preferredDisplayUnit: .seconds
            )
            timers[partition] = timer
            return timer
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

/// Owns a `KafkaProducer` for a service group: on graceful shutdown it waits for outstanding deliveries.
/// List it before the services that produce, so it stops after them.
package final class ProducerService: Service, Sendable {
    /// The producer.
    package let producer: KafkaProducer

    /// Wraps a producer.
    package init(producer: KafkaProducer) { self.producer = producer }

    package func run() async throws {
        try? await gracefulShutdown()
        await producer.close()
    }
}

extension Metrics.Timer {
    /// Records a `Duration`.
    func record(duration: Duration) {
        recordNanoseconds(duration.wholeNanoseconds)
    }
}
