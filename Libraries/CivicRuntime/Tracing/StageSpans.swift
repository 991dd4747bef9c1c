import CivicKafka
import CivicModels
import Tracing

/// The spans a stage records for one batch, one set per record: `<stage> process` (a consumer span whose parent is
/// the record's `traceparent`, a new trace when it has none) from the poll to the commit, and its children
/// `validate` (prepare), `store` (handle, with its database transaction) and `publish` (until the broker
/// acknowledged the outputs).
///
/// A stage works in batches, so a record's `validate`, `store` and `publish` spans are its batch's steps: every
/// record of a batch shows the same step times. The outputs made from a record carry its `<stage> process` span as
/// their parent (``carry(_:from:)``), so the next stage's spans hang below it in the same trace.
struct StageSpans: Sendable {
    private let spans: [any Span]

    /// Starts the spans of `batch` at `instant`, or returns `nil` when no tracer records spans
    /// (``TraceContext/isRecording``).
    static func start(stage: String, batch: [KafkaConsumerMessage], at instant: DefaultTracerClock.Timestamp) -> StageSpans? {
        guard TraceContext.isRecording else { return nil }
        let spans = batch.map { message in
            let span = startSpan(
                "\(stage) process",
                context: TraceContext.context(continuing: message.headers),
                ofKind: .consumer,
                at: instant
            )
            span.updateAttributes { attributes in
                attributes["civicpulse.stage"] = stage
                attributes["messaging.system"] = "kafka"
                attributes["messaging.operation.type"] = "process"
                attributes["messaging.destination.name"] = message.topic
                attributes["messaging.destination.partition.id"] = String(message.partition)
                attributes["messaging.kafka.offset"] = Int(message.offset)
                if let key = message.key, let text = String(validating: key, as: UTF8.self) {
                    attributes["messaging.kafka.message.key"] = text
                }
            }
            return span
        }
        return StageSpans(spans: spans)
    }

    /// Records the step `name` (`validate`, `store`, `publish`) from `start` to `end` as a child of every record's span.
    func step(_ name: String, from start: DefaultTracerClock.Timestamp, to end: DefaultTracerClock.Timestamp) {
        for span in spans where span.isRecording {
            startSpan(name, context: span.context, ofKind: name == "publish" ? .producer : .internal, at: start).end(at: end)
        }
    }

    /// Ends every record's span.
    func end(at instant: DefaultTracerClock.Timestamp) {
        for span in spans { span.end(at: instant) }
    }

    /// The trace-context headers for an output made from the batch's record at `index`: its span as the parent.
    /// An output to ``CivicTopic/rejected`` marks the record's span as failed (`civicpulse.dead_letter`), so a collector's
    /// tail sampling can keep every dead-lettered record's trace. Empty when the tracer propagates nothing.
    func parentHeaders(forRecord index: Int, output: KafkaOutboundMessage) -> [KafkaHeader] {
        guard spans.indices.contains(index) else { return [] }
        let span = spans[index]
        if output.topic == CivicTopic.rejected {
            span.attributes["civicpulse.dead_letter"] = true
            span.setStatus(SpanStatus(code: .error, message: "set aside on \(CivicTopic.rejected)"))
        }
        return TraceContext.headers(for: span.context)
    }
}

/// Which input of a batch each output comes from, for its trace context.
struct TraceSources {
    private var byTraceparent: [[UInt8]: Int] = [:]
    private var byKey: [[UInt8]: Int] = [:]

    init(_ batch: [KafkaConsumerMessage]) {
        for (index, message) in batch.enumerated() {
            if let traceparent = message.headers.last(named: TraceContext.traceparent) { byTraceparent[traceparent] = index }
            if let key = message.key { byKey[key] = index }
        }
    }

    /// The index of the input `output` comes from: the one whose `traceparent` it carries (a dead letter, a
    /// follow-up), else the one with its key (each stage keys its outputs by event id, as its inputs are).
    func index(of output: KafkaOutboundMessage) -> Int? {
        if let traceparent = output.headers.last(named: TraceContext.traceparent) { return byTraceparent[traceparent] }
        return output.key.flatMap { byKey[$0] }
    }
}

extension TraceContext {
    /// ``carrying(_:from:spans:)`` with no spans recorded: what a stage does when tracing is off.
    package static func carrying(_ outputs: [KafkaOutboundMessage], from batch: [KafkaConsumerMessage]) -> [KafkaOutboundMessage] {
        carrying(outputs, from: batch, spans: nil)
    }

    /// The W3C trace-context headers every output carries from the input it comes from (``TraceSources``). With
    /// spans recorded, the record's span at this stage becomes the output's parent; without, the input's own headers
    /// are carried, unless the handler set them itself, and an input without any starts a new trace (one per input,
    /// whatever number of outputs it makes). A response's trace thus follows it through every stage.
    static func carrying(
        _ outputs: [KafkaOutboundMessage],
        from batch: [KafkaConsumerMessage],
        spans: StageSpans?
    ) -> [KafkaOutboundMessage] {
        let sources = TraceSources(batch)
        var started: [Int: [KafkaHeader]] = [:]
        return outputs.map { output in
            guard let index = sources.index(of: output) else { return output }
            var carried = output
            if let headers = spans?.parentHeaders(forRecord: index, output: output), !headers.isEmpty {
                carried.headers.removeAll { TraceContext.headerNames.contains($0.name) }
                carried.headers += headers
                return carried
            }
            guard !output.headers.contains(where: { TraceContext.headerNames.contains($0.name) }) else { return output }
            var context = TraceContext.headers(in: batch[index].headers)
            if context.isEmpty {
                context = started[index] ?? [TraceContext.started()]
                started[index] = context
            }
            carried.headers += context
            return carried
        }
    }
}
