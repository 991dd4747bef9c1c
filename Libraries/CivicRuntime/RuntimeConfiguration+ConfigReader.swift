import CivicKafka
import Configuration
import Logging

extension RuntimeConfiguration {
    /// Reads the shared settings; keys are `civic.*` (environment `CIVIC_*`).
    /// - Throws: ``ConfigurationError`` for a value that is present but invalid.
    package init(reader: ConfigReader, service: String) throws {
        self.init(serviceName: service)
        kafkaBootstrapServers = reader.text("civic.kafka.bootstrap", default: kafkaBootstrapServers)
        kafkaSecurity = try KafkaSecurityConfiguration(reader: reader)
        kafkaAllowsPlaintext = try reader.strictBool("civic.kafka.allow-plaintext", default: kafkaAllowsPlaintext)
        kafkaCreateTopics = try reader.strictBool("civic.kafka.create-topics", default: kafkaCreateTopics)
        kafkaSessionTimeoutMilliseconds = try reader.strictInt(
            "civic.kafka.session-timeout-ms",
            default: kafkaSessionTimeoutMilliseconds,
            in: 1000...3_600_000
        )
        kafkaHeartbeatIntervalMilliseconds = try reader.strictInt(
            "civic.kafka.heartbeat-ms",
            default: kafkaHeartbeatIntervalMilliseconds,
            in: 100...3_600_000
        )
        kafkaFetchWaitMilliseconds = try reader.strictInt("civic.kafka.fetch-wait-ms", default: kafkaFetchWaitMilliseconds, in: 0...60_000)
        kafkaTopicPartitions = try reader.strictInt("civic.kafka.partitions", default: kafkaTopicPartitions, in: 1...1000)
        kafkaReplicationFactor = try reader.strictInt("civic.kafka.replication", default: kafkaReplicationFactor, in: 1...10)
        kafkaMessageTimeoutMilliseconds = try reader.strictInt(
            "civic.kafka.message-timeout-ms",
            default: kafkaMessageTimeoutMilliseconds,
            in: 100...3_600_000
        )
        kafkaLingerMilliseconds = try reader.strictInt("civic.kafka.linger-ms", default: kafkaLingerMilliseconds, in: 0...10_000)
        postgresURL = reader.text("civic.postgres.url", default: postgresURL, isSecret: true)
        postgresAllowsUnverified = try reader.strictBool("civic.postgres.allow-unverified", default: postgresAllowsUnverified)
        postgresMaxConnections = try reader.strictInt(
            "civic.postgres.max-connections",
            default: postgresMaxConnections,
            in: 1...200
        )
        postgresStatementTimeoutMilliseconds = try reader.strictInt(
            "civic.postgres.statement-timeout-ms",
            default: postgresStatementTimeoutMilliseconds,
            in: 0...86_400_000
        )
        postgresPoolWaitMilliseconds = try reader.strictInt("civic.postgres.pool-wait-ms", default: postgresPoolWaitMilliseconds, in: 0...3_600_000)
        kafkaTokenTopicRetentionHours = try reader.strictInt(
            "civic.kafka.token-retention-h",
            default: kafkaTokenTopicRetentionHours,
            in: 1...8760
        )
        retention = try RetentionSchedule(reader: reader)
        tracing = try TracingConfiguration(reader: reader)
        do throws(EventKeyError) {
            erasureVerifyKeys = try EventVerifyingKeys(list: reader.text("civic.erasure.verify-keys", default: ""))
        } catch {
            throw ConfigurationError(key: "civic.erasure.verify-keys", reason: error.reason)
        }
        httpHost = reader.text("civic.http.host", default: httpHost)
        httpPort = try reader.strictInt("civic.http.port", default: httpPort, in: 0...65535)
        batchSize = try reader.strictInt("civic.batch-size", default: batchSize, in: 1...100_000)
        stallTimeoutSeconds = try reader.strictInt("civic.stall-timeout-s", default: stallTimeoutSeconds, in: 1...86_400)
        healAfterSeconds = try reader.strictInt("civic.heal-after-s", default: healAfterSeconds, in: 1...86_400)
        livenessTimeoutSeconds = try reader.strictInt("civic.liveness-timeout-s", default: livenessTimeoutSeconds, in: 1...86_400)
        lagIntervalSeconds = try reader.strictInt("civic.lag-interval-s", default: lagIntervalSeconds, in: 1...3600)
        startupTimeoutSeconds = try reader.strictInt("civic.startup-timeout-s", default: startupTimeoutSeconds, in: 0...3600)
        let level = reader.text("civic.log.level", default: logLevel.rawValue)
        guard let parsedLevel = Logger.Level(rawValue: level.lowercased()) else {
            throw ConfigurationError(key: "civic.log.level", reason: "'\(level)' is not a log level")
        }
        logLevel = parsedLevel
        let format = reader.text("civic.log.format", default: logFormat.rawValue)
        guard let parsedFormat = LogFormat(rawValue: format.lowercased()) else {
            throw ConfigurationError(key: "civic.log.format", reason: "'\(format)' is not json or text")
        }
        logFormat = parsedFormat
    }
}
