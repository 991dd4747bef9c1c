import CivicKafka
import Logging
import Metrics
import Prometheus

/// Process-wide logging and metrics set-up. Only a service's `@main` calls ``bootstrap(_:)``; libraries
/// and tests receive loggers and use whatever metrics backend is installed.
public enum Observability {
    /// Installs the log handler (JSON or text, at the configured level) and the Prometheus metrics backend.
    /// - Returns: The registry that `/metrics` renders, and a logger for the service.
    public static func bootstrap(_ configuration: RuntimeConfiguration) -> (PrometheusCollectorRegistry, Logger) {
        let service = configuration.serviceName
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, service: service, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "civicpulse.\(service)")
        logger.logLevel = level
        logLibrdkafkaVersion(logger)
        return (registry, logger)
    }

    /// Logs the librdkafka version the process runs with, warning when it is older than 2.1.
    public static func logLibrdkafkaVersion(_ logger: Logger) {
        if KafkaLibrary.isRecentEnough {
            logger.info("librdkafka runtime", metadata: ["librdkafka.version": "\(KafkaLibrary.version)"])
        } else {
            logger.warning(
                "librdkafka runtime is older than 2.1; it cannot talk to some brokers (Tansu). Put librdkafka 2.16's librdkafka.so.1 first on LD_LIBRARY_PATH (ops/bootstrap does).",
                metadata: ["librdkafka.version": "\(KafkaLibrary.version)"]
            )
        }
    }
}
