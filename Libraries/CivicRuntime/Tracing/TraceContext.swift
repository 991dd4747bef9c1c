import CivicKafka
import Tracing
import W3CTraceContext

/// The W3C trace-context headers (https://www.w3.org/TR/trace-context/) a response carries from stage to stage in
/// its Kafka records, so that one response's path can be followed through every service.
package enum TraceContext {
    /// `traceparent`: version, trace id, parent span id and flags.
    package static let traceparent = "traceparent"
    /// `tracestate`: vendor-specific context that travels with `traceparent`.
    package static let tracestate = "tracestate"
    /// The headers a stage carries from an input to its outputs.
    package static let headerNames: Set<String> = [traceparent, tracestate]

    /// The trace-context headers among `headers`, in order.
    package static func headers(in headers: [KafkaHeader]) -> [KafkaHeader] {
        headers.filter { headerNames.contains($0.name) }
    }

    /// The trace id (32 lower-case hex digits) of the `traceparent` among `headers`, or `nil` when there is none or
    /// it is not a valid W3C `traceparent`.
    package static func traceID(in headers: [KafkaHeader]) -> String? {
        guard let value = headers.last(named: traceparent) else { return nil }
        return traceID(ofTraceparent: String(decoding: value, as: UTF8.self))
    }

    /// The trace id of a `traceparent` value, or `nil` when it is not a valid W3C `traceparent`.
    package static func traceID(ofTraceparent value: String) -> String? {
        guard let context = try? W3CTraceContext.TraceContext(traceParentHeaderValue: value) else { return nil }
        return context.traceID.description
    }

    /// The trace id of the `traceparent` among `headers` when it is valid and sampled (its flags' lowest bit: the
    /// trace was recorded by whoever started it), else `nil`. What an exemplar links to (``EventLatencyExemplars``).
    package static func sampledTraceID(in headers: [KafkaHeader]) -> String? {
        // The flags end the value ("00-<trace>-<parent>-<flags>"): an even last hex digit is not sampled, and is
        // decided before anything is decoded.
        guard let value = headers.last(named: traceparent), let last = value.last,
            Character(Unicode.Scalar(last)).hexDigitValue.map({ $0 & 1 == 1 }) == true,
            let context = try? W3CTraceContext.TraceContext(traceParentHeaderValue: String(decoding: value, as: UTF8.self)),
            context.flags.contains(.sampled)
        else { return nil }
        return context.traceID.description
    }

    /// A new trace's `traceparent`, for a response that arrives without one while no tracer records spans: a random
    /// trace id and parent id, flags `00` (nothing was recorded).
    package static func started() -> KafkaHeader {
        let context = W3CTraceContext.TraceContext(traceID: .random(), spanID: .random(), flags: [], state: TraceState())
        return KafkaHeader(name: traceparent, value: Array(context.traceParentHeaderValue.utf8))
    }

    /// Whether a tracer that records spans is installed (``TracingBootstrap``); otherwise spans are skipped and
    /// the trace-context headers are only carried.
    package static var isRecording: Bool { !(InstrumentationSystem.tracer is NoOpTracer) }

    /// The service context `headers` continue (their `traceparent` as the remote parent), or a top-level one.
    package static func context(continuing headers: [KafkaHeader]) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.tracer.extract(headers, into: &context, using: KafkaHeaderExtractor())
        return context
    }

    /// The trace-context headers that make `context` (a span's) the parent of whoever reads them; empty when the
    /// tracer propagates nothing.
    package static func headers(for context: ServiceContext) -> [KafkaHeader] {
        var headers: [KafkaHeader] = []
        InstrumentationSystem.tracer.inject(context, into: &headers, using: KafkaHeaderInjector())
        return headers
    }
}

/// Reads trace-context values from Kafka record headers (the last header of a name wins).
package struct KafkaHeaderExtractor: Extractor {
    package init() {}

    package func extract(key: String, from carrier: [KafkaHeader]) -> String? {
        carrier.last(named: key).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Writes trace-context values into Kafka record headers, replacing any of the same name.
package struct KafkaHeaderInjector: Injector {
    package init() {}

    package func inject(_ value: String, forKey key: String, into carrier: inout [KafkaHeader]) {
        carrier.removeAll { $0.name == key }
        carrier.append(KafkaHeader(name: key, value: Array(value.utf8)))
    }
}
