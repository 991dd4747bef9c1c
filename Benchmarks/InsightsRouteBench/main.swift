// InsightsRouteBench: GET /v1/reports/themes and /drivers on the real reporting service over a real PostgreSQL,
// with a quarter of one agency's comments stored as the service stores them.
//
//   ops/bench/insights-route.sh [comments] [steps]     (defaults: 1000000 and 2)
//
// Stores the planted corpus (PlantedCommentCorpus: seven themes with noise) as scored A-11 v2 responses of one
// agency, one service, four channels, one fiscal quarter, through the real ReportingHandler in batches of 2,000,
// in `steps` equal parts; after each part (and VACUUM ANALYZE) it times one GET /v1/reports/themes and one
// GET /v1/reports/drivers for the quarter, over HTTP, as an analyst, and prints the service process's peak
// resident memory. Baseline, measured in the same run on the same rows: one pass of the analyses' own read
// (InsightsQuery.readPass: the same SQL through the same cursor, each row decoded, nothing computed); a themes
// analysis makes five such passes, a drivers analysis one or two. The read pass is timed twice: from the answer
// columns (migration 19) and from `payload`, as before them. After the last step, the same themes request again with
// every row marked not filled (so the analyses read `payload`, as before migration 19; the quarter's version moved,
// as for any change made outside the service), its body compared with the first, then the time the backfill
// (ReportingStore.fillAnswerColumns, batches of 5,000) takes to fill them all again.
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

let arguments = CommandLine.arguments.dropFirst()
let total = arguments.first.flatMap(Int.init) ?? 1_000_000
let steps = max(1, arguments.dropFirst().first.flatMap(Int.init) ?? 2)
let batchSize = 2_000
var logger = Logger(label: "insights-route-bench")
logger.logLevel = .warning
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double { duration.timeInterval }

let postgres = try await TestPostgres.shared()
let databaseURL = try await postgres.makeDatabase(prefix: "insights_bench")
let client = PostgresClient(configuration: PostgresConfiguration(connectionString: databaseURL), logger: logger)
try await ReportingStore.migrations.apply(using: client, logger: logger)
let handler = ReportingHandler(client: client, logger: logger)
let insights = InsightsQuery(client: client, minimumCellSize: 10)
let broker = try await TestBroker()
var runtime = RuntimeConfiguration(serviceName: "reporting", broker: broker)
runtime.postgresURL = databaseURL
runtime.httpPort = 0
runtime.logLevel = .warning
var configuration = ReportingConfiguration(runtime: runtime)
let adminToken = TestHTTP.randomSecret()
configuration.adminToken = adminToken
let ports = AsyncStream<Int>.makeStream()
let services = try await buildReporting(configuration: configuration, registry: nil, logger: logger) { port in ports.continuation.yield(port) }
let group = ServiceGroup(services: services, logger: logger)
let running = Task { try await group.run() }
nonisolated func first(_ stream: AsyncStream<Int>) async -> Int? {
    var iterator = stream.makeAsyncIterator()
    return await iterator.next()
}
guard let port = await first(ports.stream) else { throw BenchError("reporting did not start") }
let base = "http://127.0.0.1:\(port)"
let analyst = try await TestHTTP.mintReportingToken(base: base, adminToken: adminToken, agency: "VA", role: "analyst")

// FY2027 Q2: 2027-01-01 to 2027-03-31.
guard let quarterStart = Timestamp.parse("2027-01-01T00:00:00Z") else { throw BenchError("bad date") }
let channels: [Channel] = [.web, .phone, .mobile, .chat]
let corpus = PlantedCommentCorpus(seed: 2026, count: total)
let encoder = CivicJSON.makeEncoder()

