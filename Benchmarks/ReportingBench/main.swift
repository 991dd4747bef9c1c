// ReportingBench: reporting's aggregation throughput and report latency against a real PostgreSQL.
//
//   ops/bench/reporting.sh [events] [queries-per-variant]     (defaults: 1000000 and 200)
//
// 1. Aggregation: `events` scored responses and operational events (9:1), in batches of 500 as the
//    service consumes them, through the real ReportingHandler (decode, store, update cell measures in one
//    transaction). Baseline, measured on the same batches in the same run: COPY of the same events' JSON into
//    a plain (event_id, payload jsonb) table: bulk loading with no decoding and no aggregation.
// 2. Queries: GET /v1/reports over HTTP on the real service (in this process, real Tansu broker), sequential,
//    p50/p95/p99 per variant. Baselines: GET /health on the same server (HTTP round trip) and `SELECT 1` on
//    the database (database round trip).
// 3. Many readers: `wrk -c64` on the all-agency report grouped by service and channel (with trend) for
//    BENCH_READERS_S seconds (default 20), and `wrk -c16` on one agency's report, against two servers on the
//    same database: one keeping report bodies (the default, CIVIC_REPORTING_REPORT_CACHE_BYTES) and one
//    computing every body anew (the baseline), each while nothing is ingested and while batches of 500 events
//    are ingested at 1,000 events/s. After each loaded run, the body served is compared with one computed
//    afresh: it must be current.
//
// PostgreSQL is durable (fsync and synchronous_commit on, as the local stack and users run it) unless
// BENCH_DURABLE=0, which measures the non-durable ceiling the figures before 2026-12-07 were taken on.

import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTesting
import CivicTime
import Foundation
import Logging
import Reporting
import ReportingCore
import ServiceLifecycle

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let arguments = CommandLine.arguments.dropFirst()
let eventCount = arguments.first.flatMap(Int.init) ?? 1_000_000
let queriesPerVariant = arguments.dropFirst().first.flatMap(Int.init) ?? 200
let batchSize = 500

var logger = Logger(label: "reporting-bench")
logger.logLevel = .warning

func seconds(_ duration: Duration) -> Double { duration.timeInterval }

// 20 agencies x 5 services x 4 channels x 4 fiscal quarters (FY2027 Q1 to FY2027 Q4).
let agencies = (1...20).map { String(format: "A%02d", $0) }
let services = (1...5).map { "service-\($0)" }
let channels: [Channel] = [.web, .phone, .mobile, .chat]
let quarterStarts = ["2026-10-01", "2027-01-01", "2027-04-01", "2027-07-01"].map { Timestamp.parse($0 + "T00:00:00Z")! }
let drivers = Driver.allCases
let emotionNames = ["anger", "fear", "sadness", "joy", "frustration", "confusion", "disappointment", "gratitude"]
var random = SeededGenerator(seed: 2026_11_22)
let encoder = CivicJSON.makeEncoder()

