// ExportBench: rows/s, CPU and peak memory of the reporting service while it streams a Touchpoints export.
//
// Starts a real PostgreSQL and Tansu broker and the built `reporting` executable (and, when BENCH_BEFORE_BIN
// names one, an earlier build of it beside it on the same database), fills one collection per size with
// generated A-11 v2 responses (server-side, generate_series), then downloads /v1/exports/touchpoints.csv and
// .ndjson with curl (as an analyst of the agency) while sampling the service's resident set size
// (/proc/<pid>/status VmRSS) every 10 ms. For each download it prints the CPU seconds reporting, PostgreSQL
// (postmaster and its backends) and curl spent, from /proc. Baselines, measured in the same run: the service
// idle (RSS), and the ceiling: `COPY (<the export's SELECT>) TO STDOUT` of the same rows through psql, which
// is what PostgreSQL alone takes to compute and send them. A streamed export's peak must not grow with the
// number of rows. With an earlier build beside it, the bodies of both at the smallest size must be the same bytes
// (the run stops otherwise).
//
// PostgreSQL is durable (fsync and synchronous_commit on, as users deploy it) unless BENCH_DURABLE=0.
//
//   ops/bench/export.sh [rows ...]   (default: 200000 2000000; release build)
//   BENCH_BEFORE_BIN=/path/to/an/earlier/reporting ops/bench/export.sh   (before and after in the same run)

import CivicPostgres
import CivicTesting
import Foundation
import Logging
import ReportingCore
import ReportingExports

let sizes =
    CommandLine.arguments.dropFirst().compactMap { Int($0) }.isEmpty
    ? [200_000, 2_000_000] : CommandLine.arguments.dropFirst().compactMap { Int($0) }
let environment = ProcessInfo.processInfo.environment
let durable = environment["BENCH_DURABLE"] != "0"
let logger = Logger(label: "export-bench")

func residentKiB(_ pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}

/// CPU seconds of this process's reaped children (curl and psql, once each has exited; the services have not).
func reapedChildrenCPU() -> Double { ProcessCPU.stat(getpid())?.children ?? 0 }

/// One download's figures.
struct Download {
    var status: String
    var bytes: Int
    var seconds: Double
    var peakKiB: Int
    var reportingCPU: Double
    var postgresCPU: Double
    var curlCPU: Double
}

/// Runs curl to /dev/null while sampling the service's RSS.
func download(_ url: String, token: String?, service: ManagedProcess, postgres: TestPostgres) throws -> Download {
    let curl = Process()
    curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    curl.arguments =
        ["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}"]
        + (token.map { ["-H", "Authorization: Bearer \($0)"] } ?? []) + [url]
    let output = Pipe()
    curl.standardOutput = output
    let before = (ProcessCPU.stat(service.pid)?.own ?? 0, ProcessCPU.postgres(postgres), reapedChildrenCPU())
    try ProcessLauncher.run(curl)
    var peak = residentKiB(service.pid)
    while curl.isRunning {
        peak = max(peak, residentKiB(service.pid))
        usleep(10_000)
    }
    curl.waitUntilExit()
    let fields = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
    guard fields.count == 3 else { throw TestEnvironmentError("curl printed \(fields)") }
    return Download(
        status: String(fields[0]),
        bytes: Int(fields[1]) ?? 0,
        seconds: Double(fields[2]) ?? 0,
        peakKiB: peak,
        reportingCPU: (ProcessCPU.stat(service.pid)?.own ?? 0) - before.0,
        postgresCPU: ProcessCPU.postgres(postgres) - before.1,
        curlCPU: reapedChildrenCPU() - before.2
    )
}

