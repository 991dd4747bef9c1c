import CivicKafka
import CivicModels
import CivicPostgres
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a service's components as one `ServiceGroup`: listed in dependency order, stopped in reverse on
/// SIGTERM or SIGINT, and the whole group stops if any component fails.
///
/// A shutdown is bounded, so a component that cannot finish (a producer whose client died waiting for
/// deliveries that never come) never leaves a half-alive process: after `gracefulShutdownLimit` the
/// components are cancelled, and after `cancellationLimit` more the process ends (ServiceLifecycle traps),
/// either way with a non-zero status for the supervisor to restart it.
package enum CivicServiceRunner {
    /// How long a graceful shutdown may take before the components are cancelled. Default: 30 s, longer
    /// than a batch.
    package static let gracefulShutdownLimit: Duration = .seconds(30)
    /// How long cancelled components may take to end before the process is ended. Default: 10 s.
    package static let cancellationLimit: Duration = .seconds(10)

    /// Runs until a signal arrives or a component fails.
    package static func run(_ services: [any Service], logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = gracefulShutdownLimit
        configuration.maximumCancellationDuration = cancellationLimit
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Runs a service's `main`, turning a start-up failure into a clear message on standard error and exit
    /// status 1 instead of a crash report.
    package static func main(_ service: String, _ body: @Sendable () async throws -> Void) async {
        do {
            try await body()
        } catch {
            let line = "{\"level\":\"critical\",\"service\":\"\(service)\",\"msg\":\"stopped\",\"error\":\(JSONLogHandler.quote("\(error)"))}\n"
            FileHandle.standardError.write(Data(line.utf8))
            exit(1)
        }
    }

    /// Whether the process was started as `<service> purge`: apply the retention schedule once and exit (for
    /// an operator or a scheduled job), instead of serving.
    package static var isPurgeCommand: Bool { CommandLine.arguments.dropFirst().first == "purge" }

    /// Retries `body` with back-off until it succeeds or `timeoutSeconds` pass (for start-up steps such as
    /// migrations and topic creation while the database or broker is still coming up).
    package static func retrying<T: Sendable>(
        _ what: String,
        timeoutSeconds: Int,
        logger: Logger,
        _ body: () async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        var backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        while true {
            do {
                return try await body()
            } catch {
                let delay = backoff.next()
                guard ContinuousClock.now + delay < deadline else {
                    logger.critical("\(what) failed; giving up", metadata: ["error": "\(error)"])
                    throw error
                }
                logger.warning("\(what) failed; retrying", metadata: ["error": "\(error)", "retry.in": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Creates the pipeline's topics (idempotent) and applies the service's migrations, retrying while the
    /// broker or database comes up.
    package static func prepare(
        configuration: RuntimeConfiguration,
        topics: [String],
        postgres: PostgresClient,
        migrations: PostgresMigrations,
        logger: Logger
    ) async throws {
        // A broker or database elsewhere reached without TLS and verification is refused unless opted into.
        for warning in try configuration.checkTransportSecurity(environment: ProcessInfo.processInfo.environment) {
            logger.warning("insecure transport: \(warning)")
        }
        let admin = try KafkaAdmin(configuration: configuration.kafkaClient, logger: logger)
        try await retrying("creating topics", timeoutSeconds: configuration.startupTimeoutSeconds, logger: logger) {
            // A refused TLS handshake or login shows as such (with librdkafka's reason), not as a timeout.
            try await admin.verifyConnection(timeout: .seconds(10))
            guard configuration.kafkaCreateTopics else { return }
            try await admin.createTopics(topics.map(configuration.topicSpecification), timeout: .seconds(10))
        }
        _ = try await retrying("applying migrations", timeoutSeconds: configuration.startupTimeoutSeconds, logger: logger) {
            try await migrations.apply(using: postgres, logger: logger)
        }
    }
}
