import CivicRuntime

extension RuntimeConfiguration {
    /// `serviceName`'s default settings against `broker`, with the consumer-group timings that make Tansu
    /// assign partitions quickly.
    package init(serviceName: String, broker: TestBroker) {
        self.init(serviceName: serviceName)
        kafkaBootstrapServers = broker.bootstrapServers
        kafkaSessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        kafkaHeartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
    }
}
