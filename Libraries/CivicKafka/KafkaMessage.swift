/// A message to send with ``KafkaProducer``.
public struct KafkaOutboundMessage: Sendable {
    /// The destination topic.
    public var topic: String
    /// The partitioning key; messages with the same key land on the same partition, in order.
    public var key: [UInt8]?
    /// The payload.
    public var value: [UInt8]
    /// The message timestamp in milliseconds since the epoch; `nil` lets the producer stamp it when it is
    /// sent.
    public var timestampMilliseconds: Int64?

    /// Creates a message.
    public init(topic: String, key: [UInt8]?, value: [UInt8], timestampMilliseconds: Int64? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// Creates a message with a UTF-8 string key.
    public init(topic: String, key: String?, value: [UInt8], timestampMilliseconds: Int64? = nil) {
        self.init(topic: topic, key: key.map { Array($0.utf8) }, value: value, timestampMilliseconds: timestampMilliseconds)
    }

    /// This message with the timestamp of the message it was made from, so that a stage's output keeps the
    /// time its input entered the pipeline and every later stage can tell how long ago that was.
    public func carryingTimestamp(of source: KafkaConsumerMessage) -> KafkaOutboundMessage {
        var message = self
        message.timestampMilliseconds = source.timestampMilliseconds ?? timestampMilliseconds
        return message
    }
}

/// A message received by ``KafkaConsumer``.
public struct KafkaConsumerMessage: Sendable {
    /// The topic it was read from.
    public var topic: String
    /// The partition it was read from.
    public var partition: Int32
    /// Its offset in that partition.
    public var offset: Int64
    /// Its key, if it had one.
    public var key: [UInt8]?
    /// Its payload (empty for a null payload).
    public var value: [UInt8]
    /// The message timestamp in milliseconds since the epoch, if the broker provided one.
    public var timestampMilliseconds: Int64?

    /// Creates a message value (used by tests and in-process sources).
    public init(
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
public struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32

    /// Creates a topic partition.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// Where a message was stored, as acknowledged by the broker.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The partition the message was written to.
    public var partition: Int32
    /// The offset it was written at.
    public var offset: Int64
}

extension Collection where Element == KafkaConsumerMessage {
    /// The offsets to commit after every message of this collection has been processed: for each
    /// partition, one past the highest offset seen.
    public var nextOffsets: [KafkaTopicPartition: Int64] {
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for message in self {
            let partition = KafkaTopicPartition(topic: message.topic, partition: message.partition)
            offsets[partition] = Swift.max(offsets[partition] ?? 0, message.offset + 1)
        }
        return offsets
    }
}
