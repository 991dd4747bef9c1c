import CivicKafka
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// The Kafka shim against a real Kafka-protocol broker (Tansu) on loopback.
@Suite(.startsProcesses, .hangGuard)
struct KafkaBrokerTests {
    typealias Support = KafkaTestSupport

    @Test func producedMessagesAreConsumedWithKeysAndOrderPerKey() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("roundtrip")
        try await Support.createTopic(broker, topic)
        let producer = try Support.producer(broker)
        let reports = try await producer.send(Support.messages(topic: topic, count: 300))
        #expect(reports.count == 300)
        #expect(Set(reports.map(\.partition)).isSubset(of: [0, 1, 2]))
        await producer.close()

        let consumer = try Support.consumer(broker, group: Support.uniqueName("g"), topics: [topic])
        let received = try await Support.consume(consumer, count: 300)
        await consumer.close()
        #expect(received.count == 300)
        #expect(Set(received.map { String(decoding: $0.value, as: UTF8.self) }) == Set((0..<300).map { "m-\($0)" }))
        // Per key, messages arrive in the order they were sent.
        var lastIndexByKey: [String: Int] = [:]
        for message in received {
            let key = String(decoding: message.key ?? [], as: UTF8.self)
            let index = Int(String(decoding: message.value, as: UTF8.self).dropFirst(2)) ?? -1
            #expect(index > lastIndexByKey[key, default: -1], "key \(key) out of order")
            lastIndexByKey[key] = index
        }
    }

    @Test func topicCreationIsIdempotentAndSetsPartitions() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("admin")
        let admin = try KafkaAdmin(configuration: Support.client(broker), logger: Support.logger)
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 4)])
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 4)])
        #expect(try await admin.partitionCount(of: topic) == 4)
    }

    @Test func consumerGroupRebalancesAcrossTwoConsumers() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("rebalance")
        try await Support.createTopic(broker, topic, partitions: 4)
        let group = Support.uniqueName("g")
        let first = try Support.consumer(broker, group: group, topics: [topic])
        // The first member owns every partition once it has joined (polling drives the join).
        let joined = ContinuousClock.now + TestPatience.hang
        while try await first.assignment().count < 4, ContinuousClock.now < joined {
            _ = try await first.poll(maxMessages: 500, maxWait: .milliseconds(200))
        }
        #expect(try await first.assignment().count == 4)

        let second = try Support.consumer(broker, group: group, topics: [topic])
        // Keep both polling until the group has rebalanced to two members.
        let deadline = ContinuousClock.now + TestPatience.hang
        var split = false
        while !split, ContinuousClock.now < deadline {
            async let a = first.poll(maxMessages: 10, maxWait: .milliseconds(200))
            async let b = second.poll(maxMessages: 10, maxWait: .milliseconds(200))
            _ = try await (a, b)
            let (ownedByFirst, ownedBySecond) = (try await first.assignment(), try await second.assignment())
            split =
                !ownedByFirst.isEmpty && !ownedBySecond.isEmpty && ownedByFirst.count + ownedBySecond.count == 4
                && Set(ownedByFirst).isDisjoint(with: ownedBySecond)
        }
        #expect(split, "the two consumers never split the four partitions between them")

        // Messages produced now are consumed once across the group.
        let producer = try Support.producer(broker)
        try await producer.send(Support.messages(topic: topic, count: 200))
        await producer.close()
        var seen: [String] = []
        let consumeDeadline = ContinuousClock.now + TestPatience.hang
        while seen.count < 200, ContinuousClock.now < consumeDeadline {
            async let a = first.poll(maxMessages: 100, maxWait: .milliseconds(200))
            async let b = second.poll(maxMessages: 100, maxWait: .milliseconds(200))
            let (batchA, batchB) = try await (a, b)
            for batch in [batchA ?? [], batchB ?? []] {
                seen += batch.map { String(decoding: $0.value, as: UTF8.self) }
            }
        }
        #expect(seen.count == 200)
        #expect(Set(seen).count == 200)
        await first.close()
        await second.close()
    }

    @Test func restartedConsumerResumesAfterTheLastCommit() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("resume")
        try await Support.createTopic(broker, topic, partitions: 2)
        let group = Support.uniqueName("g")
        let producer = try Support.producer(broker)
        try await producer.send(Support.messages(topic: topic, count: 100, prefix: "first"))

        let consumer = try Support.consumer(broker, group: group, topics: [topic])
        let firstRound = try await Support.consume(consumer, count: 100)
        #expect(firstRound.count == 100)
        await consumer.close()

        try await producer.send(Support.messages(topic: topic, count: 50, prefix: "second"))
        await producer.close()
        let restarted = try Support.consumer(broker, group: group, topics: [topic])
        let secondRound = try await Support.consume(restarted, count: 50)
        // Give a would-be redelivery of the first round a chance to show up.
        let extra = try await restarted.poll(maxMessages: 500, maxWait: .seconds(1)) ?? []
        await restarted.close()
        let values = (secondRound + extra).map { String(decoding: $0.value, as: UTF8.self) }
        #expect(values.count == 50)
        #expect(values.allSatisfy { $0.hasPrefix("second-") })
    }

    @Test func aMessageKeepsTheTimestampItWasGivenAndOthersGetTheTimeOfSending() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("timestamps")
        try await Support.createTopic(broker, topic, partitions: 1)
        let producer = try Support.producer(broker)
        let given: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        try await producer.send([
            KafkaOutboundMessage(topic: topic, key: "a", value: Array("given".utf8), timestampMilliseconds: given),
            KafkaOutboundMessage(topic: topic, key: "a", value: Array("now".utf8)),
        ])
        await producer.close()
        let consumer = try Support.consumer(broker, group: Support.uniqueName("g"), topics: [topic])
        let received = try await Support.consume(consumer, count: 2)
        await consumer.close()
        #expect(received.map { String(decoding: $0.value, as: UTF8.self) } == ["given", "now"])
        #expect(received.first?.timestampMilliseconds == given)
        #expect((received.last?.timestampMilliseconds ?? 0) >= before - 1000)
    }

    @Test func uncommittedMessagesAreDeliveredAgain() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("redeliver")
        try await Support.createTopic(broker, topic, partitions: 1)
        let group = Support.uniqueName("g")
        let producer = try Support.producer(broker)
        try await producer.send(Support.messages(topic: topic, count: 20))
        await producer.close()

        let consumer = try Support.consumer(broker, group: group, topics: [topic])
        let processed = try await Support.consume(consumer, count: 20, commit: false)
        #expect(processed.count == 20)
        // Commit only the first 5, as if the process crashed after that.
        try await consumer.commit(Array(processed.prefix(5)).nextOffsets)
        await consumer.close()

        let restarted = try Support.consumer(broker, group: group, topics: [topic])
        let replayed = try await Support.consume(restarted, count: 15)
        await restarted.close()
        #expect(replayed.map(\.offset) == Array(5..<20).map(Int64.init))
    }

    @Test func deliveryFailureIsSurfacedAsAnErrorWhenTheBrokerIsGone() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("down")
        try await Support.createTopic(broker, topic, partitions: 1)
        let producer = try Support.producer(broker, messageTimeoutMilliseconds: 1_500)
        try await producer.send(KafkaOutboundMessage(topic: topic, key: "k", value: Array("before".utf8)))
        await broker.kill()
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaOutboundMessage(topic: topic, key: "k", value: Array("after".utf8)))
        }
        #expect(error?.code == .delivery)
        #expect(error?.librdkafkaName == "_MSG_TIMED_OUT")
        #expect(error?.isRetriable == true)
        await producer.close()
    }

    @Test func oversizedMessageIsRefusedBeforeSending() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("big")
        try await Support.createTopic(broker, topic, partitions: 1)
        var configuration = KafkaProducerConfiguration(client: Support.client(broker))
        configuration.maxMessageBytes = 10_000
        let producer = try KafkaProducer(configuration: configuration, logger: Support.logger)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaOutboundMessage(topic: topic, key: nil as [UInt8]?, value: Array(repeating: 65, count: 20_000)))
        }
        #expect(error?.code == .produce)
        #expect(error?.librdkafkaName == "MSG_SIZE_TOO_LARGE")
        await producer.close()
    }
}
