import CivicKafka
import Logging
import Metrics
import Prometheus

/// Process-wide logging and metrics set-up. Only a service's `@main` calls ``bootstrap(_:)``; libraries
/// and tests receive loggers and use whatever metrics backend is installed.
package enum Observability {
    /// Installs the log handler (JSON or text, at the configured level) and the Prometheus metrics backend.
    /// - Returns: The registry that `/metrics` renders, and a logger for the service.
    package static func bootstrap(_ configuration: RuntimeConfiguration) -> (PrometheusCollectorRegistry, Logger) {
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
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["civic_event_latency_seconds"] = eventLatencyBuckets
        MetricsSystem.bootstrap(factory)
        var logger = Logger(label: "civicpulse.\(service)")
        logger.logLevel = level
        logLibrdkafkaVersion(logger)
        return (registry, logger)
    }

    /// The bucket bounds of `civic_event_latency_seconds`: from receipt to a stage is seconds when all is well, and
    /// minutes to hours while a stage catches up.
    package static let eventLatencyBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(900), .seconds(3600),
    ]

    /// Logs the librdkafka version the process runs with, warning when it is older than 2.1.
    package static func logLibrdkafkaVersion(_ logger: Logger) {
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
