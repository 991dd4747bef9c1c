/// The W3C trace-context headers (https://www.w3.org/TR/trace-context/) a response carries from stage to stage in
/// its Kafka records, so that one response's path can be followed through every service.
package enum TraceContext {
    /// `traceparent`: version, trace id, parent span id and flags.
    package static let traceparent = "traceparent"
    /// `tracestate`: vendor-specific context that travels with `traceparent`.
    package static let tracestate = "tracestate"
    /// The headers a stage carries from an input to its outputs.
    package static let headerNames: Set<String> = [traceparent, tracestate]
}
