import CivicKafka
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// A broker restarted without its state (Tansu's in-memory storage, killed and started again on the same
/// port) forgot the topics, the producer ids and the groups. A rebuilt producer works against it, and a send
/// still held by the old client fails at once with a retriable error, so its caller sends it again; the
/// consumer, left as it is, rejoins its forgotten group and reads the recreated topic from the start.
@Suite(.startsProcesses, .hangGuard)
struct KafkaRebuildTests {
    typealias Support = KafkaTestSupport

    @Test func aRebuiltProducerAndTheSameConsumerWorkAgainstABrokerThatLostItsState() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("rebuild")
        try await Support.createTopic(broker, topic, partitions: 1)
        // A message timeout far beyond any wait here: the held send can end only through the rebuild.
        let producer = try Support.producer(broker, messageTimeoutMilliseconds: 3_600_000)
        _ = try await producer.send(Support.messages(topic: topic, count: 5, prefix: "before"))
        let consumer = try Support.consumer(broker, group: Support.uniqueName("g"), topics: [topic])
        #expect(try await Support.consume(consumer, count: 5, timeout: TestPatience.hang).count == 5)

        await broker.kill()
        let held = Task { try await producer.send(Support.messages(topic: topic, count: 3, prefix: "held")) }
        // Wait until the old client holds the messages, then rebuild: the send ends with a retriable error.
        while producer.outstandingMessages < 3 { try await Task.sleep(for: .milliseconds(20)) }
        try producer.rebuild()
        let heldResult = await held.result
        guard case .failure(let error as KafkaError) = heldResult else {
            Issue.record("the held send did not fail: \(heldResult)")
            return
        }
        #expect(error.code == .delivery && error.isRetriable, "\(error)")

        // The broker comes back on the same port with nothing: the topic is recreated, as a heal does.
        let restarted = try await TestBroker(port: broker.port)
        try await Support.createTopic(restarted, topic, partitions: 1)
        _ = try await producer.send(Support.messages(topic: topic, count: 4, prefix: "after"))
        #expect(producer.rebuilds == 1)
        let received = try await Support.consume(consumer, count: 4, timeout: TestPatience.hang)
        #expect(Set(received.map { String(decoding: $0.value, as: UTF8.self) }) == Set((0..<4).map { "after-\($0)" }))
        #expect(try await consumer.missingTopics(timeout: .seconds(30)).isEmpty)
        await consumer.close()
        await producer.close()
        await restarted.kill()
    }
}
