import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Traces with a real OTLP receiver (ops/monitoring/otlp_receiver.py, built on the protocol's published protobuf
/// definitions): responses posted to survey-intake's HTTP API, through all four services with OTLP export on. Each
/// response is one trace, started at intake, with spans from every service, one root, and every other span's
/// parent in the same trace; the scored event's `traceparent`, the reporting row's `trace_id` and the spans agree.
/// A request that carries the agency's own `traceparent` continues the agency's trace. A real Prometheus server
/// scraping the services keeps the latency histograms' exemplars, which name those traces.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct TracingEndToEndTests {
    static let logger = Logger(label: "tracing-e2e")
    static let intakeAdminToken = "tracing-" + TestHTTP.randomSecret()
    static let services: Set<String> = ["survey-intake", "identity-verify", "sentiment-scorer", "reporting"]

    /// One span as the receiver wrote it.
    struct ReceivedSpan: Decodable {
        var traceId: String
        var spanId: String
        var parentSpanId: String
        var name: String
        var service: String?
        /// OTLP's status code: 2 is an error.
        var status: Int
    }

    @Test func eachResponseIsOneTraceAcrossTheFourServices() async throws {
        let receiverPort = try freeLoopbackPort()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("civic-otlp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let spansFile = work.appendingPathComponent("spans.jsonl")
        let receiver = try ManagedProcess(
            executable: RepositoryLayout.python,
            arguments: [
                RepositoryLayout.root.appendingPathComponent("ops/monitoring/otlp_receiver.py").path, String(receiverPort), spansFile.path,
            ],
            environment: [:],
            logFile: work.appendingPathComponent("receiver.log")
        )
        defer { receiver.kill(signal: SIGKILL) }
        try await Self.waitUntil("the OTLP receiver listens", log: receiver.logTail()) {
            try await TestHTTP.send("GET", "http://127.0.0.1:\(receiverPort)/health", timeout: 2).status == 200
        }

        // A rule that opens a follow-up for a thumbs-down response: the follow-up carries the response's trace.
        let rules = work.appendingPathComponent("followup-rules.json")
        try Data(#"{"agencies": {"IRS": {"targetDays": 5, "rules": [{"name": "unhappy", "trust": "low"}]}}}"#.utf8).write(to: rules)
        let harness = try await PipelineHarness(extraEnvironment: [
            "CIVIC_REPORTING_FOLLOWUP_RULES_FILE": rules.path,
            "CIVIC_INTAKE_ADMIN_TOKEN": Self.intakeAdminToken,
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(receiverPort)",
            "OTEL_TRACES_SAMPLER": "parentbased_always_on",
            // Spans leave each service within 200 ms instead of 5 s; nothing waits on that time.
            "OTEL_BSP_SCHEDULE_DELAY": "200",
        ])
        try await harness.startAll()
        let minted = try await TestHTTP.send("POST", harness.base("survey-intake") + "/v1/admin/agencies/IRS/keys", bearer: Self.intakeAdminToken)
        let apiKey = try #require((try JSONSerialization.jsonObject(with: minted.body) as? [String: Any])?["key"] as? String, "\(minted.text)")

        // 12 responses in one request without a traceparent: a trace each, started at intake.
        let run = UUID().uuidString.prefix(8).lowercased()
        let ids = (0..<12).map { "trace-\(run)-\($0)" }
        let items = ids.map { id in
            String(
                decoding: HostileInputEndToEndTests.response(id) {
                    $0["agency"] = "IRS"
                    $0["service"] = "free-file"
                },
                as: UTF8.self
            )
        }
        let batch = try await TestHTTP.send(
            "POST",
            harness.base("survey-intake") + "/v1/responses",
            bearer: apiKey,
            json: Data("[\(items.joined(separator: ","))]".utf8)
        )
        #expect(batch.status == 202 && batch.text.components(separatedBy: #""accepted""#).count == ids.count + 1, "\(batch.text)")
        // One response whose request carries the agency's traceparent: its trace continues the agency's.
        let agencyTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        let agencyID = "trace-\(run)-agency"
        let continued = try await TestHTTP.send(
            "POST",
            harness.base("survey-intake") + "/v1/responses",
            bearer: apiKey,
            json: Data(
                HostileInputEndToEndTests.response(agencyID) {
                    $0["agency"] = "IRS"
                    $0["service"] = "free-file"
                    $0["answers"] = ["trust": ["scale": "thumbs", "value": 0]]
                }
            ),
            headers: ["traceparent": "00-\(agencyTraceID)-00f067aa0ba902b7-01"]
        )
        #expect(continued.status == 202, "\(continued.text)")
        let all = ids + [agencyID]

        // Two responses set aside: one the HTTP API refuses, one published straight to the agency's topic without a
        // traceparent that the intake stage refuses. Each dead letter carries a trace whose span says so.
        let unknownService: (inout [String: Any]) -> Void = {
            $0["agency"] = "IRS"
            $0["service"] = "no-such-service"
        }
        let refusedID = "trace-\(run)-refused"
        let refused = try await TestHTTP.send(
            "POST",
            harness.base("survey-intake") + "/v1/responses",
            bearer: apiKey,
            json: Data(HostileInputEndToEndTests.response(refusedID, unknownService))
        )
        #expect(refused.status == 202 && refused.text.contains(#""rejected""#), "\(refused.text)")
        let directID = "trace-\(run)-direct"
        var producerConfiguration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "tracing-e2e")
        )
        producerConfiguration.flushTimeoutMilliseconds = 5_000
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: Self.logger)
        _ = try await producer.send([
            KafkaOutboundMessage(
                topic: CivicTopic.submitted(agency: "IRS"),
                key: directID,
                value: HostileInputEndToEndTests.response(directID, unknownService)
            )
        ])
        await producer.close()
        let deadLetters = try await Self.traceIDs(of: [refusedID, directID], on: CivicTopic.rejected, harness: harness)
        #expect(deadLetters.count == 2, "dead letters seen: \(deadLetters)")

        // The scored events' traceparents.
        let scored = try await Self.traceIDs(of: Set(all), on: CivicTopic.scored, harness: harness)
        #expect(scored.count == all.count, "\(scored.count) of \(all.count) scored events seen")
        #expect(scored[agencyID] == agencyTraceID, "the agency's trace was not continued: \(scored[agencyID] ?? "none")")
        #expect(Set(ids.compactMap { scored[$0] }).count == ids.count, "responses share traces: \(scored)")

        // The reporting rows' trace ids.
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        var stored: [String: String] = [:]
        try await Self.waitUntil("reporting stores every response", log: harness.logTail("reporting")) {
            let rows = try await database.query(
                "SELECT event_id, trace_id FROM reporting.feedback WHERE event_id LIKE $1 AND trace_id IS NOT NULL",
                ["trace-\(run)-%"]
            )
            for row in rows.rows { stored[try row.require("event_id")] = try row.require("trace_id", as: String.self) }
            return stored.count == all.count
        }
        #expect(stored == scored, "reporting rows' trace ids differ from the scored events' headers")

        // The follow-up the agency's thumbs-down response opened carries its trace: on its row and on its record.
        let followUps = try await database.query("SELECT case_id, trace_id FROM reporting.follow_ups WHERE event_id LIKE $1", ["trace-\(run)-%"])
        #expect(followUps.rows.count == 1, "follow-ups opened: \(followUps.rows.count)")
        let followUp = try #require(followUps.rows.first)
        let caseID = try followUp.require("case_id", as: String.self)
        #expect(try followUp.require("trace_id", as: String.self) == agencyTraceID)
        let followUpTraces = try await Self.traceIDs(of: [caseID], on: CivicTopic.followUps, harness: harness)
        #expect(followUpTraces[caseID] == agencyTraceID, "the follow-up's record: \(followUpTraces)")

        // The spans: every trace has spans of all four services, one root, and every parent inside the trace.
        var spans: [String: [ReceivedSpan]] = [:]
        try await Self.waitUntil("the receiver has spans of all four services for every response", log: receiver.logTail()) {
            spans = Self.spansByTrace(in: spansFile)
            return all.allSatisfy { id in
                guard let trace = scored[id], let received = spans[trace] else { return false }
                return Set(received.compactMap(\.service)) == Self.services
                    && received.contains { $0.name == "reporting process" && !$0.parentSpanId.isEmpty }
            }
        }
        for id in all {
            let trace = try #require(scored[id])
            let received = spans[trace] ?? []
            let spanIDs = Set(received.map(\.spanId))
            let roots = received.filter { $0.parentSpanId.isEmpty || !spanIDs.contains($0.parentSpanId) }
            // The only span whose parent is not in the trace is intake's first (whose parent is the agency's, if any).
            #expect(roots.map(\.name) == ["intake accept"], "\(id): roots \(roots.map { "\($0.service ?? "?")/\($0.name)" })")
            for stage in ["intake process", "identity process", "scorer process", "reporting process"] {
                #expect(received.contains { $0.name == stage }, "\(id): no \(stage) span")
            }
            for step in ["validate", "store", "publish"] {
                #expect(received.filter { $0.name == step }.count >= 4, "\(id): fewer than four \(step) spans")
            }
        }
        let agencyRoot = spans[agencyTraceID]?.first { $0.name == "intake accept" }
        #expect(agencyRoot?.parentSpanId == "00f067aa0ba902b7", "intake's span is not the agency's span's child")

        // The dead letters' traces: the refusal is an error span, at the HTTP API or at the intake stage.
        try await Self.waitUntil("the receiver has the dead letters' error spans", log: receiver.logTail()) {
            spans = Self.spansByTrace(in: spansFile)
            let refusedSpans = deadLetters[refusedID].flatMap { spans[$0] } ?? []
            let directSpans = deadLetters[directID].flatMap { spans[$0] } ?? []
            return refusedSpans.contains { $0.name == "intake reject" && $0.status == 2 }
                && directSpans.contains { $0.name == "intake process" && $0.status == 2 }
        }
        #expect(Set(deadLetters.values).isDisjoint(with: scored.values), "a dead letter shares a trace with an accepted response")

        try await Self.prometheusKeepsLatencyExemplars(harness: harness, traces: Set(scored.values), work: work)
        _ = await harness.stopAll()
        await harness.broker.kill()
    }

    /// What Prometheus's HTTP API answers: `{"status": ..., "data": ...}`.
    struct PrometheusAnswer<Payload: Decodable>: Decodable {
        var data: Payload
    }

    struct ScrapeTargets: Decodable {
        struct Target: Decodable {
            var scrapeUrl: String
            var health: String
            var lastError: String
        }
        var activeTargets: [Target]
    }

    struct ExemplarSeries: Decodable {
        struct Exemplar: Decodable {
            var labels: [String: String]
            var value: String
        }
        var seriesLabels: [String: String]
        var exemplars: [Exemplar]
    }

    /// A real Prometheus server (Debian's, `--enable-feature=exemplar-storage`) scrapes the four services. It is
    /// answered in OpenMetrics, ingests every metric the text format shows, and keeps exemplars on the latency
    /// histogram of every stage whose trace ids are the responses' traces (`traces`), each inside its bucket.
    static func prometheusKeepsLatencyExemplars(harness: PipelineHarness, traces: Set<String>, work: URL) async throws {
        let executable = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CIVIC_PROMETHEUS"] ?? "/usr/bin/prometheus")
        let port = try freeLoopbackPort()
        let targets = try services.sorted().map { service in
            guard let url = URL(string: harness.base(service)), let host = url.host, let servicePort = url.port else {
                throw TestEnvironmentError("no address for \(service)")
            }
            return "'\(host):\(servicePort)'"
        }
        let configuration = work.appendingPathComponent("prometheus.yml")
        try Data(
            """
            global: {scrape_interval: 1s, scrape_timeout: 1s}
            scrape_configs:
              - job_name: civicpulse
                static_configs: [{targets: [\(targets.joined(separator: ", "))]}]

            """.utf8
        ).write(to: configuration)
        let prometheus = try ManagedProcess(
            executable: executable,
            arguments: [
                "--config.file=\(configuration.path)", "--storage.tsdb.path=\(work.appendingPathComponent("prometheus").path)",
                "--web.listen-address=127.0.0.1:\(port)", "--enable-feature=exemplar-storage",
            ],
            logFile: work.appendingPathComponent("prometheus.log")
        )
        defer { prometheus.kill(signal: SIGKILL) }
        let api = "http://127.0.0.1:\(port)/api/v1"
        let decoder = JSONDecoder()

        // What each service shows: OpenMetrics to a scraper that asks for it (Prometheus's own Accept header), the
        // text format otherwise, and the names of the metrics in it.
        var names: Set<String> = []
        for service in services {
            let openMetrics = try await TestHTTP.send(
                "GET",
                harness.base(service) + "/metrics",
                headers: ["Accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"]
            )
            #expect(openMetrics.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8", "\(service)")
            #expect(openMetrics.text.hasSuffix("# EOF\n"), "\(service)")
            let text = try await TestHTTP.send("GET", harness.base(service) + "/metrics")
            #expect(text.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8", "\(service)")
            #expect(!text.text.contains("# EOF") && !text.text.contains(" # {"), "\(service)")
            for line in text.text.split(separator: "\n") where !line.hasPrefix("#") {
                if let name = line.split(whereSeparator: { $0 == "{" || $0 == " " }).first { names.insert(String(name)) }
            }
        }

        let stages: Set<String> = ["intake", "identity", "scorer", "reporting"]
        var exemplars: [ExemplarSeries] = []
        var lastTargets: [ScrapeTargets.Target] = []
        try await waitUntil(
            "Prometheus scrapes every service and keeps exemplars of every stage",
            log: "targets: \(lastTargets)\nexemplars: \(exemplars.count) series\n\(prometheus.logTail())"
        ) {
            let targets = try decoder.decode(
                PrometheusAnswer<ScrapeTargets>.self,
                from: try await TestHTTP.send("GET", api + "/targets", timeout: 5).body
            ).data.activeTargets
            lastTargets = targets
            // A page Prometheus cannot parse is an error at once, not something to wait out.
            for target in targets where target.lastError.contains("parse") || target.lastError.contains("token") {
                Issue.record("Prometheus could not read \(target.scrapeUrl): \(target.lastError)")
                throw TestEnvironmentError("unreadable metrics page")
            }
            guard targets.count == services.count, targets.allSatisfy({ $0.health == "up" }) else { return false }
            let now = Date().timeIntervalSince1970
            let query = "civic_event_latency_seconds_bucket".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            exemplars = try decoder.decode(
                PrometheusAnswer<[ExemplarSeries]>.self,
                from: try await TestHTTP.send(
                    "GET",
                    api + "/query_exemplars?query=\(query)&start=\(Int(now) - 3600)&end=\(Int(now) + 3600)",
                    timeout: 5
                ).body
            ).data
            return Set(exemplars.filter { !$0.exemplars.isEmpty }.compactMap { $0.seriesLabels["stage"] }) == stages
        }
        let buckets = Observability.eventLatencyBuckets.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        for series in exemplars {
            let le = series.seriesLabels["le"] ?? ""
            let upper = le == "+Inf" ? Double.infinity : try #require(Double(le), "le \(le)")
            let lower = buckets.last { $0 < upper } ?? -1
            for exemplar in series.exemplars {
                let trace = exemplar.labels["trace_id"] ?? "none"
                #expect(traces.contains(trace), "exemplar of \(series.seriesLabels) names \(trace), not a response's trace")
                let value = try #require(Double(exemplar.value))
                #expect(value > lower && value <= upper, "exemplar \(value) s outside its bucket \(le)")
            }
        }

        // Every metric the text format shows reached Prometheus through OpenMetrics.
        var ingested: Set<String> = []
        try await waitUntil("Prometheus has every metric the services show", log: "missing: \(names.subtracting(ingested).sorted())") {
            let match = #"{job="civicpulse"}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            ingested = Set(
                try decoder.decode(
                    PrometheusAnswer<[String]>.self,
                    from: try await TestHTTP.send("GET", api + "/label/__name__/values?match%5B%5D=\(match)", timeout: 5).body
                ).data
            )
            return names.isSubset(of: ingested)
        }
    }

    /// The trace id of the `traceparent` on the record of each of `ids` (its key) on `topic`.
    static func traceIDs(of ids: Set<String>, on topic: String, harness: PipelineHarness) async throws -> [String: String] {
        var configuration = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "tracing-e2e"),
            groupID: "tracing-e2e-\(UUID().uuidString.prefix(8))",
            topics: [topic]
        )
        configuration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        configuration.heartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        var received: [String: String] = [:]
        let deadline = ContinuousClock.now + TestPatience.hang
        while received.count < ids.count, ContinuousClock.now < deadline {
            guard let batch = try await consumer.poll(maxMessages: 500, maxWait: .milliseconds(200)) else { break }
            for message in batch {
                guard let key = message.key.map({ String(decoding: $0, as: UTF8.self) }), ids.contains(key) else { continue }
                let traceparent = message.headers.last(named: "traceparent").map { String(decoding: $0, as: UTF8.self) } ?? ""
                let fields = traceparent.split(separator: "-")
                received[key] = fields.count == 4 ? String(fields[1]) : "(no traceparent: \(traceparent))"
            }
        }
        await consumer.close()
        return received
    }

    /// The spans the receiver wrote so far, by trace id (a line still being written is skipped).
    static func spansByTrace(in file: URL) -> [String: [ReceivedSpan]] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [:] }
        let decoder = JSONDecoder()
        var spans: [String: [ReceivedSpan]] = [:]
        for line in text.split(separator: "\n") {
            guard let span = try? decoder.decode(ReceivedSpan.self, from: Data(line.utf8)) else { continue }
            spans[span.traceId, default: []].append(span)
        }
        return spans
    }

    static func waitUntil(_ what: String, log: @autoclosure () -> String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("timed out waiting until \(what)\n\(log())")
        throw TestEnvironmentError("timed out waiting until \(what)")
    }
}
