import CivicTime
import Crdkafka
import Dispatch
import Logging
import Synchronization

/// A consumer-group member that reads messages in batches and commits offsets only when told to.
///
/// Auto-commit and auto offset store are off: the application calls ``commit(_:)`` after its work is
/// durable, which gives at-least-once delivery. Every blocking librdkafka call runs on the consumer's own
/// serial dispatch queue, never on Swift's cooperative pool.
package final class KafkaConsumer: Sendable {
    let client: RDKafkaClient
    let configuration: KafkaConsumerConfiguration
    private let logger: Logger
    private let ioQueue: DispatchQueue
    /// Broker queries about the group's progress (``lag(timeout:)``), kept off `ioQueue` so that they never
    /// wait behind a poll or hold one up.
    let lagQueue: DispatchQueue
    private let closed = Atomic<Bool>(false)

    /// Creates the consumer and subscribes to ``KafkaConsumerConfiguration/topics``.
    /// - Throws: ``KafkaError`` with code `.configuration`, `.clientCreation` or `.consume`.
    package init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        var logger = logger
        logger[metadataKey: KafkaLoggingKeys.group] = "\(configuration.groupID)"
        self.configuration = configuration
        self.logger = logger
        self.ioQueue = DispatchQueue(label: "civic-kafka-consumer.\(configuration.groupID)")
        self.lagQueue = DispatchQueue(label: "civic-kafka-consumer-lag.\(configuration.groupID)")
        let client = try RDKafkaClient.make(type: RD_KAFKA_CONSUMER, properties: configuration.properties, logger: logger)
        self.client = client
        rd_kafka_poll_set_consumer(client.handle)
        guard let list = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count)) else {
            throw KafkaError(code: .consume, reason: "could not allocate a topic list")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in configuration.topics {
            rd_kafka_topic_partition_list_add(list, topic, -1)  // RD_KAFKA_PARTITION_UA
        }
        let err = rd_kafka_subscribe(client.handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdkafka(.consume, err, context: "subscribing to \(configuration.topics)")
        }
    }

    deinit {
        if !closed.load(ordering: .sequentiallyConsistent) {
            rd_kafka_consumer_close(client.handle)
        }
    }

    /// The topics this consumer reads (patterns aside) that the broker does not know, asked of the broker
    /// (a metadata request for every topic) on the queue ``lag(timeout:)`` uses, so a poll never waits behind it.
    /// librdkafka rides out an unreachable broker or a missing topic on its own, logging, which is why
    /// ``poll(maxMessages:maxWait:)`` does not throw then; a caller that watches progress asks this instead.
    /// - Throws: ``KafkaError`` with code `.consume` when the broker does not answer within `timeout`.
    package func missingTopics(timeout: Duration = .seconds(5)) async throws -> [String] {
        let milliseconds = Int32(clamping: timeout.wholeMilliseconds)
        let wanted = configuration.topics.filter { !$0.hasPrefix("^") }
        return try await withCheckedThrowingContinuation { continuation in
            lagQueue.async {
                var metadata: UnsafePointer<rd_kafka_metadata>?
                let err = rd_kafka_metadata(self.client.handle, 1, nil, &metadata, milliseconds)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                    continuation.resume(throwing: KafkaError.rdkafka(.consume, err, context: "reading the broker's topics"))
                    return
                }
                defer { rd_kafka_metadata_destroy(metadata) }
                var known: Set<String> = []
                for index in 0..<Int(metadata.pointee.topic_cnt) {
                    let topic = metadata.pointee.topics[index]
                    if topic.err == RD_KAFKA_RESP_ERR_NO_ERROR, topic.partition_cnt > 0 { known.insert(String(cString: topic.topic)) }
                }
                continuation.resume(returning: wanted.filter { !known.contains($0) })
            }
        }
    }

    /// Batches of messages as they arrive; see ``KafkaMessageBatches``.
    /// - Parameters:
    ///   - maxMessages: The most messages in one batch.
    ///   - maxWait: How long to wait for the first message of a batch before polling again.
    package func batches(maxMessages: Int = 500, maxWait: Duration = .milliseconds(100)) -> KafkaMessageBatches {
        KafkaMessageBatches(consumer: self, maxMessages: maxMessages, maxWait: maxWait)
    }

    /// Waits for up to `maxMessages` messages. Returns an empty array when nothing arrived within `maxWait`.
    /// Returns `nil` once the consumer is closed.
    /// - Throws: ``KafkaError`` with code `.consume` for errors the consumer cannot ride out.
    package func poll(maxMessages: Int, maxWait: Duration) async throws -> [KafkaConsumerMessage]? {
        let timeout = Int32(clamping: maxWait.wholeMilliseconds)
        return try await onIOQueue { () throws(KafkaError) -> [KafkaConsumerMessage]? in
            guard !self.closed.load(ordering: .sequentiallyConsistent) else { return nil }
            var batch: [KafkaConsumerMessage] = []
            var wait = timeout
            while batch.count < maxMessages, let raw = rd_kafka_consumer_poll(self.client.handle, wait) {
                defer { rd_kafka_message_destroy(raw) }
                wait = 0
                let err = raw.pointee.err
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    try self.handleConsumerError(err, message: raw)
                    continue
                }
                batch.append(Self.copy(raw))
            }
            return batch
        }
    }

    /// Commits, synchronously, the given next offsets (one past the last processed message per partition).
    /// - Throws: ``KafkaError`` with code `.commit`. A retriable commit error (for example a rebalance in
    ///   progress) means the messages will be delivered again, which idempotent processing absorbs.
    package func commit(_ offsets: [KafkaTopicPartition: Int64]) async throws {
        guard !offsets.isEmpty else { return }
        try await onIOQueue { () throws(KafkaError) in
            guard let list = rd_kafka_topic_partition_list_new(Int32(offsets.count)) else {
                throw KafkaError(code: .commit, reason: "could not allocate a partition list")
            }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for (partition, offset) in offsets {
                rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition).pointee.offset = offset
            }
            let err = rd_kafka_commit(self.client.handle, list, 0)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET else {
                throw KafkaError.rdkafka(.commit, err, context: "committing \(offsets.count) partition offsets")
            }
        }
    }

    /// The offsets this group has committed for the given partitions (`nil` where none is committed).
    package func committedOffsets(for partitions: [KafkaTopicPartition]) async throws -> [KafkaTopicPartition: Int64?] {
        try await onIOQueue { () throws(KafkaError) -> [KafkaTopicPartition: Int64?] in
            guard let list = rd_kafka_topic_partition_list_new(Int32(partitions.count)) else {
                throw KafkaError(code: .commit, reason: "could not allocate a partition list")
            }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for partition in partitions {
                rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)
            }
            let err = rd_kafka_committed(self.client.handle, list, 10_000)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError.rdkafka(.commit, err, context: "reading committed offsets")
            }
            var result: [KafkaTopicPartition: Int64?] = [:]
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                let partition = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
                result[partition] = element.offset >= 0 ? element.offset : nil
            }
            return result
        }
    }

    /// The partitions currently assigned to this member.
    package func assignment() async throws -> [KafkaTopicPartition] {
        try await onIOQueue { () throws(KafkaError) -> [KafkaTopicPartition] in
            var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            let err = rd_kafka_assignment(self.client.handle, &list)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
                throw KafkaError.rdkafka(.consume, err, context: "reading the assignment")
            }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            return (0..<Int(list.pointee.cnt)).map { index in
                let element = list.pointee.elems[index]
                return KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
            }
        }
    }

    /// Leaves the consumer group (so its partitions are reassigned at once) and stops polling.
    /// Offsets are not committed here: whatever was not committed is delivered again.
    package func close() async {
        guard !closed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            ioQueue.async {
                rd_kafka_consumer_close(self.client.handle)
                continuation.resume()
            }
        }
    }

    // MARK: - Helpers

    private func onIOQueue<T: Sendable>(_ body: @escaping @Sendable () throws(KafkaError) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            ioQueue.async {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private func handleConsumerError(_ err: rd_kafka_resp_err_t, message: UnsafeMutablePointer<rd_kafka_message_t>) throws(KafkaError) {
        let text = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
        let error = KafkaError.rdkafka(.consume, err, context: text)
        if err == RD_KAFKA_RESP_ERR__FATAL {
            throw KafkaError(code: .consume, reason: error.reason, librdkafkaCode: err.rawValue, isFatal: true)
        }
        // Broker down, unknown topic while it is being created, transport errors: librdkafka retries on its own.
        logger.warning("kafka consumer error", metadata: ["kafka.error": "\(error)"])
    }

    private static func copy(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaConsumerMessage {
        let message = raw.pointee
        let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        let value: [UInt8] =
            message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.len)) } ?? []
        let key: [UInt8]? = message.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.key_len)) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(raw, &timestampType)
        var copied = KafkaConsumerMessage(
            topic: topic,
            partition: message.partition,
            offset: message.offset,
            key: key,
            value: value,
            timestampMilliseconds: timestamp >= 0 ? timestamp : nil
        )
        var headers: OpaquePointer?
        if rd_kafka_message_headers(raw, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers {
            var index = 0
            var name: UnsafePointer<CChar>?
            var bytes: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(headers, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                if let name {
                    let value = bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
                    copied.headers.append(KafkaHeader(name: String(cString: name), value: value))
                }
                index += 1
            }
        }
        return copied
    }
}

/// An `AsyncSequence` of message batches from a ``KafkaConsumer``. Each iteration pulls, so a slow
/// consumer applies back-pressure naturally. Empty polls are skipped; the sequence ends when the
/// consumer is closed or the task is cancelled.
package struct KafkaMessageBatches: AsyncSequence, Sendable {
    package typealias Element = [KafkaConsumerMessage]

    let consumer: KafkaConsumer
    let maxMessages: Int
    let maxWait: Duration

    package struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        let maxMessages: Int
        let maxWait: Duration

        package mutating func next() async throws -> [KafkaConsumerMessage]? {
            while !Task.isCancelled {
                guard let batch = try await consumer.poll(maxMessages: maxMessages, maxWait: maxWait) else {
                    return nil
                }
                if !batch.isEmpty { return batch }
            }
            return nil
        }
    }

    package func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer, maxMessages: maxMessages, maxWait: maxWait)
    }
}
