/// A message to send with ``KafkaProducer``.
package struct KafkaOutboundMessage: Sendable {
    /// The destination topic.
    package var topic: String
    /// The partitioning key; messages with the same key land on the same partition, in order.
    package var key: [UInt8]?
    /// The payload.
    package var value: [UInt8]
    /// The message timestamp in milliseconds since the epoch; `nil` lets the producer stamp it when it is
    /// sent.
    package var timestampMilliseconds: Int64?
    /// Record headers (for example the W3C `traceparent`), in order. Default: none.
    package var headers: [KafkaHeader] = []

    /// Creates a message.
    package init(topic: String, key: [UInt8]?, value: [UInt8], timestampMilliseconds: Int64? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// Creates a message with a UTF-8 string key.
    package init(topic: String, key: String?, value: [UInt8], timestampMilliseconds: Int64? = nil) {
        self.init(topic: topic, key: key.map { Array($0.utf8) }, value: value, timestampMilliseconds: timestampMilliseconds)
    }

    /// This message with the timestamp of the message it was made from, so that a stage's output keeps the
    /// time its input entered the pipeline and every later stage can tell how long ago that was.
    package func carryingTimestamp(of source: KafkaConsumerMessage) -> KafkaOutboundMessage {
        var message = self
        message.timestampMilliseconds = source.timestampMilliseconds ?? timestampMilliseconds
        return message
    }
}

/// A message received by ``KafkaConsumer``.
package struct KafkaConsumerMessage: Sendable {
    /// The topic it was read from.
    package var topic: String
    /// The partition it was read from.
    package var partition: Int32
    /// Its offset in that partition.
    package var offset: Int64
    /// Its key, if it had one.
    package var key: [UInt8]?
    /// Its payload (empty for a null payload).
    package var value: [UInt8]
    /// The message timestamp in milliseconds since the epoch, if the broker provided one.
    package var timestampMilliseconds: Int64?
    /// The record's headers, in order (empty when it has none).
    package var headers: [KafkaHeader] = []

    /// Creates a message value (used by tests and in-process sources).
    package init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8],
        timestampMilliseconds: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
    }
}

/// A topic partition.
package struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    /// The topic name.
    package var topic: String
    /// The partition number.
    package var partition: Int32

    /// Creates a topic partition.
    package init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    package var description: String { "\(topic)[\(partition)]" }
}

/// Where a message was stored, as acknowledged by the broker.
package struct KafkaDeliveryReport: Sendable, Hashable {
    /// The topic.
    package var topic: String
    /// The partition the message was written to.
    package var partition: Int32
    /// The offset it was written at.
    package var offset: Int64
}

extension Collection where Element == KafkaConsumerMessage {
    /// The offsets to commit after every message of this collection has been processed: for each
    /// partition, one past the highest offset seen.
    package var nextOffsets: [KafkaTopicPartition: Int64] {
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for message in self {
            let partition = KafkaTopicPartition(topic: message.topic, partition: message.partition)
            offsets[partition] = Swift.max(offsets[partition] ?? 0, message.offset + 1)
        }
        return offsets
    }
}

/// One record header: a name and a value of bytes (Kafka allows a name to repeat).
package struct KafkaHeader: Sendable, Hashable {
    /// The header's name.
    package var name: String
    /// The header's value.
    package var value: [UInt8]

    /// A header named `name` with `value`.
    package init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == KafkaHeader {
    /// The value of the last header named `name`, if any.
    package func last(named name: String) -> [UInt8]? {
        last { $0.name == name }?.value
    }
}