@MainActor func makeBatch(_ first: Int, end: Int = eventCount) throws -> [KafkaConsumerMessage] {
    try (first..<min(first + batchSize, end)).map { index in
        let agency = agencies[Int.random(in: 0..<agencies.count, using: &random)]
        let service = services[Int.random(in: 0..<services.count, using: &random)]
        let channel = channels[Int.random(in: 0..<channels.count, using: &random)]
        let occurredAt = quarterStarts[Int.random(in: 0..<4, using: &random)].addingTimeInterval(
            Double(Int.random(in: 0..<7_000_000, using: &random))
        )
        if index % 10 == 9 {
            let event = OperationsEvent(
                eventId: "op-\(index)",
                occurredAt: occurredAt,
                agency: agency,
                service: service,
                channel: channel,
                handleSeconds: Double(Int.random(in: 30...900, using: &random)),
                resolvedFirstContact: Bool.random(using: &random)
            )
            return KafkaConsumerMessage(
                topic: CivicTopic.operations,
                partition: 0,
                offset: Int64(index),
                key: nil,
                value: Array(try encoder.encode(event))
            )
        }
        var answers = Answers(recommend: Int.random(in: 0...10, using: &random))
        let v2 = Int.random(in: 0..<4, using: &random) != 0
        if v2 {
            answers.trust =
                Bool.random(using: &random) ? .thumbs(Int.random(in: 0...1, using: &random)) : .likert5(Int.random(in: 1...5, using: &random))
            let ticked = drivers.filter { _ in Int.random(in: 0..<3, using: &random) == 0 }
            if answers.trust?.isFavourable == true { answers.wentWell = ticked } else { answers.didNotGoWell = ticked }
        } else {
            answers.trust = .legacy(Int.random(in: 1...5, using: &random))
            answers.satisfaction = Int.random(in: 1...5, using: &random)
            answers.effectiveness = Int.random(in: 1...5, using: &random)
            answers.ease = Int.random(in: 1...5, using: &random)
            answers.efficiency = Int.random(in: 1...5, using: &random)
            answers.transparency = Int.random(in: 1...5, using: &random)
            answers.employee = Int.random(in: 1...5, using: &random)
        }
        var event = FeedbackEvent(
            schema: SchemaVersion.scored,
            eventId: "evt-\(index)",
            occurredAt: occurredAt,
            agency: agency,
            service: service,
            channel: channel,
            form: v2 ? .a11v2 : .a11v1,
            answers: answers,
            comment: "The form was clear and the help line answered quickly."
        )
        let compound = Double(Int.random(in: -100...100, using: &random)) / 100
        event.sentiment = SentimentScores(neg: 0.1, neu: 0.6, pos: 0.3, compound: compound)
        event.emotions = Dictionary(uniqueKeysWithValues: emotionNames.filter { _ in Int.random(in: 0..<5, using: &random) == 0 }.map { ($0, 1.0) })
        event.scorer = ScorerInfo(version: "bench")
        event.spam = index % 50 == 7 ? SpamAssessment(flagged: true, reasons: [.repeatedText]) : nil
        return KafkaConsumerMessage(topic: CivicTopic.scored, partition: 0, offset: Int64(index), key: nil, value: Array(try encoder.encode(event)))
    }
}

