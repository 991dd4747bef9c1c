import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Process-wide tracing set-up: only a service's `@main` calls ``bootstrap(_:serviceName:logger:)``, once, after
/// ``Observability/bootstrap(_:)``.
///
/// With tracing configured (``TracingConfiguration/isEnabled``) it installs swift-otel's tracer: spans are batched
/// and exported over OTLP/HTTP (protobuf) to the collector; the resource's `service.name` is the service's own
/// (`OTEL_SERVICE_NAME` overrides it); sampling follows `OTEL_TRACES_SAMPLER` (default `parentbased_always_on`:
/// every response's trace is kept, and a stage keeps a span exactly when its parent was kept, so a response is traced
/// through all four services or none). Only traces: logs and metrics keep their own backends.
package enum TracingBootstrap {
    /// Installs the tracer when tracing is configured.
    /// - Returns: The exporter's service, to run first in the service's group (so it stops last and flushes the
    ///   spans of the others' shutdown), or none when tracing is off.
    package static func bootstrap(_ configuration: TracingConfiguration, serviceName: String, logger: Logger) throws -> [any Service] {
        guard configuration.isEnabled else {
            logger.info("tracing off: no OTLP endpoint configured; traceparent headers are carried but no span is recorded")
            return []
        }
        var otel = OTel.Configuration.default
        otel.serviceName = serviceName
        otel.diagnosticLogger = .custom(logger)
        otel.logs.enabled = false
        otel.metrics.enabled = false
        otel.traces.enabled = true
        otel.traces.exporter = .otlp
        otel.propagators = [.traceContext]
        let backend = try OTel.makeTracingBackend(configuration: otel)
        InstrumentationSystem.bootstrap(backend.factory)
        logger.info("tracing on: spans are exported over OTLP/HTTP", metadata: ["otel.endpoint": "\(configuration.endpoint ?? "")"])
        return [backend.service]
    }

    /// Installs the tracer for a service whose shared settings are `configuration`.
    package static func bootstrap(_ configuration: RuntimeConfiguration, logger: Logger) throws -> [any Service] {
        try bootstrap(configuration.tracing, serviceName: configuration.serviceName, logger: logger)
    }
}
