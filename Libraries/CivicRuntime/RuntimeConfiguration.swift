import CivicKafka
import CivicModels
import CivicPostgres
import Logging

/// The settings every CivicPulse service shares: broker, database, HTTP endpoint, logging and batching.
///
/// Each is read from an environment variable (`CIVIC_KAFKA_BOOTSTRAP` for `civic.kafka.bootstrap`, and so
/// on); see ``init(reader:service:)`` and docs/configuration.md for the full table.
package struct RuntimeConfiguration: Sendable {
    /// The service name, used as the Kafka client id, consumer group and `application_name`.
    package var serviceName: String
    /// Kafka bootstrap servers. Default: `127.0.0.1:9092`. (`CIVIC_KAFKA_BOOTSTRAP`)
    package var kafkaBootstrapServers: String = "127.0.0.1:9092"
    /// TLS and SASL for every broker connection (producer, consumers, admin). Default: plaintext.
    /// (`CIVIC_KAFKA_SECURITY_PROTOCOL`, `CIVIC_KAFKA_SASL_*`, `CIVIC_KAFKA_SSL_*`)
    package var kafkaSecurity = KafkaSecurityConfiguration()
    /// Whether the service may reach a broker on another host without TLS (or without checking its name). Default:
    /// false: such a configuration is refused at start-up. (`CIVIC_KAFKA_ALLOW_PLAINTEXT`)
    package var kafkaAllowsPlaintext: Bool = false
    /// Consumer group session timeout in ms. Default: 45000; the local stack uses 6000.
    /// (`CIVIC_KAFKA_SESSION_TIMEOUT_MS`)
    package var kafkaSessionTimeoutMilliseconds: Int = 45_000
    /// Consumer heartbeat interval in ms. Default: 3000; the local stack uses 500. (`CIVIC_KAFKA_HEARTBEAT_MS`)
    package var kafkaHeartbeatIntervalMilliseconds: Int = 3_000
    /// How long the broker may hold a fetch that finds no new message, in ms (`fetch.wait.max.ms`); a stage
    /// with nothing to read waits at most this long for the next event. Default: 100 (librdkafka's 500 put
    /// p99 at 1.1 s from intake to reporting at 5,000 events/s on Tansu, which holds a fetch that long even
    /// while messages arrive; 100 gives 488 ms at the same throughput, BENCHMARKS.md). (`CIVIC_KAFKA_FETCH_WAIT_MS`)
    package var kafkaFetchWaitMilliseconds: Int = 100
    /// Whether the service creates the pipeline's topics at start-up. Default: true; false where the broker's
    /// administrator creates them and the service's principal holds no CREATE right (it then only checks that
    /// it can connect). (`CIVIC_KAFKA_CREATE_TOPICS`)
    package var kafkaCreateTopics: Bool = true
    /// Partitions for topics the service creates. Default: 3. (`CIVIC_KAFKA_PARTITIONS`)
    package var kafkaTopicPartitions: Int = 3
    /// Replication factor for topics the service creates. Default: 1. (`CIVIC_KAFKA_REPLICATION`)
    package var kafkaReplicationFactor: Int = 1
    /// How long a produced message may wait for the broker before it fails, in ms. Default: 30000.
    /// (`CIVIC_KAFKA_MESSAGE_TIMEOUT_MS`)
    package var kafkaMessageTimeoutMilliseconds: Int = 30_000
    /// How long the producer waits to batch messages, in ms. Default: 1. (`CIVIC_KAFKA_LINGER_MS`)
    package var kafkaLingerMilliseconds: Int = 1
    /// PostgreSQL connection string. Default: `postgresql://127.0.0.1:5432/civicpulse`. (`CIVIC_POSTGRES_URL`)
    package var postgresURL: String = "postgresql://127.0.0.1:5432/civicpulse"
    /// Whether the service may reach PostgreSQL on another host without `sslmode=verify-full`. Default: false:
    /// such a configuration is refused at start-up. (`CIVIC_POSTGRES_ALLOW_UNVERIFIED`)
    package var postgresAllowsUnverified: Bool = false
    /// Maximum database connections. Default: 4. (`CIVIC_POSTGRES_MAX_CONNECTIONS`)
    package var postgresMaxConnections: Int = 4
    /// The server cancels a statement running longer, in ms (a transient failure: the batch is retried);
    /// 0 sets none. Default: 60000. (`CIVIC_POSTGRES_STATEMENT_TIMEOUT_MS`)
    package var postgresStatementTimeoutMilliseconds: Int = 60_000
    /// How long a task waits for a free database connection, in ms (then a transient failure); 0 waits
    /// for ever. Default: 30000. (`CIVIC_POSTGRES_POOL_WAIT_MS`)
    package var postgresPoolWaitMilliseconds: Int = 30_000
    /// Address the HTTP endpoint (health, readiness, metrics, API) binds. Default: `127.0.0.1`. (`CIVIC_HTTP_HOST`)
    package var httpHost: String = "127.0.0.1"
    /// Port of the HTTP endpoint. Default: 8080. (`CIVIC_HTTP_PORT`)
    package var httpPort: Int = 8080
    /// Most messages processed in one batch (one database transaction). Default: 500. (`CIVIC_BATCH_SIZE`)
    package var batchSize: Int = 500
    /// A batch not committed this many seconds after it was taken marks the stage not ready (a stall no step
    /// reports). Default: 120. (`CIVIC_STALL_TIMEOUT_S`)
    package var stallTimeoutSeconds: Int = 120
    /// A stage with work that has made no progress for this many seconds (no batch committed, or its consumer
    /// unable to read) rebuilds its Kafka producer and recreates its topics, as at start-up: what a broker
    /// restarted without its state forgot. Default: 60. (`CIVIC_HEAL_AFTER_S`)
    package var healAfterSeconds: Int = 60
    /// Still no progress this many seconds after that rebuild fails the liveness check (`/health` answers
    /// 503), so the orchestrator restarts the process. A stuck stage is restarted at most
    /// `CIVIC_HEAL_AFTER_S` + `CIVIC_LIVENESS_TIMEOUT_S` after it stopped moving (plus one check interval, a
    /// quarter of the shorter of the two, at most 5 s). Default: 120. (`CIVIC_LIVENESS_TIMEOUT_S`)
    package var livenessTimeoutSeconds: Int = 120
    /// How often each stream processor reads its consumer group's lag from the broker for
    /// `civic_consumer_lag`, in seconds. Default: 10. (`CIVIC_LAG_INTERVAL_S`)
    package var lagIntervalSeconds: Int = 10
    /// How long start-up keeps retrying an unreachable broker or database, in seconds. Default: 60.
    /// (`CIVIC_STARTUP_TIMEOUT_S`)
    package var startupTimeoutSeconds: Int = 60
    /// Log level: trace, debug, info, notice, warning, error, critical. Default: `info`. (`CIVIC_LOG_LEVEL`)
    package var logLevel: Logger.Level = .info
    /// Log format: `json` (one object per line) or `text`. Default: `json`. (`CIVIC_LOG_FORMAT`)
    package var logFormat: LogFormat = .json
    /// How long each kind of record is kept (`CIVIC_RETENTION_*`, see ``RetentionSchedule``).
    package var retention = RetentionSchedule()
    /// How long the broker keeps messages on the topics that carry identity tokens (submitted, accepted and
    /// identity requests), in hours, set when the topics are created. Default: 72 (a weekend's outage; a
    /// stage down longer loses its unread token-carrying input). (`CIVIC_KAFKA_TOKEN_RETENTION_H`)
    package var kafkaTokenTopicRetentionHours: Int = 72
    /// The public keys whose signatures on erasure requests the service accepts (``EventVerifyingKeys``).
    /// Default: none, and then every erasure request is refused. (`CIVIC_ERASURE_VERIFY_KEYS`)
    package var erasureVerifyKeys = EventVerifyingKeys()
    /// Spans and their OTLP export (``TracingConfiguration``). Default: off. (`OTEL_EXPORTER_OTLP_ENDPOINT`)
    package var tracing = TracingConfiguration()

    /// Creates a configuration with the documented defaults.
    package init(serviceName: String) {
        self.serviceName = serviceName
    }

    /// Kafka connection settings.
    package var kafkaClient: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: kafkaBootstrapServers, clientID: serviceName, security: kafkaSecurity)
    }

    /// Producer settings.
    package var kafkaProducer: KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(client: kafkaClient)
        configuration.messageTimeoutMilliseconds = kafkaMessageTimeoutMilliseconds
        configuration.lingerMilliseconds = kafkaLingerMilliseconds
        return configuration
    }

    /// Consumer settings for the service's consumer group.
    package func kafkaConsumer(topics: [String], group: String? = nil) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(client: kafkaClient, groupID: group ?? serviceName, topics: topics)
        configuration.sessionTimeoutMilliseconds = kafkaSessionTimeoutMilliseconds
        configuration.heartbeatIntervalMilliseconds = kafkaHeartbeatIntervalMilliseconds
        configuration.fetchWaitMilliseconds = kafkaFetchWaitMilliseconds
        return configuration
    }

    /// How the service creates `topic`: the configured partitions and replication, and the short retention of
    /// the topics that may carry identity tokens (``CivicTopic/carriesIdentityTokens(_:)``).
    package func topicSpecification(_ topic: String) -> KafkaTopicSpecification {
        KafkaTopicSpecification(
            name: topic,
            partitions: Int32(clamping: kafkaTopicPartitions),
            replicationFactor: Int32(clamping: kafkaReplicationFactor),
            config: CivicTopic.carriesIdentityTokens(topic) ? ["retention.ms": String(kafkaTokenTopicRetentionHours * 3_600_000)] : [:]
        )
    }

    /// Database settings.
    package var postgres: PostgresConfiguration {
        var configuration = PostgresConfiguration(connectionString: postgresURL)
        configuration.maximumConnections = postgresMaxConnections
        configuration.applicationName = serviceName
        configuration.statementTimeout = postgresStatementTimeoutMilliseconds == 0 ? nil : .milliseconds(postgresStatementTimeoutMilliseconds)
        configuration.poolWaitTimeout = postgresPoolWaitMilliseconds == 0 ? nil : .milliseconds(postgresPoolWaitMilliseconds)
        return configuration
    }
}

/// How log lines are written.
package enum LogFormat: String, Sendable {
    /// One JSON object per line, for log pipelines.
    case json
    /// Human-readable lines.
    case text
}