/// The baseline: COPY the batch's JSON, as it arrives, into a plain table in one transaction.
nonisolated func copyBaseline(_ batch: [KafkaConsumerMessage], client: PostgresClient) async throws {
    _ = try await client.withTransaction { connection in
        let rows: [[(any PostgresEncodable)?]] = batch.map { message in
            ["\(message.topic)/\(message.offset)", String(decoding: message.value, as: UTF8.self)]
        }
        return try await connection.copy(into: "public.copy_baseline", columns: ["event_id", "payload"], rows: rows)
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func summary(_ label: String, _ samples: [Double], baseline: Double? = nil) {
    let sorted = samples.sorted()
    let p50 = percentile(sorted, 0.5) * 1000
    var line = "  " + label.padding(toLength: 50, withPad: " ", startingAt: 0)
    line += String(
        format: " p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms",
        p50,
        percentile(sorted, 0.95) * 1000,
        percentile(sorted, 0.99) * 1000
    )
    if let baseline { line += String(format: "  (p50 %.1fx baseline)", p50 / baseline) }
    print(line)
}

let durable = ProcessInfo.processInfo.environment["BENCH_DURABLE"] != "0"
let postgres = try await TestPostgres(durable: durable)
print("PostgreSQL: \(durable ? "durable (fsync, synchronous_commit on)" : "non-durable (fsync=off, synchronous_commit=off)")")
let databaseURL = try await postgres.makeDatabase(prefix: "bench")
let client = PostgresClient(configuration: PostgresConfiguration(connectionString: databaseURL), logger: logger)
try await ReportingStore.migrations.apply(using: client, logger: logger)
_ = try await client.query("CREATE TABLE public.copy_baseline (event_id text PRIMARY KEY, payload jsonb NOT NULL)")
let handler = ReportingHandler(client: client, logger: logger)

print("reporting aggregation: \(eventCount) events (90% scored responses, 2% of them spam-flagged; 10% operational), batches of \(batchSize)")
var handlerTime = Duration.zero
var copyTime = Duration.zero
let clock = ContinuousClock()
for first in stride(from: 0, to: eventCount, by: batchSize) {
    let batch = try makeBatch(first)
    copyTime += try await clock.measure { try await copyBaseline(batch, client: client) }
    handlerTime += try await clock.measure { _ = try await handler.handle(batch) }
    if (first / batchSize) % 200 == 199 {
        FileHandle.standardError.write(Data("  ... \(first + batchSize) events\n".utf8))
    }
}
let handlerRate = Double(eventCount) / seconds(handlerTime)
let copyRate = Double(eventCount) / seconds(copyTime)
print(String(format: "  handler + store (decode, insert, cell measures): %9.0f events/s (%.1f s)", handlerRate, seconds(handlerTime)))
print(String(format: "  baseline COPY of the same JSON (no aggregation): %9.0f events/s (%.1f s)", copyRate, seconds(copyTime)))
print(String(format: "  ratio handler / COPY: %.2f", handlerRate / copyRate))
let measures = try await client.query(
    "SELECT count(*) AS n, count(DISTINCT (agency, service, channel, fiscal_year, fiscal_quarter)) AS cells FROM reporting.cell_measures"
)
print(
    "  aggregates: \(try measures.first?.require("n", as: Int.self) ?? 0) measure rows in \(try measures.first?.require("cells", as: Int.self) ?? 0) cells"
)

// The real service (HTTP API) on the same database, with a real broker for its consumer.
let broker = try await TestBroker()
var runtime = RuntimeConfiguration(serviceName: "reporting")
runtime.kafkaBootstrapServers = broker.bootstrapServers
runtime.postgresURL = databaseURL
runtime.httpPort = 0
runtime.logLevel = .warning
let adminToken = TestHTTP.randomSecret()

/// Starts reporting on the bench's database, keeping `cacheBytes` of report bodies.
@MainActor func startReporting(cacheBytes: Int) async throws -> (port: Int, group: ServiceGroup, running: Task<Void, any Error>) {
    var configuration = ReportingConfiguration(runtime: runtime)
    configuration.adminToken = adminToken
    configuration.reportCacheBytes = cacheBytes
    let portBox = AsyncStream<Int>.makeStream()
    let built = try await buildReporting(
        configuration: configuration,
        registry: nil,
        logger: logger,
        onServerRunning: { port in portBox.continuation.yield(port) }
    )
    let group = ServiceGroup(services: built, logger: logger)
    let running = Task { try await group.run() }
    var ports = portBox.stream.makeAsyncIterator()
    guard let port = await ports.next() else { throw BenchError("reporting did not start") }
    return (port, group, running)
}

let cached = try await startReporting(cacheBytes: ReportingConfiguration().reportCacheBytes)
let uncached = try await startReporting(cacheBytes: 0)
let port = cached.port
let viewerToken = try await TestHTTP.mintReportingToken(base: "http://127.0.0.1:\(port)", adminToken: adminToken, agency: "*", role: "viewer")

func get(_ path: String, port: Int = port) async throws -> (seconds: Double, body: Data) {
    let started = clock.now
    let answer = try await TestHTTP.send("GET", "http://127.0.0.1:\(port)\(path)", bearer: viewerToken)
    let elapsed = seconds(clock.now - started)
    guard answer.status == 200 else { throw BenchError("\(path) answered \(answer.status): \(answer.text)") }
    return (elapsed, answer.body)
}

print("report latency: \(queriesPerVariant) sequential requests per variant")
for _ in 0..<20 { _ = try await get("/health") }
var healthSamples: [Double] = []
for _ in 0..<queriesPerVariant { healthSamples.append(try await get("/health").seconds) }
var selectSamples: [Double] = []
for _ in 0..<queriesPerVariant {
    let started = clock.now
    _ = try await client.query("SELECT 1")
    selectSamples.append(seconds(clock.now - started))
}
let healthP50 = percentile(healthSamples.sorted(), 0.5) * 1000
summary("baseline GET /health (HTTP round trip)", healthSamples)
summary("baseline SELECT 1 (database round trip)", selectSamples)
let variants = [
    ("agency quarter", "/v1/reports?agency=A07&fiscalYear=2027&quarter=3&trend=false"),
    ("agency quarter, with trend", "/v1/reports?agency=A07&fiscalYear=2027&quarter=3"),
    ("groupBy=service,channel (all agencies, quarters)", "/v1/reports?groupBy=service,channel&trend=false"),
    ("groupBy=service,channel, with trend", "/v1/reports?groupBy=service,channel"),
]
for (label, path) in variants {
    for (server, serverPort) in [("computed each time", uncached.port), ("kept per cell version", cached.port)] {
        for _ in 0..<5 { _ = try await get(path, port: serverPort) }
        var samples: [Double] = []
        for _ in 0..<queriesPerVariant { samples.append(try await get(path, port: serverPort).seconds) }
        summary("\(label), \(server)", samples, baseline: healthP50)
    }
}
// The SQL of the all-cells grouping alone (database time, no decoding of figures, no JSON), for comparison.
var sqlSamples: [Double] = []
for _ in 0..<min(queriesPerVariant, 50) {
    let started = clock.now
    _ = try await client.query(
        """
        SELECT agency, fiscal_year, fiscal_quarter, service, channel, measure,
               sum(n)::bigint AS n, sum(hits)::bigint AS hits, sum(total) AS total
        FROM reporting.cell_measures GROUP BY agency, fiscal_year, fiscal_quarter, service, channel, measure
        """
    )
    sqlSamples.append(seconds(clock.now - started))
}
summary("its SQL alone (GROUP BY over cell_measures)", sqlSamples)

// Many readers at once, with and without ingest beside them.
let readerSeconds = ProcessInfo.processInfo.environment["BENCH_READERS_S"].flatMap(Int.init) ?? 20
let grouped = "/v1/reports?groupBy=service,channel&fiscalYear=2027&quarter=2"
let oneAgency = "/v1/reports?agency=A07&groupBy=service,channel"
let wrkSeconds = readerSeconds
let groupedBytes = try await get(grouped).body.count
let agencyBytes = try await get(oneAgency).body.count
print(
    "many readers: wrk for \(readerSeconds) s per case, 2-second timeout; one agency's report grouped by service and channel, every quarter, \(agencyBytes / 1024) KB; every agency's grouped for one quarter, \(groupedBytes / 1024) KB"
)

/// Ingests batches of 500 events at 1,000 events/s until cancelled; returns the events ingested.
@MainActor func ingestBeside() -> Task<Int, any Error> {
    Task {
        var next = eventCount + 10_000_000
        var ingested = 0
        let start = clock.now
        while !Task.isCancelled {
            let batch = try await MainActor.run { try makeBatch(next, end: .max) }
            _ = try await handler.handle(batch)
            next += batchSize
            ingested += batch.count
            do { try await Task.sleep(until: start + .milliseconds(ingested), clock: clock) } catch { break }
        }
        return ingested
    }
}

for (label, path, connections) in [("one agency, grouped", oneAgency, 64), ("all agencies, one quarter, grouped", grouped, 64)] {
    for ingesting in [false, true] {
        for (server, serverPort) in [("kept per cell version", cached.port), ("computed each time", uncached.port)] {
            let writer = ingesting ? ingestBeside() : nil
            // wrk blocks its thread until it ends: off the main actor, where the writer makes its batches.
            let token = viewerToken
            let result = try await Task.detached {
                try Wrk.get(
                    url: "http://127.0.0.1:\(serverPort)\(path)",
                    headers: ["Authorization": "Bearer \(token)"],
                    seconds: wrkSeconds,
                    threads: 2,
                    connections: connections,
                    timeout: 2
                )
            }.value
            if result.requests == 0 || result.latency[99] == nil { print(result.summary) }
            writer?.cancel()
            let ingested = try await writer?.value ?? 0
            // The requests wrk gave up on are still queued on the server: one more, queued behind them, answers
            // when they are done, so the next case starts on an idle server.
            _ = try await get(path, port: serverPort)
            var current = ""
            if ingesting {
                // The body served now must be the one computed afresh now.
                let served = try await get(path, port: serverPort).body
                let fresh = try await get(path, port: uncached.port).body
                guard served == fresh else { throw BenchError("\(path) on the \(server) server is not current after ingest") }
                current = ", current after ingest"
            }
            print(
                String(
                    format: "  %@, %d readers, %@, %@: %7.1f req/s  p50 %7.1f ms  p99 %7.1f ms  timeouts %d  non-2xx %d%@",
                    label,
                    connections,
                    ingesting ? "ingesting \(ingested) events" : "no ingest",
                    server,
                    result.requestsPerSecond,
                    (result.latency[50] ?? .nan) * 1000,
                    (result.latency[99] ?? .nan) * 1000,
                    result.timeouts,
                    result.non2xx,
                    current
                )
            )
        }
    }
}

for server in [cached, uncached] {
    await server.group.triggerGracefulShutdown()
    _ = await server.running.result
}
client.close()
await broker.kill()
