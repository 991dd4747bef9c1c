import CivicKafka
import Tracing

/// The trace of the records an HTTP request publishes: the caller's W3C `traceparent` (and `tracestate`) when it
/// sent a valid one, so each record's trace continues the caller's; otherwise each record starts a trace of its own.
package struct RequestTrace: Sendable {
    /// The caller's valid trace-context headers; empty when it sent none, or a `traceparent` that is not valid (which
    /// W3C trace context says to ignore).
    package let parent: [KafkaHeader]

    /// The trace of a request whose `traceparent` and `tracestate` header values (each `nil` when absent) are given.
    package init(traceparent: String?, tracestate: String?) {
        guard let traceparent, TraceContext.traceID(ofTraceparent: traceparent) != nil else {
            parent = []
            return
        }
        var headers = [KafkaHeader(name: TraceContext.traceparent, value: Array(traceparent.utf8))]
        if let tracestate, !tracestate.isEmpty { headers.append(KafkaHeader(name: TraceContext.tracestate, value: Array(tracestate.utf8))) }
        parent = headers
    }

    /// Starts the span `name` (a producer span, a child of the caller's trace or a new trace's root) for a record
    /// published to `topic`, and gives the headers that make it the record's parent. With no tracer recording, there is
    /// no span, and the headers are the caller's, or a new trace's `traceparent`.
    package func start(_ name: String, topic: String, key: String?) -> (span: (any Span)?, headers: [KafkaHeader]) {
        guard TraceContext.isRecording else { return (nil, parent.isEmpty ? [TraceContext.started()] : parent) }
        let span = startSpan(name, context: TraceContext.context(continuing: parent), ofKind: .producer)
        span.updateAttributes { attributes in
            attributes["messaging.system"] = "kafka"
            attributes["messaging.operation.type"] = "publish"
            attributes["messaging.destination.name"] = topic
            if let key { attributes["messaging.kafka.message.key"] = key }
        }
        let headers = TraceContext.headers(for: span.context)
        return (span, headers.isEmpty ? (parent.isEmpty ? [TraceContext.started()] : parent) : headers)
    }
}
