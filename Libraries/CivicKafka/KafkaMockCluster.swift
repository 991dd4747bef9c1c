import Crdkafka
import Logging

/// librdkafka's in-process mock cluster, for fault injection in unit tests (request errors, brokers going
/// down, latency). It never replaces the real broker in integration and end-to-end tests.
package final class KafkaMockCluster: @unchecked Sendable {
    private let owner: RDKafkaClient
    private let cluster: OpaquePointer

    /// The cluster's bootstrap servers, to put in a client configuration.
    package let bootstrapServers: String

    /// Starts a mock cluster with the given number of brokers.
    package init(brokers: Int32 = 1, logger: Logger) throws {
        owner = try RDKafkaClient.make(type: RD_KAFKA_PRODUCER, properties: [:], logger: logger)
        guard let cluster = rd_kafka_mock_cluster_new(owner.handle, brokers) else {
            throw KafkaError(code: .clientCreation, reason: "could not start the librdkafka mock cluster")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit { rd_kafka_mock_cluster_destroy(cluster) }

    /// Creates a topic on the mock cluster.
    package func createTopic(_ name: String, partitions: Int32 = 1) throws {
        let err = rd_kafka_mock_topic_create(cluster, name, partitions, 1)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdkafka(.admin, err, context: "mock topic \(name)")
        }
    }

    /// Makes the next `count` Produce requests fail with a broker error (`NOT_ENOUGH_REPLICAS`, retriable).
    package func failNextProduceRequests(count: Int) {
        var errors = Array(repeating: RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, count: count)
        rd_kafka_mock_push_request_errors_array(cluster, 0, count, &errors)  // ApiKey 0: Produce
    }

    /// Makes the next `count` Produce requests fail with a non-retriable error (`TOPIC_AUTHORIZATION_FAILED`).
    package func rejectNextProduceRequests(count: Int) {
        var errors = Array(repeating: RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, count: count)
        rd_kafka_mock_push_request_errors_array(cluster, 0, count, &errors)  // ApiKey 0: Produce
    }

    /// Takes a broker down (connections are closed and refused) or brings it back up.
    package func setBroker(_ id: Int32, up: Bool) {
        if up {
            rd_kafka_mock_broker_set_up(cluster, id)
        } else {
            rd_kafka_mock_broker_set_down(cluster, id)
        }
    }

    /// Adds round-trip latency to a broker.
    package func setBrokerLatency(_ id: Int32, milliseconds: Int32) {
        rd_kafka_mock_broker_set_rtt(cluster, id, milliseconds)
    }
}
