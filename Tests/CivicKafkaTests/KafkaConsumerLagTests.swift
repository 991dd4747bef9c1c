import CivicKafka
import CivicTestTraits
import CivicTesting
import Testing

/// ``KafkaConsumer/lag(timeout:)`` against a real Kafka-protocol broker (Tansu): the high watermark minus the
/// committed offset, per assigned partition, whatever the consumer has polled.
@Suite(.startsProcesses, .hangGuard)
struct KafkaConsumerLagTests {
    typealias Support = KafkaTestSupport

    @Test func lagCountsWhatIsNotCommittedAndFallsToZeroOnceAllIs() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("lag")
        try await Support.createTopic(broker, topic, partitions: 1)
        let producer = try Support.producer(broker)
        try await producer.send(Support.messages(topic: topic, count: 20))

        let consumer = try Support.consumer(broker, group: Support.uniqueName("g"), topics: [topic])
        // Polled, not committed: all 20 are still lag (nothing committed; the group starts at the earliest offset).
        let polled = try await Support.consume(consumer, count: 20, commit: false)
        #expect(polled.count == 20)
        let uncommitted = try await consumer.lag()
        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        #expect(uncommitted == [KafkaPartitionLag(partition: partition, highWatermark: 20, committed: nil, lag: 20)])

        // Committing the first 5 leaves 15; 10 more published make it 25.
        try await consumer.commit(Array(polled.prefix(5)).nextOffsets)
        try await producer.send(Support.messages(topic: topic, count: 10, prefix: "more"))
        let more = try await Support.consume(consumer, count: 10, commit: false)
        #expect(more.count == 10)
        #expect(try await consumer.lag().map(\.lag) == [25])

        // Everything committed: no lag.
        try await consumer.commit((polled + more).nextOffsets)
        #expect(try await consumer.lag() == [KafkaPartitionLag(partition: partition, highWatermark: 30, committed: 30, lag: 0)])
        await consumer.close()
        await producer.close()
        await broker.kill()
    }

    @Test func aMemberWithoutPartitionsHasNoLagToReport() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("lag-none")
        try await Support.createTopic(broker, topic, partitions: 1)
        // Before the first poll the member has not joined its group: no assignment, nothing to report.
        let consumer = try Support.consumer(broker, group: Support.uniqueName("g"), topics: [topic])
        #expect(try await consumer.lag().isEmpty)
        await consumer.close()
        await broker.kill()
    }
}
