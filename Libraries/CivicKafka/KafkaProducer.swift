import Crdkafka
import Foundation
import Logging
import Synchronization

/// An idempotent Kafka producer whose `send` returns only when the broker has acknowledged every message.
///
/// Delivery reports arrive on librdkafka's main queue, which a dedicated thread polls (blocking C calls
/// stay off Swift's cooperative pool). Call ``close()`` before dropping the producer: it waits for
/// outstanding deliveries (up to ``KafkaProducerConfiguration/flushTimeoutMilliseconds``) and stops the thread.
///
/// ``rebuild()`` replaces the librdkafka client underneath with a new one (a new producer id), for a broker
/// that forgot the old one: everyone holding the producer goes on with the new client.
package final class KafkaProducer: Sendable {
    private let configuration: KafkaProducerConfiguration
    private let logger: Logger
    private let state: Mutex<State>

    /// One librdkafka client with its delivery-report queue, poll thread and topic handles.
    private final class Engine: Sendable {
        let client: RDKafkaClient
        let queue: RDKafkaQueue
        let poller: RDKafkaPollThread
        let generation: Int

        init(configuration: KafkaProducerConfiguration, generation: Int, logger: Logger) throws(KafkaError) {
            let client = try RDKafkaClient.make(
                type: RD_KAFKA_PRODUCER,
                properties: configuration.properties,
                events: Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR),
                logger: logger
            )
            self.client = client
            self.queue = RDKafkaQueue(handle: rd_kafka_queue_get_main(client.handle))
            self.poller = RDKafkaPollThread(name: "civic-kafka-producer")
            self.generation = generation
        }
    }

    private struct Pending {
        var batch: DeliveryBatch
        var index: Int
        var topic: String
        var generation: Int
    }

    private struct State {
        var nextMessageID: UInt = 1
        var pending: [UInt: Pending] = [:]
        var topics: [String: RDKafkaTopic] = [:]
        var closed = false
        var engine: Engine
    }

    /// Creates a producer and starts polling for delivery reports.
    /// - Throws: ``KafkaError`` with code `.configuration` or `.clientCreation`.
    package init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let engine = try Engine(configuration: configuration, generation: 0, logger: logger)
        state = Mutex(State(engine: engine))
        start(engine)
    }

    deinit {
        let engine = state.withLock { state in
            state.topics.removeAll()
            return state.engine
        }
        engine.poller.stop()
    }

    private func start(_ engine: Engine) {
        engine.poller.start { [weak self] in self?.pollOnce(engine) ?? false }
    }

    /// The client in use.
    private var engine: Engine {
        state.withLock { $0.engine }
    }

    /// How many times ``rebuild()`` replaced the client.
    package var rebuilds: Int { engine.generation }

    /// Replaces the librdkafka client with a new one (a new producer id, new connections, no topic handles).
    /// Messages the old client still held fail with a retriable `.delivery` error, so their senders send them
    /// again through the new client; the old client is destroyed off the caller's task.
    /// - Throws: ``KafkaError`` with code `.configuration` or `.clientCreation`; the old client then stays.
    package func rebuild() throws {
        let next = try Engine(configuration: configuration, generation: engine.generation + 1, logger: logger)
        let old: Engine? = state.withLock { state in
            guard !state.closed else { return nil }
            defer {
                state.engine = next
                state.topics.removeAll()
            }
            return state.engine
        }
        guard let old else { return }
        start(next)
        logger.warning("kafka producer rebuilt with a new client", metadata: ["kafka.producer.generation": "\(next.generation)"])
        DispatchQueue.global().async {
            old.poller.stop()
            let abandoned = self.state.withLock { state in
                let ids = state.pending.filter { $0.value.generation == old.generation }.map(\.key)
                return ids.compactMap { state.pending.removeValue(forKey: $0) }
            }
            for entry in abandoned {
                entry.batch.complete(
                    index: entry.index,
                    with: .failure(
                        KafkaError(code: .delivery, reason: "the producer was rebuilt before delivery to \(entry.topic)", isRetriable: true)
                    )
                )
            }
            // `old` is released here, on this queue: rd_kafka_destroy may block while its threads end.
        }
    }

    /// Sends one message and waits for the broker's acknowledgement.
    /// - Returns: Where the message was stored.
    /// - Throws: ``KafkaError`` (`.produce` if it could not be enqueued, `.delivery` if the broker refused it
    ///   or it timed out).
    @discardableResult
    package func send(_ message: KafkaOutboundMessage) async throws -> KafkaDeliveryReport {
        let reports = try await send([message])
        return reports[0]
    }

    /// Sends messages and waits until every one is acknowledged. Messages with the same key keep their order.
    /// - Returns: One report per message, in the order given.
    /// - Throws: ``KafkaError`` for the first message that failed; the others were still waited for, so no
    ///   delivery is left in flight when this returns.
    @discardableResult
    package func send(_ messages: [KafkaOutboundMessage]) async throws -> [KafkaDeliveryReport] {
        guard !messages.isEmpty else { return [] }
        let batch = DeliveryBatch(count: messages.count)
        for (index, message) in messages.enumerated() {
            do {
                try await enqueue(message, batch: batch, index: index)
            } catch let error as KafkaError {
                batch.complete(index: index, with: .failure(error))
            }
        }
        return try await batch.wait().map { try $0.get() }
    }

    /// Whether the client has hit a fatal error (an idempotent producer whose sequence the broker lost, for
    /// example): it can deliver nothing more and must be replaced.
    package var hasFatalError: Bool {
        rd_kafka_fatal_error(engine.client.handle, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// The number of messages waiting to be sent or acknowledged.
    package var outstandingMessages: Int { Int(rd_kafka_outq_len(engine.client.handle)) }

    /// Waits (up to the flush timeout) for outstanding deliveries, then stops the poll thread. A producer
    /// with a fatal error waits for nothing: its deliveries can never complete. Deliveries still outstanding
    /// afterwards fail with `.closed`.
    package func close() async {
        state.withLock { $0.closed = true }
        let engine = self.engine
        let deadline = ContinuousClock.now + .milliseconds(configuration.flushTimeoutMilliseconds)
        while rd_kafka_outq_len(engine.client.handle) > 0, ContinuousClock.now < deadline, !hasFatalError {
            try? await Task.sleep(for: .milliseconds(10))
        }
        engine.poller.stop()
        let abandoned = state.withLock { state in
            defer { state.pending.removeAll() }
            return Array(state.pending.values)
        }
        for entry in abandoned {
            entry.batch.complete(
                index: entry.index,
                with: .failure(KafkaError(code: .closed, reason: "producer closed before delivery to \(entry.topic)"))
            )
        }
    }

    // MARK: - Enqueueing

    private func enqueue(_ message: KafkaOutboundMessage, batch: DeliveryBatch, index: Int) async throws {
        while true {
            let (engine, topic, id): (Engine, RDKafkaTopic, UInt) = try state.withLock { state throws(KafkaError) in
                guard !state.closed else {
                    throw KafkaError(code: .closed, reason: "producer is closed")
                }
                let engine = state.engine
                let topic: RDKafkaTopic
                if let cached = state.topics[message.topic] {
                    topic = cached
                } else {
                    topic = try RDKafkaTopic.make(client: engine.client, name: message.topic)
                    state.topics[message.topic] = topic
                }
                let id = state.nextMessageID
                state.nextMessageID += 1
                state.pending[id] = Pending(batch: batch, index: index, topic: message.topic, generation: engine.generation)
                return (engine, topic, id)
            }
            let err = message.value.withUnsafeBytes { value in
                withKeyBytes(message.key) { keyPointer, keyLength in
                    produce(engine.client, topic, message.timestampMilliseconds, message.headers, value, keyPointer, keyLength, id)
                }
            }
            if err == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            state.withLock { _ = $0.pending.removeValue(forKey: id) }
            if err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                // Back-pressure: wait for the poll thread to drain delivery reports, then retry.
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            throw KafkaError.rdkafka(.produce, err, context: "producing to \(message.topic)")
        }
    }

    /// Hands one message to librdkafka (which copies it); with a timestamp through `rd_kafka_produceva`.
    private func produce(
        _ client: RDKafkaClient,
        _ topic: RDKafkaTopic,
        _ timestamp: Int64?,
        _ headers: [KafkaHeader],
        _ value: UnsafeRawBufferPointer,
        _ key: UnsafeRawPointer?,
        _ keyLength: Int,
        _ id: UInt
    ) -> rd_kafka_resp_err_t {
        guard timestamp != nil || !headers.isEmpty else {
            let result = rd_kafka_produce(
                topic.handle,
                -1,  // RD_KAFKA_PARTITION_UA: let the partitioner choose by key
                RD_KAFKA_MSG_F_COPY,
                UnsafeMutableRawPointer(mutating: value.baseAddress),
                value.count,
                key,
                keyLength,
                UnsafeMutableRawPointer(bitPattern: id)
            )
            return result == 0 ? RD_KAFKA_RESP_ERR_NO_ERROR : rd_kafka_last_error()
        }
        var fields = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 6)
        fields[0].vtype = RD_KAFKA_VTYPE_RKT
        fields[0].u.rkt = topic.handle
        fields[1].vtype = RD_KAFKA_VTYPE_PARTITION
        fields[1].u.i32 = -1  // RD_KAFKA_PARTITION_UA
        fields[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS
        fields[2].u.i = RD_KAFKA_MSG_F_COPY
        fields[3].vtype = RD_KAFKA_VTYPE_VALUE
        fields[3].u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
        fields[3].u.mem.size = value.count
        fields[4].vtype = RD_KAFKA_VTYPE_KEY
        fields[4].u.mem.ptr = UnsafeMutableRawPointer(mutating: key)
        fields[4].u.mem.size = keyLength
        fields[5].vtype = RD_KAFKA_VTYPE_OPAQUE
        fields[5].u.ptr = UnsafeMutableRawPointer(bitPattern: id)
        if let timestamp {
            var field = rd_kafka_vu_t()
            field.vtype = RD_KAFKA_VTYPE_TIMESTAMP
            field.u.i64 = timestamp
            fields.append(field)
        }
        // librdkafka copies the headers' names and values, and owns the list once the message is accepted.
        var list: OpaquePointer?
        if !headers.isEmpty, let created = rd_kafka_headers_new(headers.count) {
            for header in headers {
                header.value.withUnsafeBytes { bytes in
                    _ = rd_kafka_header_add(created, header.name, -1, bytes.baseAddress, bytes.count)
                }
            }
            var field = rd_kafka_vu_t()
            field.vtype = RD_KAFKA_VTYPE_HEADERS
            field.u.headers = created
            fields.append(field)
            list = created
        }
        guard let error = rd_kafka_produceva(client.handle, fields, fields.count) else { return RD_KAFKA_RESP_ERR_NO_ERROR }
        defer { rd_kafka_error_destroy(error) }
        if let list { rd_kafka_headers_destroy(list) }
        return rd_kafka_error_code(error)
    }

    private func withKeyBytes<R>(_ key: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
        guard let key else { return body(nil, 0) }
        return key.withUnsafeBytes { body($0.baseAddress, $0.count) }
    }

    // MARK: - Delivery reports

    /// Serves `engine`'s main queue once; returns whether polling should continue.
    private func pollOnce(_ engine: Engine) -> Bool {
        guard let event = rd_kafka_queue_poll(engine.queue.handle, 100) else { return true }
        defer { rd_kafka_event_destroy(event) }
        switch rd_kafka_event_type(event) {
        case Int32(RD_KAFKA_EVENT_DR):
            handleDeliveryReports(event)
        case Int32(RD_KAFKA_EVENT_ERROR):
            let err = rd_kafka_event_error(event)
            let message = String(cString: rd_kafka_event_error_string(event))
            let fatal = rd_kafka_event_error_is_fatal(event) != 0
            logger.log(
                level: fatal ? .error : .warning,
                "kafka producer error: \(message)",
                metadata: ["kafka.error": "\(String(cString: rd_kafka_err2name(err)))"]
            )
        default:
            break
        }
        return true
    }

    private func handleDeliveryReports(_ event: OpaquePointer) {
        var completions: [(Pending, Result<KafkaDeliveryReport, KafkaError>)] = []
        while let message = rd_kafka_event_message_next(event) {
            let id = UInt(bitPattern: message.pointee._private)
            guard let pending = state.withLock({ $0.pending.removeValue(forKey: id) }) else { continue }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                let report = KafkaDeliveryReport(
                    topic: pending.topic,
                    partition: message.pointee.partition,
                    offset: message.pointee.offset
                )
                completions.append((pending, .success(report)))
            } else {
                completions.append(
                    (pending, .failure(.rdkafka(.delivery, err, context: "delivery to \(pending.topic) failed")))
                )
            }
        }
        for (pending, result) in completions {
            pending.batch.complete(index: pending.index, with: result)
        }
    }
}

