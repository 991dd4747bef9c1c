import Configuration

/// Whether a service records spans and exports them over OTLP/HTTP (protobuf), bound from the standard OpenTelemetry
/// environment variables that operators and collectors expect (docs/operations.md, "Traces").
///
/// Tracing is off unless an endpoint is configured. The rest of the OpenTelemetry settings (`OTEL_SERVICE_NAME`,
/// `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_BSP_*`, `OTEL_EXPORTER_OTLP_HEADERS`, ...) are read by
/// swift-otel itself when ``TracingBootstrap`` starts it.
package struct TracingConfiguration: Sendable, Equatable {
    /// The collector's OTLP/HTTP base URL (spans go to `<endpoint>/v1/traces`), or the traces URL as-is. Default:
    /// none, and then no span is recorded or exported; the `traceparent` headers are still carried (and started at
    /// intake). (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`)
    package var endpoint: String?
    /// Whether the OpenTelemetry SDK is switched off whatever the endpoint. Default: false. (`OTEL_SDK_DISABLED`)
    package var sdkDisabled = false

    /// Creates a configuration with the documented defaults (tracing off).
    package init(endpoint: String? = nil) {
        self.endpoint = endpoint
    }

    /// Whether spans are recorded and exported.
    package var isEnabled: Bool { endpoint != nil && !sdkDisabled }
}

extension TracingConfiguration {
    /// Reads the `otel.*` keys (environment `OTEL_*`).
    /// - Throws: ``ConfigurationError`` for a value that is present but invalid.
    package init(reader: ConfigReader) throws {
        self.init()
        let traces = reader.text("otel.exporter.otlp.traces.endpoint", default: "")
        let shared = reader.text("otel.exporter.otlp.endpoint", default: "")
        let chosen = traces.isEmpty ? shared : traces
        if !chosen.isEmpty {
            guard chosen.hasPrefix("http://") || chosen.hasPrefix("https://") else {
                let key = traces.isEmpty ? "otel.exporter.otlp.endpoint" : "otel.exporter.otlp.traces.endpoint"
                throw ConfigurationError(key: key, reason: "'\(chosen)' is not an http:// or https:// URL")
            }
            endpoint = chosen
        }
        sdkDisabled = try reader.strictBool("otel.sdk.disabled", default: sdkDisabled)
    }
}
