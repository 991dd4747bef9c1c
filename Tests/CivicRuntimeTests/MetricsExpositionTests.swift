import CivicKafka
import CivicRuntime
import CivicTestTraits
import Metrics
import Prometheus
import Testing

/// `/metrics` in OpenMetrics for a scraper that asks for it: counters named as OpenMetrics names their families, the
/// latency histogram's buckets with the newest sampled trace in each, `# EOF` at the end; the text format otherwise.
/// A real Prometheus server's scrape of the four services is checked in `TracingEndToEndTests`.
@Suite(.hangGuard)
struct MetricsExpositionTests {
    static let sampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    static let newer = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    static func headers(_ traceparent: String) -> [KafkaHeader] { [KafkaHeader(name: "traceparent", value: Array(traceparent.utf8))] }

    @Test func prometheusGetsOpenMetricsAndEveryoneElseTheTextFormat() {
        // What Prometheus 2.42 sends.
        let prometheus =
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        #expect(MetricsExposition.prefersOpenMetrics(accept: prometheus))
        #expect(MetricsExposition.prefersOpenMetrics(accept: "application/openmetrics-text"))
        #expect(MetricsExposition.prefersOpenMetrics(accept: " Application/OpenMetrics-Text ; q=0.9 , text/plain;q=0.8"))
        for other in [
            nil, "", "*/*", "text/plain", "text/plain;version=0.0.4", "application/openmetrics-text;q=0",
            "application/openmetrics-text;q=0.5,text/plain", "application/openmetrics-text;q=nonsense", "application/json",
        ] {
            #expect(!MetricsExposition.prefersOpenMetrics(accept: other), "\(other ?? "no header") was given OpenMetrics")
        }
    }

    @Test func openMetricsCarriesTheNewestSampledTraceOfEachBucket() throws {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["civic_event_latency_seconds"] = Observability.eventLatencyBuckets
        Counter(label: "civic_messages_consumed_total", dimensions: [("stage", "reporting")], factory: factory).increment(by: 3)
        Gauge(label: "civic_ready", dimensions: [("component", "kafka")], factory: factory).record(1)
        let latency = Metrics.Timer(
            label: "civic_event_latency_seconds",
            dimensions: [("stage", "reporting"), ("topic", "cx.feedback.scored.v1"), ("partition", "2")],
            factory: factory
        )
        let exemplars = EventLatencyExemplars(buckets: Observability.eventLatencyBuckets)
        let series = EventLatencyExemplars.Series(stage: "reporting", topic: "cx.feedback.scored.v1", partition: 2)
        var batch = exemplars.batch(at: 1_796_000_000_123)
        // Offered newest first, as the stream processor does: 0.2 s and 0.15 s share the 0.25 s bucket.
        for (milliseconds, traceparent) in [
            (200, Self.newer), (150, Self.sampled),
            // Not sampled, not valid, or trying to write into the page: none of these is an exemplar.
            (700, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"),
            (2_000, "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            (4_000, "00-4bf92f3577b34da6a3ce929d0e0e4736\"} 1 # {x=\"y\"-00f067aa0ba902b7-01"),
            (7_000, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0\u{0}1"),
        ] {
            latency.recordNanoseconds(Int64(milliseconds) * 1_000_000)
            batch.offer(.milliseconds(milliseconds), in: series, headers: Self.headers(traceparent))
        }
        latency.recordNanoseconds(20_000_000_000)
        batch.offer(.seconds(20), in: series, headers: [])
        exemplars.keep(batch)

        var text: [UInt8] = []
        registry.emit(into: &text)
        let page = String(decoding: MetricsExposition.openMetrics(fromText: text, exemplars: exemplars), as: UTF8.self)
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.suffix(2) == ["# EOF", ""], "\(page)")
        #expect(lines.contains("# TYPE civic_messages_consumed counter"), "\(page)")
        #expect(lines.contains(#"civic_messages_consumed_total{stage="reporting"} 3"#), "\(page)")
        #expect(lines.contains("# TYPE civic_ready gauge"), "\(page)")
        #expect(lines.contains("# TYPE civic_event_latency_seconds histogram"), "\(page)")
        let labels = #"stage="reporting",topic="cx.feedback.scored.v1",partition="2""#
        #expect(
            lines.contains(
                #"civic_event_latency_seconds_bucket{\#(labels),le="0.25"} 2 # {trace_id="0af7651916cd43dd8448eb211c80319c"} 0.2 1796000000.123"#
            ),
            "\(page)"
        )
        let withExemplar = lines.filter { $0.contains(" # {") }
        #expect(withExemplar.count == 1, "only the 0.25 s bucket has a sampled trace: \(withExemplar)")
        #expect(!page.contains("x=") && !page.contains("00000000000000000000000000000000"), "\(page)")
        // Every other line is the text format's.
        let textLines = Set(String(decoding: text, as: UTF8.self).split(separator: "\n").map(String.init))
        for line in lines where !line.isEmpty && !line.hasPrefix("#") && !line.contains(" # {") {
            #expect(textLines.contains(line), "\(line) is not in the text format's page")
        }

        // A later batch's exemplar replaces its bucket's; the others stay.
        var later = exemplars.batch(at: 1_796_000_060_000)
        later.offer(.milliseconds(240), in: series, headers: Self.headers(Self.sampled))
        later.offer(.milliseconds(800), in: series, headers: Self.headers(Self.newer))
        exemplars.keep(later)
        #expect(exemplars.exemplar(of: series, bucket: 1)?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(exemplars.exemplar(of: series, bucket: 3)?.latency == .milliseconds(800))
        #expect(exemplars.exemplar(of: series, bucket: 0) == nil)
        // Another series of the same stage has none of them.
        #expect(exemplars.exemplar(of: .init(stage: "reporting", topic: "cx.feedback.scored.v1", partition: 0), bucket: 1) == nil)
    }

    @Test func bucketsAreCountedAsPrometheusCountsThem() {
        let exemplars = EventLatencyExemplars(buckets: Observability.eventLatencyBuckets)
        #expect(exemplars.bucket(of: .zero) == 0)
        #expect(exemplars.bucket(of: .milliseconds(100)) == 0)
        #expect(exemplars.bucket(of: .milliseconds(101)) == 1)
        #expect(exemplars.bucket(of: .seconds(3600)) == Observability.eventLatencyBuckets.count - 1)
        #expect(exemplars.bucket(of: .seconds(3601)) == Observability.eventLatencyBuckets.count)
        #expect(exemplars.bucket(le: "0.1") == 0)
        #expect(exemplars.bucket(le: "2.5") == 4)
        #expect(exemplars.bucket(le: "+Inf") == Observability.eventLatencyBuckets.count)
        #expect(exemplars.bucket(le: "0.3") == nil)
        #expect(exemplars.bucket(le: "NaN") == nil)
    }

    @Test func countersNotNamedTotalAndHelpTextStayValid() {
        let registry = PrometheusCollectorRegistry()
        let odd = registry.makeCounter(
            descriptor: .init(metricName: "civic_odd", unitName: "", helpText: #"counts "odd" things \ and more"#)
        )
        odd.increment()
        var text: [UInt8] = []
        registry.emit(into: &text)
        let page = String(decoding: MetricsExposition.openMetrics(fromText: text, exemplars: .shared), as: UTF8.self)
        #expect(page.contains("# TYPE civic_odd unknown\n"), "\(page)")
        #expect(page.contains(#"# HELP civic_odd counts \"odd\" things \\ and more"#), "\(page)")
        #expect(page.contains("\ncivic_odd 1\n"), "\(page)")
        #expect(page.hasSuffix("# EOF\n"))
    }
}
