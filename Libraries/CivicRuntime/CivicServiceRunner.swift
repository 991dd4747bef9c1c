import CivicKafka
import CivicPostgres
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a service's components as one `ServiceGroup`: listed in dependency order, stopped in reverse on
/// SIGTERM or SIGINT, and the whole group stops if any component fails.
public enum CivicServiceRunner {
    /// Runs until a signal arrives or a component fails.
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map {
                    .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
                },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// Runs a service's `main`, turning a start-up failure into a clear message on standard error and exit
    /// status 1 instead of a crash report.
    public static func main(_ service: String, _ body: @Sendable () async throws -> Void) async {
        do {
            try await body()
        } catch {
            let line = "{\"level\":\"critical\",\"service\":\"\(service)\",\"msg\":\"stopped\",\"error\":\(JSONLogHandler.quote("\(error)"))}\n"
            FileHandle.standardError.write(Data(line.utf8))
            exit(1)
        }
    }

    /// Retries `body` with back-off until it succeeds or `timeoutSeconds` pass (for start-up steps such as
    /// migrations and topic creation while the database or broker is still coming up).
    public static func retrying<T: Sendable>(
        _ what: String,
        timeoutSeconds: Int,
        logger: Logger,
        _ body: () async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        var delay = Duration.milliseconds(200)
        while true {
            do {
                return try await body()
            } catch {
                guard ContinuousClock.now + delay < deadline else {
                    logger.critical("\(what) failed; giving up", metadata: ["error": "\(error)"])
                    throw error
                }
                logger.warning("\(what) failed; retrying", metadata: ["error": "\(error)", "retry.in": "\(delay)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Creates the pipeline's topics (idempotent) and applies the service's migrations, retrying while the
    /// broker or database comes up.
    public static func prepare(
        configuration: RuntimeConfiguration,
        topics: [String],
        postgres: PostgresClient,
        migrations: PostgresMigrations,
        logger: Logger
    ) async throws {
        let admin = try KafkaAdmin(configuration: configuration.kafkaClient, logger: logger)
        try await retrying("creating topics", timeoutSeconds: configuration.startupTimeoutSeconds, logger: logger) {
            try await admin.createTopics(
                topics.map {
                    KafkaTopicSpecification(
                        name: $0,
                        partitions: Int32(configuration.kafkaTopicPartitions),
                        replicationFactor: Int32(configuration.kafkaReplicationFactor)
                    )
                },
                timeout: .seconds(10)
            )
        }
        _ = try await retrying("applying migrations", timeoutSeconds: configuration.startupTimeoutSeconds, logger: logger) {
            try await migrations.apply(using: postgres, logger: logger)
        }
    }
}
