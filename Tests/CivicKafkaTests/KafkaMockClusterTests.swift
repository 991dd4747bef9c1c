import CivicKafka
import CivicTestTraits
import CivicTesting
import Testing

/// Fault injection with librdkafka's in-process mock cluster (no real broker involved).
@Suite(.hangGuard)
struct KafkaMockClusterTests {
    typealias Support = KafkaTestSupport

    private func producer(_ cluster: KafkaMockCluster, timeout: Int = 10_000) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: cluster.bootstrapServers, clientID: "mock-tests")
        )
        configuration.messageTimeoutMilliseconds = timeout
        configuration.flushTimeoutMilliseconds = 1_000
        return try KafkaProducer(configuration: configuration, logger: Support.logger)
    }

    @Test func retriableProduceErrorsAreRetriedWithoutDuplicates() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        try cluster.createTopic("retry", partitions: 1)
        let producer = try producer(cluster)
        cluster.failNextProduceRequests(count: 3)
        let reports = try await producer.send(Support.messages(topic: "retry", count: 10))
        // Idempotent retries: ten messages, ten consecutive offsets, no gaps from duplicates.
        #expect(reports.map(\.offset).sorted() == Array(0..<10).map(Int64.init))
        await producer.close()
    }

    @Test func nonRetriableProduceErrorFailsTheSend() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        try cluster.createTopic("denied", partitions: 1)
        let producer = try producer(cluster)
        cluster.rejectNextProduceRequests(count: 1)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaOutboundMessage(topic: "denied", key: "k", value: Array("x".utf8)))
        }
        #expect(error?.code == .delivery)
        await producer.close()
    }

    @Test func brokerDownTimesOutThenRecovers() async throws {
        let cluster = try KafkaMockCluster(logger: Support.logger)
        try cluster.createTopic("flaky", partitions: 1)
        let producer = try producer(cluster, timeout: 3_000)
        // The first delivery also waits for the initial connection and metadata; on a loaded machine that
        // can exceed one message timeout, so it is retried until the cluster answers.
        func sendEventually(_ value: String) async -> KafkaDeliveryReport? {
            let deadline = ContinuousClock.now + TestPatience.hang
            while ContinuousClock.now < deadline {
                if let report = try? await producer.send(KafkaOutboundMessage(topic: "flaky", key: "k", value: Array(value.utf8))) {
                    return report
                }
            }
            return nil
        }
        #expect(await sendEventually("a") != nil)
        cluster.setBroker(1, up: false)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaOutboundMessage(topic: "flaky", key: "k", value: Array("b".utf8)))
        }
        #expect(error?.isRetriable == true)
        cluster.setBroker(1, up: true)
        // librdkafka reconnects with back-off; a send made after that succeeds.
        #expect(await sendEventually("c")?.topic == "flaky")
        await producer.close()
    }

    @Test func invalidConfigurationIsATypedError() throws {
        var configuration = KafkaProducerConfiguration()
        configuration.client.additionalProperties["no.such.property"] = "1"
        let error = #expect(throws: KafkaError.self) {
            try KafkaProducer(configuration: configuration, logger: Support.logger)
        }
        #expect(error?.code == .configuration)
        #expect(error?.reason.contains("no.such.property") == true)
    }
}
