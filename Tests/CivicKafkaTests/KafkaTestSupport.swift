import CivicKafka
import CivicTesting
import Foundation
import Logging

/// Helpers shared by the Kafka shim tests.
enum KafkaTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "civic-kafka-tests")
        logger.logLevel = .warning
        return logger
    }()

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func client(_ broker: TestBroker) -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "civic-kafka-tests")
    }

    static func producer(_ broker: TestBroker, messageTimeoutMilliseconds: Int = 30_000) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(client: client(broker))
        configuration.messageTimeoutMilliseconds = messageTimeoutMilliseconds
        configuration.flushTimeoutMilliseconds = 2_000
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    static func consumer(_ broker: TestBroker, group: String, topics: [String]) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(client: client(broker), groupID: group, topics: topics)
        configuration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        configuration.heartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        return try KafkaConsumer(configuration: configuration, logger: logger)
    }

    static func createTopic(_ broker: TestBroker, _ name: String, partitions: Int32 = 3) async throws {
        let admin = try KafkaAdmin(configuration: client(broker), logger: logger)
        try await admin.createTopics([KafkaTopicSpecification(name: name, partitions: partitions)])
    }

    /// Polls until `count` messages arrived or `timeout` passed; commits after each batch when asked.
    static func consume(
        _ consumer: KafkaConsumer,
        count: Int,
        timeout: Duration = .seconds(30),
        commit: Bool = true
    ) async throws -> [KafkaConsumerMessage] {
        var received: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + timeout
        while received.count < count, ContinuousClock.now < deadline {
            guard let batch = try await consumer.poll(maxMessages: 500, maxWait: .milliseconds(200)) else { break }
            received += batch
            if commit, !batch.isEmpty { try await consumer.commit(batch.nextOffsets) }
        }
        return received
    }

    static func messages(topic: String, count: Int, prefix: String = "m") -> [KafkaOutboundMessage] {
        (0..<count).map { index in
            KafkaOutboundMessage(topic: topic, key: "key-\(index % 17)", value: Array("\(prefix)-\(index)".utf8))
        }
    }
}
