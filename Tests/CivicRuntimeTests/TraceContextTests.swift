import CivicKafka
import CivicModels
import CivicRuntime
import CivicTestTraits
import Configuration
import Testing

/// The trace-context headers without a recording tracer (tracing off, as in this test process): what a stage carries
/// from its inputs to its outputs, and what intake starts.
@Suite(.hangGuard)
struct TraceContextTests {
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    static func input(_ key: String, offset: Int64, headers: [KafkaHeader] = []) -> KafkaConsumerMessage {
        var message = KafkaConsumerMessage(topic: "in", partition: 0, offset: offset, key: Array(key.utf8), value: [])
        message.headers = headers
        return message
    }

    static func header(_ name: String, _ value: String) -> KafkaHeader { KafkaHeader(name: name, value: Array(value.utf8)) }

    @Test func aTraceparentIsParsedOnlyWhenValid() {
        #expect(TraceContext.traceID(ofTraceparent: Self.traceparent) == "4bf92f3577b34da6a3ce929d0e0e4736")
        for invalid in [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        ] {
            #expect(TraceContext.traceID(ofTraceparent: invalid) == nil, "\(invalid) was taken as a traceparent")
        }
        #expect(TraceContext.traceID(in: [Self.header("traceparent", Self.traceparent)]) == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceContext.traceID(in: [Self.header("other", Self.traceparent)]) == nil)
    }

    @Test func aStartedTraceIsNewValidAndNotSampled() throws {
        let first = TraceContext.started()
        let second = TraceContext.started()
        #expect(first.name == "traceparent")
        let text = String(decoding: first.value, as: UTF8.self)
        #expect(TraceContext.traceID(ofTraceparent: text) != nil, "\(text)")
        #expect(text.hasSuffix("-00"), "\(text): nothing was recorded, so it is not marked sampled")
        #expect(TraceContext.traceID(in: [first]) != TraceContext.traceID(in: [second]))
    }

    @Test func outputsCarryTheirInputsContextAndAnInputWithoutOneStartsOneTrace() throws {
        let state = Self.header("tracestate", "civic=1")
        let batch = [
            Self.input("a", offset: 0, headers: [Self.header("traceparent", Self.traceparent), state, Self.header("other", "x")]),
            Self.input("b", offset: 1),
        ]
        var own = KafkaOutboundMessage(topic: "out", key: "a", value: [])
        own.headers = [Self.header("traceparent", "00-11111111111111111111111111111111-2222222222222222-01")]
        let outputs = [
            KafkaOutboundMessage(topic: "out", key: "a", value: []),
            KafkaOutboundMessage(topic: "out", key: "b", value: []),
            KafkaOutboundMessage(topic: CivicTopic.rejected, key: "b", value: []),
            KafkaOutboundMessage(topic: "out", key: "unknown", value: []),
            own,
        ]
        let carried = TraceContext.carrying(outputs, from: batch)
        #expect(carried[0].headers == [Self.header("traceparent", Self.traceparent), state], "only the trace-context headers are carried")
        // b had none: one trace is started for it, the same on each of its outputs.
        let started = try #require(TraceContext.traceID(in: carried[1].headers))
        #expect(TraceContext.traceID(in: carried[2].headers) == started)
        #expect(carried[3].headers.isEmpty, "an output with no input of its key gets nothing")
        #expect(carried[4].headers == own.headers, "a context the handler set is kept")
    }

    @Test func anOutputCarryingAnInputsTraceparentUnderAnotherKeyIsThatInputs() {
        // A follow-up is keyed by its case id, and carries the response's traceparent: it is matched by that.
        let batch = [Self.input("event-1", offset: 0, headers: [Self.header("traceparent", Self.traceparent)])]
        var followUp = KafkaOutboundMessage(topic: CivicTopic.followUps, key: "case-1", value: [])
        followUp.headers = [Self.header("traceparent", Self.traceparent)]
        let carried = TraceContext.carrying([followUp], from: batch)
        #expect(carried[0].headers == [Self.header("traceparent", Self.traceparent)])
    }

    @Test func anHTTPRequestsTraceparentIsContinuedOnlyWhenValid() {
        let valid = RequestTrace(traceparent: Self.traceparent, tracestate: "civic=1")
        #expect(valid.parent == [Self.header("traceparent", Self.traceparent), Self.header("tracestate", "civic=1")])
        #expect(valid.start("intake accept", topic: "t", key: "e").headers == valid.parent)
        #expect(RequestTrace(traceparent: "garbage", tracestate: "civic=1").parent.isEmpty, "an invalid traceparent is ignored")
        let none = RequestTrace(traceparent: nil, tracestate: nil)
        let first = none.start("intake accept", topic: "t", key: "e1").headers
        let second = none.start("intake accept", topic: "t", key: "e2").headers
        #expect(TraceContext.traceID(in: first) != nil)
        #expect(TraceContext.traceID(in: first) != TraceContext.traceID(in: second), "each response starts its own trace")
    }

    @Test func tracingIsOffUnlessAnEndpointIsConfigured() {
        #expect(!TracingConfiguration().isEnabled)
        #expect(TracingConfiguration(endpoint: "http://collector:4318").isEnabled)
        var disabled = TracingConfiguration(endpoint: "http://collector:4318")
        disabled.sdkDisabled = true
        #expect(!disabled.isEnabled)
        #expect(!TraceContext.isRecording, "this test process installs no tracer")
    }

    @Test func theEndpointIsReadFromTheStandardVariables() throws {
        func read(_ environment: [String: String]) throws -> TracingConfiguration {
            try TracingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
        }
        #expect(try read([:]) == TracingConfiguration())
        #expect(try read(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]).endpoint == "http://collector:4318")
        let both = try read([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://traces.example/v1/traces",
        ])
        #expect(both.endpoint == "https://traces.example/v1/traces", "the traces endpoint wins, as in the OpenTelemetry specification")
        #expect(try !read(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"]).isEnabled)
        #expect(throws: ConfigurationError.self) { try read(["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"]) }
    }
}
