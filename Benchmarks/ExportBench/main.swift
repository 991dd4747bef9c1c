// ExportBench: peak memory of the reporting service while it streams a Touchpoints export.
//
// Starts a real PostgreSQL and Tansu broker and the built `reporting` executable, fills one collection
// per size with generated A-11 v2 responses (server-side, generate_series), then downloads
// /v1/exports/touchpoints.csv and .ndjson with curl while sampling the service's resident set size
// (/proc/<pid>/status VmRSS) every 10 ms. The baseline is the same process idle, measured in the same run;
// a streamed export's peak must not grow with the number of rows.
//
//   swift build --product ExportBench && .build/debug/ExportBench [rows ...]   (default: 200000 2000000)

import CivicPostgres
import CivicTesting
import Foundation
import Logging

let sizes =
    CommandLine.arguments.dropFirst().compactMap { Int($0) }.isEmpty
    ? [200_000, 2_000_000] : CommandLine.arguments.dropFirst().compactMap { Int($0) }
let logger = Logger(label: "export-bench")

func residentKiB(_ pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}

/// Runs curl to /dev/null while sampling the service's RSS; returns (status, bytes, seconds, peak KiB).
func download(_ url: String, servicePID: Int32) throws -> (String, Int, Double, Int) {
    let curl = Process()
    curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    curl.arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}", url]
    let output = Pipe()
    curl.standardOutput = output
    try ProcessLauncher.run(curl)
    var peak = residentKiB(servicePID)
    while curl.isRunning {
        peak = max(peak, residentKiB(servicePID))
        usleep(10_000)
    }
    curl.waitUntilExit()
    let fields = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
    guard fields.count == 3 else { throw TestEnvironmentError("curl printed \(fields)") }
    return (String(fields[0]), Int(fields[1]) ?? 0, Double(fields[2]) ?? 0, peak)
}

let postgres = try await TestPostgres()
let broker = try await TestBroker()
let database = try await postgres.makeDatabase(prefix: "exportbench")
let port = try freeLoopbackPort()
let work = FileManager.default.temporaryDirectory.appendingPathComponent("civic-exportbench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let service = try ManagedProcess(
    executable: RepositoryLayout.binaries.appendingPathComponent("reporting"),
    arguments: [],
    environment: [
        "CIVIC_KAFKA_BOOTSTRAP": broker.bootstrapServers, "CIVIC_POSTGRES_URL": database, "CIVIC_HTTP_PORT": String(port),
        "CIVIC_LOG_LEVEL": "warning",
    ],
    logFile: work.appendingPathComponent("reporting.log")
)
let deadline = ContinuousClock.now + .seconds(60)
while (try? download("http://127.0.0.1:\(port)/ready", servicePID: service.pid).0) != "200" {
    guard service.isRunning, ContinuousClock.now < deadline else { throw TestEnvironmentError("reporting did not start:\n\(service.logTail())") }
    try await Task.sleep(for: .milliseconds(200))
}
let client = PostgresClient(configuration: PostgresConfiguration(connectionString: database), logger: logger)
try await Task.sleep(for: .seconds(2))
let idle = residentKiB(service.pid)
print("reporting idle RSS: \(idle / 1024) MiB (baseline)")
print("| rows | format | bytes | seconds | rows/s | peak RSS MiB | peak / idle |")
print("|---|---|---|---|---|---|---|")
var peaks: [Int: Int] = [:]
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
    try await client.query("ANALYZE reporting.feedback")
    FileHandle.standardError.write(Data("inserted \(rows) rows in \(ContinuousClock.now - started)\n".utf8))
    for format in ["csv", "ndjson"] {
        let url = "http://127.0.0.1:\(port)/v1/exports/touchpoints.\(format)?agency=BENCH&service=\(collection)&channel=web&fiscalYear=2027&quarter=2"
        let (status, bytes, seconds, peak) = try download(url, servicePID: service.pid)
        guard status == "200" else { throw TestEnvironmentError("export answered \(status):\n\(service.logTail())") }
        peaks[rows] = max(peaks[rows] ?? 0, peak)
        let ratio = Double(peak) / Double(max(idle, 1))
        print(
            "| \(rows) | \(format) | \(bytes) | \(String(format: "%.1f", seconds)) | \(Int(Double(rows) / max(seconds, 0.001))) | "
                + "\(peak / 1024) | \(String(format: "%.2f", ratio)) |"
        )
    }
}
if let smallest = sizes.min(), let largest = sizes.max(), smallest != largest, let low = peaks[smallest], let high = peaks[largest] {
    print(
        "peak RSS at \(largest) rows / at \(smallest) rows: \(String(format: "%.2f", Double(high) / Double(low))) "
            + "(\(largest / smallest)x the rows)"
    )
}
client.close()
_ = await service.stop()
await broker.kill()
