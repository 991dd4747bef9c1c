import CivicKafka
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// Record headers go through the broker as sent: names, values (also empty and binary ones), order and
/// repeated names, with and without a timestamp; a record without headers arrives with none.
@Suite(.startsProcesses, .hangGuard)
struct KafkaHeaderTests {
    typealias Support = KafkaTestSupport

    @Test func headersRoundTripThroughTheBroker() async throws {
        let broker = try await TestBroker()
        let topic = Support.uniqueName("headers")
        try await Support.createTopic(broker, topic, partitions: 1)
        let producer = try Support.producer(broker)
        let traceparent = KafkaHeader(name: "traceparent", value: Array("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".utf8))
        let headers = [traceparent, KafkaHeader(name: "empty", value: []), KafkaHeader(name: "binary", value: [0, 255, 10])]
        var withTimestamp = KafkaOutboundMessage(topic: topic, key: "a", value: Array("1".utf8), timestampMilliseconds: 1_700_000_000_000)
        withTimestamp.headers = headers + [KafkaHeader(name: "traceparent", value: Array("second".utf8))]
        var withoutTimestamp = KafkaOutboundMessage(topic: topic, key: "a", value: Array("2".utf8))
        withoutTimestamp.headers = headers
        let plain = KafkaOutboundMessage(topic: topic, key: "a", value: Array("3".utf8))
        _ = try await producer.send([withTimestamp, withoutTimestamp, plain])
        await producer.close()

        let consumer = try Support.consumer(broker, group: Support.uniqueName("g"), topics: [topic])
        let received = try await Support.consume(consumer, count: 3, timeout: TestPatience.hang)
        await consumer.close()
        try #require(received.count == 3)
        #expect(received[0].headers == withTimestamp.headers)
        #expect(received[0].timestampMilliseconds == 1_700_000_000_000)
        #expect(received[0].headers.last(named: "traceparent") == Array("second".utf8))
        #expect(received[1].headers == headers)
        #expect(received[2].headers.isEmpty)
        await broker.kill()
    }
}
