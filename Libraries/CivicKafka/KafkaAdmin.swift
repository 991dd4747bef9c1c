import CivicTime
import Crdkafka
import Dispatch
import Foundation
import Logging

/// A topic to create with ``KafkaAdmin/createTopics(_:timeout:)``.
package struct KafkaTopicSpecification: Sendable, Hashable {
    /// The topic name.
    package var name: String
    /// The number of partitions. Default: 3.
    package var partitions: Int32 = 3
    /// The replication factor. Default: 1 (the local broker); use 3 on a production cluster.
    package var replicationFactor: Int32 = 1
    /// Topic configuration set at creation, for example `retention.ms`. Default: none (the broker's defaults).
    package var config: [String: String] = [:]

    /// Creates a specification with the documented defaults.
    package init(name: String, partitions: Int32 = 3, replicationFactor: Int32 = 1, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}

/// Topic administration through librdkafka's admin API.
package final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient
    private let logger: Logger

    /// Creates an admin client.
    package init(configuration: KafkaClientConfiguration, logger: Logger) throws {
        var properties = configuration.properties
        properties.merge(configuration.additionalProperties) { _, new in new }
        self.client = try RDKafkaClient.make(type: RD_KAFKA_PRODUCER, properties: properties, recordsBrokerErrors: true, logger: logger)
        self.logger = logger
    }

    /// `timeout` in whole milliseconds for librdkafka, fractions kept (1.5 s is 1,500 ms), at least 1 (0 would
    /// not wait at all) and at most `Int32.max`.
    static func milliseconds(_ timeout: Duration) -> Int32 {
        Int32(clamping: max(1, timeout.wholeMilliseconds))
    }

    /// Creates the topics that do not exist yet; existing topics are left as they are.
    /// - Throws: ``KafkaError`` with code `.admin` if the broker refused a topic, `.timedOut` if it did not answer.
    package func createTopics(_ topics: [KafkaTopicSpecification], timeout: Duration = .seconds(30)) async throws {
        guard !topics.isEmpty else { return }
        let milliseconds = Self.milliseconds(timeout)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                do {
                    try self.createTopicsBlocking(topics, timeoutMilliseconds: milliseconds)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private func createTopicsBlocking(_ topics: [KafkaTopicSpecification], timeoutMilliseconds: Int32) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor, &errstr, errstr.count) else {
                throw KafkaError(code: .admin, reason: "topic \(topic.name): \(RDKafkaClient.string(errstr))")
            }
            newTopics.append(newTopic)
            for (name, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(newTopic, name, value)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw KafkaError.rdkafka(.admin, err, context: "topic \(topic.name) config \(name)")
                }
            }
        }
        guard let queue = rd_kafka_queue_new(client.handle) else {
            throw KafkaError(code: .admin, reason: "could not create an admin result queue")
        }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMilliseconds, &errstr, errstr.count)
        rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errstr, errstr.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 5_000) else {
            var error = KafkaError(code: .timedOut, reason: "the broker did not answer CreateTopics", isRetriable: true)
            error.brokerError = client.lastBrokerError
            throw error
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            var error = KafkaError.rdkafka(.admin, eventError, context: "CreateTopics")
            error.brokerError = client.lastBrokerError
            throw error
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            throw KafkaError(code: .admin, reason: "CreateTopics returned no result")
        }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for index in 0..<count {
            let topicResult = results[index]
            let err = rd_kafka_topic_result_error(topicResult)
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.info("created topic", metadata: [KafkaLoggingKeys.topic: "\(name)"])
            } else if err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                throw KafkaError.rdkafka(.admin, err, context: "creating topic \(name)")
            }
        }
    }

    /// Waits until a broker answers a metadata request over a connection set up as configured (TLS handshake
    /// and SASL login included).
    /// - Throws: ``KafkaError`` with code `.connection` as soon as librdkafka reports a failed TLS handshake or
    ///   a refused login (not retriable: the settings or the credentials are wrong), or when no broker answered
    ///   within `timeout` (retriable); ``KafkaError/brokerError`` holds librdkafka's reason.
    package func verifyConnection(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                // An error from an earlier attempt (a broker that was restarting) says nothing about this one.
                self.client.forgetBrokerErrors()
                while true {
                    let attempt = ContinuousClock.now
                    var metadata: UnsafePointer<rd_kafka_metadata>?
                    let err = rd_kafka_metadata(self.client.handle, 0, nil, &metadata, 200)
                    if err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata {
                        rd_kafka_metadata_destroy(metadata)
                        continuation.resume()
                        return
                    }
                    let brokerError = self.client.lastBrokerError
                    let refused = brokerError.map { $0.isTLSFailure || $0.isAuthenticationFailure } ?? false
                    if refused || ContinuousClock.now >= deadline {
                        var error = KafkaError(
                            code: .connection,
                            reason: refused ? "the broker connection was refused" : "no broker answered within \(timeout)",
                            librdkafkaCode: err.rawValue,
                            isRetriable: !refused
                        )
                        error.brokerError = brokerError
                        continuation.resume(throwing: error)
                        return
                    }
                    // librdkafka answers at once while every broker is down: wait out the attempt, never spin.
                    let spent = ContinuousClock.now - attempt
                    if spent < .milliseconds(200) { Thread.sleep(forTimeInterval: Double((.milliseconds(200) - spent) / .milliseconds(1)) / 1000) }
                }
            }
        }
    }

    /// The number of partitions of a topic, or `nil` if the broker does not know it.
    package func partitionCount(of topic: String, timeout: Duration = .seconds(10)) async throws -> Int? {
        let milliseconds = Self.milliseconds(timeout)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int?, any Error>) in
            DispatchQueue.global().async {
                var metadata: UnsafePointer<rd_kafka_metadata>?
                guard let topicHandle = rd_kafka_topic_new(self.client.handle, topic, nil) else {
                    continuation.resume(returning: nil)
                    return
                }
                defer { rd_kafka_topic_destroy(topicHandle) }
                let err = rd_kafka_metadata(self.client.handle, 0, topicHandle, &metadata, milliseconds)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                    continuation.resume(throwing: KafkaError.rdkafka(.admin, err, context: "metadata for \(topic)"))
                    return
                }
                defer { rd_kafka_metadata_destroy(metadata) }
                guard metadata.pointee.topic_cnt > 0, metadata.pointee.topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    continuation.resume(returning: nil)
                    return
                }
                continuation.resume(returning: Int(metadata.pointee.topics[0].partition_cnt))
            }
        }
    }
}