// MARK: - Delivery batch

/// Collects the delivery results of one `send` call and resumes its waiter when all are in.
final class DeliveryBatch: Sendable {
    private struct State {
        var results: [Result<KafkaDeliveryReport, KafkaError>?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count))
    }

    func complete(index: Int, with result: Result<KafkaDeliveryReport, KafkaError>) {
        let resume: (CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>, [Result<KafkaDeliveryReport, KafkaError>])? =
            state.withLock { state in
                guard state.results[index] == nil else { return nil }
                state.results[index] = result
                state.remaining -= 1
                guard state.remaining == 0, let continuation = state.continuation else { return nil }
                state.continuation = nil
                return (continuation, state.results.compactMap { $0 })
            }
        if let (continuation, results) = resume { continuation.resume(returning: results) }
    }

    func wait() async -> [Result<KafkaDeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let ready: [Result<KafkaDeliveryReport, KafkaError>]? = state.withLock { state in
                if state.remaining == 0 { return state.results.compactMap { $0 } }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

// MARK: - Small C handle owners

/// Owns an `rd_kafka_queue_t`.
final class RDKafkaQueue: @unchecked Sendable {
    let handle: OpaquePointer
    init(handle: OpaquePointer) { self.handle = handle }
    deinit { rd_kafka_queue_destroy(handle) }
}

/// Owns an `rd_kafka_topic_t`.
final class RDKafkaTopic: @unchecked Sendable {
    let handle: OpaquePointer
    private let client: RDKafkaClient  // keeps the client alive while the topic handle exists

    private init(handle: OpaquePointer, client: RDKafkaClient) {
        self.handle = handle
        self.client = client
    }

    static func make(client: RDKafkaClient, name: String) throws(KafkaError) -> RDKafkaTopic {
        guard let handle = rd_kafka_topic_new(client.handle, name, nil) else {
            throw KafkaError.rdkafka(.produce, rd_kafka_last_error(), context: "opening topic \(name)")
        }
        return RDKafkaTopic(handle: handle, client: client)
    }

    deinit { rd_kafka_topic_destroy(handle) }
}

/// A dedicated thread that calls a blocking poll function until stopped.
final class RDKafkaPollThread: Sendable {
    private let name: String
    private let running = Atomic<Bool>(false)
    private let threadID = Atomic<UInt>(0)
    private let done = DispatchSemaphore(value: 0)

    init(name: String) { self.name = name }

    func start(_ poll: @escaping @Sendable () -> Bool) {
        running.store(true, ordering: .sequentiallyConsistent)
        let thread = Thread { [self] in
            threadID.store(UInt(pthread_self()), ordering: .sequentiallyConsistent)
            while running.load(ordering: .sequentiallyConsistent), poll() {}
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops polling and waits for the current poll to return (at most one poll timeout). Called from the
    /// poll thread itself (a last reference dropped there), it only flags the loop to end.
    func stop() {
        guard running.exchange(false, ordering: .sequentiallyConsistent) else { return }
        if threadID.load(ordering: .sequentiallyConsistent) != UInt(pthread_self()) {
            done.wait()
        }
    }
}