print("InsightsRouteBench: \(total) comments of one agency's quarter in \(steps) steps, stored through ReportingHandler")
print(
    "comments  store (events/s)  read pass (columns)  read pass (payload)  themes route  drivers route  themes found  peak RSS (service process)"
)
var stored = 0
for step in 1...steps {
    let target = total * step / steps
    let storeStart = clock.now
    while stored < target {
        let end = min(stored + batchSize, target)
        let messages = try (stored..<end).map { index in
            let at = quarterStart.addingTimeInterval(Double(index % 7_000_000))
            let event = corpus.comment(at: index).scoredV2Event(agency: "VA", service: "benefits", channel: channels[index % 4], at: at)
            return KafkaConsumerMessage(
                topic: CivicTopic.scored,
                partition: 0,
                offset: Int64(index),
                key: nil,
                value: Array(try encoder.encode(event))
            )
        }
        _ = try await handler.handle(messages)
        stored = end
    }
    let storeRate = Double(target - total * (step - 1) / steps) / seconds(clock.now - storeStart)
    _ = try await client.query("VACUUM ANALYZE reporting.feedback")
    let readStart = clock.now
    let read = try await insights.readPass(agency: "VA", quarter: FiscalQuarter(fiscalYear: 2027, quarter: 2))
    let readSeconds = seconds(clock.now - readStart)
    guard read == target else { throw BenchError("read \(read) of \(target) stored responses") }
    let payloadStart = clock.now
    let payloadRead = try await insights.readPass(agency: "VA", quarter: FiscalQuarter(fiscalYear: 2027, quarter: 2), fromPayload: true)
    let payloadSeconds = seconds(clock.now - payloadStart)
    guard payloadRead == target else { throw BenchError("read \(payloadRead) of \(target) stored responses from payload") }

    func timed(_ path: String) async throws -> (Double, Data) {
        let start = clock.now
        let answer = try await TestHTTP.send("GET", base + path, bearer: analyst)
        guard answer.status == 200 else { throw BenchError("\(path) answered \(answer.status): \(answer.text)") }
        return (seconds(clock.now - start), answer.body)
    }
    let (themesSeconds, themesBody) = try await timed("/v1/reports/themes?agency=VA&fiscalYear=2027&quarter=2")
    let (driversSeconds, _) = try await timed("/v1/reports/drivers?agency=VA&fiscalYear=2027&quarter=2")
    let themeCount = (try? JSONSerialization.jsonObject(with: themesBody) as? [String: Any]).flatMap { body in
        (body["reports"] as? [[String: Any]])?.first.flatMap { ($0["themes"] as? [Any])?.count }
    }
    print(
        String(
            format: "%8d  %15.0f  %18.2fs  %18.2fs  %11.2fs  %12.2fs  %12@  %8.0f MiB",
            target,
            storeRate,
            readSeconds,
            payloadSeconds,
            themesSeconds,
            driversSeconds,
            themeCount.map(String.init) ?? "?",
            ProcessMemory.peakResidentMiB()
        )
    )
    guard step == steps else { continue }
    _ = try await client.query("UPDATE reporting.feedback SET answers_extracted = false")
    _ = try await client.query("UPDATE reporting.cell_versions SET version = version + 1 WHERE agency = 'VA'")
    _ = try await client.query("VACUUM ANALYZE reporting.feedback")
    let (payloadThemesSeconds, payloadThemesBody) = try await timed("/v1/reports/themes?agency=VA&fiscalYear=2027&quarter=2")
    let fillStart = clock.now
    var filled = 0
    while true {
        let count = try await ReportingStore(client: client).fillAnswerColumns(limit: 5_000)
        if count == 0 { break }
        filled += count
    }
    let fillSeconds = seconds(clock.now - fillStart)
    print(
        String(
            format: "themes route reading payload (rows not filled, as before migration 19): %.2fs, same body: %@; "
                + "backfill: %d rows in %.2fs (%.0f rows/s); peak RSS %.0f MiB",
            payloadThemesSeconds,
            payloadThemesBody == themesBody ? "yes" : "NO",
            filled,
            fillSeconds,
            Double(filled) / max(fillSeconds, 0.001),
            ProcessMemory.peakResidentMiB()
        )
    )
}
await group.triggerGracefulShutdown()
_ = await running.result
client.close()
await broker.kill()
