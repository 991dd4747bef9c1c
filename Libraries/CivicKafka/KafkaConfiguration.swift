/// Settings shared by every Kafka client.
package struct KafkaClientConfiguration: Sendable {
    /// Comma-separated `host:port` list of bootstrap brokers. Default: `127.0.0.1:9092`.
    package var bootstrapServers: String = "127.0.0.1:9092"
    /// The client id sent to the broker, shown in broker logs. Default: `civicpulse`.
    package var clientID: String = "civicpulse"
    /// TLS and SASL settings. Default: plaintext, no authentication.
    package var security = KafkaSecurityConfiguration()
    /// Raw librdkafka properties applied last, for anything not modelled here. Default: empty.
    package var additionalProperties: [String: String] = [:]

    /// Creates a configuration with the documented defaults.
    package init(
        bootstrapServers: String = "127.0.0.1:9092",
        clientID: String = "civicpulse",
        security: KafkaSecurityConfiguration = KafkaSecurityConfiguration()
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.security = security
    }

    var properties: [String: String] {
        // TCP_NODELAY, as Kafka's Java clients set it: with Nagle's algorithm a small produce request (one HTTP
        // submission awaiting its acknowledgement) waits for the previous one's ACK before it is sent.
        var properties = ["bootstrap.servers": bootstrapServers, "client.id": clientID, "socket.nagle.disable": "true"]
        properties.merge(security.properties) { _, new in new }
        return properties
    }
}

/// Settings of a ``KafkaProducer``.
package struct KafkaProducerConfiguration: Sendable {
    /// Connection settings.
    package var client: KafkaClientConfiguration
    /// Idempotent delivery (no duplicates or reordering from producer retries). Default: `true`.
    package var idempotent: Bool = true
    /// How long librdkafka keeps retrying a message before its delivery report fails, in ms.
    /// Default: 30000.
    package var messageTimeoutMilliseconds: Int = 30_000
    /// How long messages wait to be batched, in ms. Default: 1. Batch sends (a stream processor forwarding
    /// a batch) queue all their messages at once, so a longer linger mostly adds latency to single sends that
    /// a caller awaits, such as an HTTP submission.
    package var lingerMilliseconds: Int = 1
    /// The largest message librdkafka accepts, in bytes. Default: 1000000.
    package var maxMessageBytes: Int = 1_000_000
    /// How long a graceful shutdown waits for outstanding delivery reports, in ms. Default: 10000.
    package var flushTimeoutMilliseconds: Int = 10_000

    /// Creates a configuration with the documented defaults.
    package init(client: KafkaClientConfiguration = .init()) {
        self.client = client
    }

    var properties: [String: String] {
        var properties = client.properties
        properties["enable.idempotence"] = idempotent ? "true" : "false"
        properties["acks"] = "all"
        properties["message.timeout.ms"] = String(messageTimeoutMilliseconds)
        properties["linger.ms"] = String(lingerMilliseconds)
        properties["message.max.bytes"] = String(maxMessageBytes)
        // Java clients' partitioner, so an agency's Java producer and ours put a key on the same partition.
        properties["partitioner"] = "murmur2_random"
        properties.merge(client.additionalProperties) { _, new in new }
        return properties
    }
}

/// Settings of a ``KafkaConsumer``. Offsets are never committed automatically: the application commits
/// them with ``KafkaConsumer/commit(_:)`` after its own work is durable (at-least-once delivery).
package struct KafkaConsumerConfiguration: Sendable {
    /// Connection settings.
    package var client: KafkaClientConfiguration
    /// The consumer group. Required.
    package var groupID: String
    /// Topics to subscribe to; a name that starts with `^` is a regular expression (librdkafka's), matching
    /// every topic it names, also those created later. Required.
    package var topics: [String]
    /// Consumer group session timeout, in ms. Tansu holds the first join for half of this, so the local
    /// stack and tests use 2000. Default: 45000 (librdkafka's default).
    package var sessionTimeoutMilliseconds: Int = 45_000
    /// Heartbeat interval, in ms. Default: 3000 (librdkafka's default).
    package var heartbeatIntervalMilliseconds: Int = 3_000
    /// Maximum time between polls before the member is considered failed, in ms. Default: 300000.
    package var maxPollIntervalMilliseconds: Int = 300_000
    /// Where a group with no committed offset starts: `earliest` or `latest`. Default: `earliest`.
    package var autoOffsetReset: String = "earliest"
    /// How long the broker may hold an empty fetch, in ms (`fetch.wait.max.ms`). Default: 500.
    package var fetchWaitMilliseconds: Int = 500
    /// How often the topic list is refreshed, in ms (`topic.metadata.refresh.interval.ms`): a topic that starts
    /// with `^` is a regular expression, and a topic created later that matches it is subscribed to at the next
    /// refresh. Default: 300000 (librdkafka's default).
    package var topicMetadataRefreshMilliseconds: Int = 300_000

    /// Creates a configuration with the documented defaults.
    package init(client: KafkaClientConfiguration = .init(), groupID: String, topics: [String]) {
        self.client = client
        self.groupID = groupID
        self.topics = topics
    }

    var properties: [String: String] {
        var properties = client.properties
        properties["group.id"] = groupID
        properties["enable.auto.commit"] = "false"
        properties["enable.auto.offset.store"] = "false"
        properties["enable.partition.eof"] = "false"
        properties["auto.offset.reset"] = autoOffsetReset
        properties["session.timeout.ms"] = String(sessionTimeoutMilliseconds)
        properties["heartbeat.interval.ms"] = String(heartbeatIntervalMilliseconds)
        properties["max.poll.interval.ms"] = String(maxPollIntervalMilliseconds)
        properties["fetch.wait.max.ms"] = String(fetchWaitMilliseconds)
        properties["topic.metadata.refresh.interval.ms"] = String(topicMetadataRefreshMilliseconds)
        properties.merge(client.additionalProperties) { _, new in new }
        return properties
    }
}
