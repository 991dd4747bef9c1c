import CivicKafka
import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// A response's W3C `traceparent`, sent by its agency in a Kafka header, is carried by every stage to the scored
/// event: the same trace id in the headers of its record on `cx.feedback.scored`.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct TraceContextEndToEndTests {
    @Test func theAgencysTraceparentReachesTheScoredEvent() async throws {
        let harness = try await PipelineHarness()
        try await harness.startAll()
        let sample = SampleResponses(count: 60, now: Date()) { _ in nil }
        let valid = sample.valid
        var sent: [String: String] = [:]
        var messages: [KafkaOutboundMessage] = []
        for (index, item) in valid.enumerated() {
            let traceID = String(format: "%032x", 0xC1_71C0 + index)
            let traceparent = "00-\(traceID)-00f067aa0ba902b7-01"
            sent[item.eventId] = traceparent
            var message = item.message()
            message.headers = [KafkaHeader(name: "traceparent", value: Array(traceparent.utf8))]
            messages.append(message)
        }
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "trace-context")
        )
        configuration.flushTimeoutMilliseconds = 2_000
        let producer = try KafkaProducer(configuration: configuration, logger: FaultMatrixEndToEndTests.logger)
        _ = try await producer.send(messages)
        await producer.close()

        var consumerConfiguration = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "trace-context"),
            groupID: "trace-context-\(UUID().uuidString.prefix(8))",
            topics: [CivicTopic.scored]
        )
        consumerConfiguration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        consumerConfiguration.heartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: FaultMatrixEndToEndTests.logger)
        var received: [String: String] = [:]
        let deadline = ContinuousClock.now + TestPatience.hang
        while received.count < sent.count, ContinuousClock.now < deadline {
            guard let batch = try await consumer.poll(maxMessages: 500, maxWait: .milliseconds(200)) else { break }
            for message in batch {
                guard let key = message.key.map({ String(decoding: $0, as: UTF8.self) }), sent[key] != nil else { continue }
                received[key] = message.headers.last(named: "traceparent").map { String(decoding: $0, as: UTF8.self) } ?? "(none)"
            }
        }
        await consumer.close()
        #expect(received.count == sent.count, "\(received.count) of \(sent.count) scored events seen")
        let mismatched = sent.filter { received[$0.key] != $0.value }
        #expect(
            mismatched.isEmpty,
            "scored events whose traceparent differs from the one sent: \(mismatched.map { "\($0.key): \(received[$0.key] ?? "missing")" }.prefix(5))"
        )
        _ = await harness.stopAll()
        await harness.broker.kill()
    }
}