/// `COPY (<sql>) TO STDOUT` through psql to /dev/null: seconds, PostgreSQL's CPU seconds, psql's CPU seconds.
func copyCeiling(_ sql: String, database: String, postgres: TestPostgres) throws -> (seconds: Double, postgresCPU: Double, psqlCPU: Double) {
    let psql = Process()
    psql.executableURL = postgres.binDirectory.appendingPathComponent("psql")
    psql.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", "COPY (\(sql)) TO STDOUT"]
    psql.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    let before = (ProcessCPU.postgres(postgres), reapedChildrenCPU())
    let started = ContinuousClock.now
    try ProcessLauncher.run(psql)
    psql.waitUntilExit()
    let elapsed = ContinuousClock.now - started
    guard psql.terminationStatus == 0 else { throw TestEnvironmentError("psql COPY exited \(psql.terminationStatus)") }
    return (seconds(elapsed), ProcessCPU.postgres(postgres) - before.0, reapedChildrenCPU() - before.1)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

let postgres = try await TestPostgres(durable: durable)
print("PostgreSQL: \(durable ? "durable (fsync, synchronous_commit on)" : "non-durable (fsync=off, synchronous_commit=off)")")
let broker = try await TestBroker()
let database = try await postgres.makeDatabase(prefix: "exportbench")
let work = FileManager.default.temporaryDirectory.appendingPathComponent("civic-exportbench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let adminToken = TestHTTP.randomSecret()

/// One running build of the service.
struct Build {
    var name: String
    var process: ManagedProcess
    var port: Int
}

/// Starts `executable` on the bench's database and waits until it is ready.
func start(_ name: String, executable: URL) async throws -> Build {
    let port = try freeLoopbackPort()
    let process = try ManagedProcess(
        executable: executable,
        arguments: [],
        environment: [
            "CIVIC_KAFKA_BOOTSTRAP": broker.bootstrapServers, "CIVIC_POSTGRES_URL": database, "CIVIC_HTTP_PORT": String(port),
            "CIVIC_LOG_LEVEL": "warning", "CIVIC_REPORTING_ADMIN_TOKEN": adminToken,
        ],
        logFile: work.appendingPathComponent("reporting-\(name).log")
    )
    let deadline = ContinuousClock.now + .seconds(120)
    while (try? download("http://127.0.0.1:\(port)/ready", token: nil, service: process, postgres: postgres).status) != "200" {
        guard process.isRunning, ContinuousClock.now < deadline else { throw TestEnvironmentError("reporting did not start:\n\(process.logTail())") }
        try await Task.sleep(for: .milliseconds(200))
    }
    return Build(name: name, process: process, port: port)
}

var builds = [try await start("after", executable: RepositoryLayout.binaries.appendingPathComponent("reporting"))]
if let before = environment["BENCH_BEFORE_BIN"], !before.isEmpty {
    builds.append(try await start("before", executable: URL(fileURLWithPath: before)))
}
let token = try await TestHTTP.mintReportingToken(
    base: "http://127.0.0.1:\(builds[0].port)",
    adminToken: adminToken,
    agency: "BENCH",
    role: "analyst"
)
let client = PostgresClient(configuration: PostgresConfiguration(connectionString: database), logger: logger)
try await Task.sleep(for: .seconds(2))
for build in builds { print("reporting (\(build.name)) idle RSS: \(residentKiB(build.process.pid) / 1024) MiB (baseline)") }
print("| rows | format | build | bytes | seconds | rows/s | reporting CPU s | PostgreSQL CPU s | curl CPU s | peak RSS MiB | peak / idle |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
var peaks: [String: [Int: Int]] = [:]
var rates: [String: [String: Double]] = [:]
var ceilings: [Int: Double] = [:]
for rows in sizes {
    let collection = "bench-\(rows)"
    let started = ContinuousClock.now
    try await client.query(
        """
        INSERT INTO reporting.feedback (event_id, agency, service, channel, level, form, fiscal_year, fiscal_quarter,
                                        occurred_at, spam_flagged, trust_favourable, payload)
        SELECT $2 || '-' || n, 'BENCH', $2, 'web', 'transaction', 'a11-v2', 2027, 2,
               timestamptz '2027-01-15 00:00:00+00' + n * interval '1 second', false, n % 3 <> 0,
               jsonb_build_object(
                   'answers', jsonb_build_object(
                       'trust', jsonb_build_object('scale', 'thumbs', 'value', CASE WHEN n % 3 <> 0 THEN 1 ELSE 0 END),
                       'wentWell', '["ease", "employee"]'::jsonb, 'didNotGoWell', '["other"]'::jsonb),
                   'comment', 'Response ' || n || ': the form was clear, "mostly", and quick.')
        FROM generate_series(1, $1::int) AS n
        """,
        [rows, collection]
    )
    try await client.query("VACUUM ANALYZE reporting.feedback")
    FileHandle.standardError.write(Data("inserted \(rows) rows in \(ContinuousClock.now - started)\n".utf8))
    // The ceiling: the export's own SELECT (the bench's literals in place of its parameters) copied out by psql.
    var ceilingSQL = ExportQuery.touchpointsSQL
    for (index, literal) in ["'BENCH'", "'\(collection)'", "'web'", "2027", "2"].enumerated().reversed() {
        ceilingSQL = ceilingSQL.replacingOccurrences(of: "$\(index + 1)", with: literal)
    }
    _ = try copyCeiling(ceilingSQL, database: database, postgres: postgres)  // warm the cache the same way for all
    let ceiling = try copyCeiling(ceilingSQL, database: database, postgres: postgres)
    ceilings[rows] = Double(rows) / max(ceiling.seconds, 0.001)
    print(
        "| \(rows) | COPY (SELECT ...) TO STDOUT, psql (ceiling) | - | - | \(format(ceiling.seconds)) | \(Int(ceilings[rows] ?? 0)) | - | "
            + "\(format(ceiling.postgresCPU)) | \(format(ceiling.psqlCPU)) (psql) | - | - |"
    )
    for format in ["csv", "ndjson"] {
        for build in builds {
            let url =
                "http://127.0.0.1:\(build.port)/v1/exports/touchpoints.\(format)?agency=BENCH&service=\(collection)&channel=web&fiscalYear=2027&quarter=2"
            let idle = residentKiB(build.process.pid)
            let result = try download(url, token: token, service: build.process, postgres: postgres)
            guard result.status == "200" else { throw TestEnvironmentError("export answered \(result.status):\n\(build.process.logTail())") }
            peaks[build.name, default: [:]][rows] = max(peaks[build.name]?[rows] ?? 0, result.peakKiB)
            let rate = Double(rows) / max(result.seconds, 0.001)
            rates[build.name, default: [:]]["\(rows) \(format)"] = rate
            print(
                "| \(rows) | \(format) | \(build.name) | \(result.bytes) | \(ExportBenchFormat.seconds(result.seconds)) | \(Int(rate)) | "
                    + "\(ExportBenchFormat.seconds(result.reportingCPU)) | \(ExportBenchFormat.seconds(result.postgresCPU)) | "
                    + "\(ExportBenchFormat.seconds(result.curlCPU)) | \(result.peakKiB / 1024) | "
                    + "\(String(format: "%.2f", Double(result.peakKiB) / Double(max(idle, 1)))) |"
            )
        }
    }
}
// With an earlier build beside it: the bodies of both, for the smallest size, must be the same bytes.
if builds.count > 1, let rows = sizes.min() {
    for format in ["csv", "ndjson"] {
        var bodies: [Data] = []
        for build in builds {
            let file = work.appendingPathComponent("body-\(build.name).\(format)")
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = [
                "-s", "-f", "-o", file.path, "-H", "Authorization: Bearer \(token)",
                "http://127.0.0.1:\(build.port)/v1/exports/touchpoints.\(format)?agency=BENCH&service=bench-\(rows)&channel=web&fiscalYear=2027&quarter=2",
            ]
            try ProcessLauncher.run(curl)
            curl.waitUntilExit()
            guard curl.terminationStatus == 0 else { throw TestEnvironmentError("downloading the \(format) body from \(build.name) failed") }
            bodies.append(try Data(contentsOf: file))
            try FileManager.default.removeItem(at: file)
        }
        guard bodies.dropFirst().allSatisfy({ $0 == bodies[0] }) else {
            throw TestEnvironmentError("the \(format) bodies of \(builds.map(\.name)) differ at \(rows) rows")
        }
        print("\(format) body at \(rows) rows: the same \(bodies[0].count) bytes from \(builds.map(\.name).joined(separator: " and "))")
    }
}
for (name, byRows) in peaks.sorted(by: { $0.key < $1.key }) {
    if let smallest = sizes.min(), let largest = sizes.max(), smallest != largest, let low = byRows[smallest], let high = byRows[largest] {
        print(
            "\(name): peak RSS at \(largest) rows / at \(smallest) rows: \(String(format: "%.2f", Double(high) / Double(low))) "
                + "(\(largest / smallest)x the rows)"
        )
    }
}
if let after = rates["after"], let before = rates["before"] {
    for (key, rate) in after.sorted(by: { $0.key < $1.key }) {
        guard let old = before[key] else { continue }
        print("after / before, \(key): \(String(format: "%.2f", rate / old))")
    }
}
for (rows, ceiling) in ceilings.sorted(by: { $0.key < $1.key }) {
    for (key, rate) in (rates["after"] ?? [:]).sorted(by: { $0.key < $1.key }) where key.hasPrefix("\(rows) ") {
        print("after / COPY ceiling, \(key): \(String(format: "%.2f", rate / ceiling))")
    }
}
client.close()
for build in builds { _ = await build.process.stop() }
await broker.kill()

/// Number formats of the table.
enum ExportBenchFormat {
    static func seconds(_ value: Double) -> String { String(format: "%.2f", value) }
}
