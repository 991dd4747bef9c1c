import Foundation

/// Runs `wrk` (installed by ops/bootstrap) for the benchmarks, and reads its figures.
package enum Wrk {
    /// What one run measured.
    package struct Result: Sendable {
        /// Completed requests per second.
        package var requestsPerSecond: Double
        /// Answers that were not 2xx or 3xx.
        package var non2xx: Int
        /// Requests that got no answer within the timeout.
        package var timeouts: Int = 0
        /// Latency percentiles (`--latency`), in seconds: 50, 75, 90 and 99 %.
        package var latency: [Int: Double] = [:]
        /// Requests completed.
        package var requests: Int = 0
        /// wrk's own output.
        package var summary: String
    }

    /// POSTs `template` (with `%ID%` replaced by a unique id per request) to `url`.
    package static func post(url: String, template: String, bearer: String?, seconds: Int, threads: Int, connections: Int) throws -> Result {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("intake-bench-\(UUID().uuidString.prefix(8)).lua")
        let escaped = template.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let lua = """
            counter = 0
            threadId = 0
            nextThread = 0
            function setup(thread)
                nextThread = nextThread + 1
                thread:set("threadId", nextThread)
            end
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            \(bearer.map { "wrk.headers[\"Authorization\"] = \"Bearer \($0)\"" } ?? "")
            local template = "\(escaped)"
            request = function()
                counter = counter + 1
                local body = string.gsub(template, "%%ID%%", "t" .. tostring(threadId) .. "-" .. tostring(counter))
                return wrk.format(nil, nil, nil, body)
            end
            done = function(summary, latency, requests)
                io.write(string.format("NON2XX %d\\n", summary.errors.status))
            end
            """
        try lua.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let (text, rate) = try run(["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "-s", script.path, url])
        let non2xx = text.split(separator: "\n").first { $0.hasPrefix("NON2XX ") }.flatMap { Int($0.dropFirst(7)) } ?? -1
        return Result(requestsPerSecond: rate, non2xx: non2xx, summary: text)
    }
}

/// A benchmark that could not run or whose run is invalid.
package struct BenchError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

extension Wrk {
    /// GETs `url` from `connections` connections for `seconds`, with `headers`; a request unanswered after
    /// `timeout` seconds counts as a timeout.
    package static func get(
        url: String,
        headers: [String: String],
        seconds: Int,
        threads: Int,
        connections: Int,
        timeout: Int
    ) throws -> Result {
        let (text, rate) = try run(
            ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "\(timeout)s", "--latency"]
                + headers.sorted { $0.key < $1.key }.flatMap { ["-H", "\($0.key): \($0.value)"] } + [url]
        )
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var result = Result(requestsPerSecond: rate, non2xx: 0, summary: text)
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count == 2, let percent = Int(fields[0].dropLast()), fields[0].hasSuffix("%"), let seconds = duration(fields[1]) {
                result.latency[percent] = seconds
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = fields.last.flatMap({ Int($0) }) {
                result.non2xx = count
            } else if line.hasPrefix("Socket errors:"), let index = fields.firstIndex(of: "timeout"), index + 1 < fields.count {
                result.timeouts = Int(fields[index + 1]) ?? 0
            } else if fields.count > 2, fields[1] == "requests", fields[2] == "in", let count = Int(fields[0]) {
                result.requests = count
            }
        }
        return result
    }

    /// Runs wrk with `arguments` to its end; returns its output and its requests/s.
    private static func run(_ arguments: [String]) throws -> (text: String, requestsPerSecond: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try ProcessLauncher.run(process)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
            let rate = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
        else {
            throw BenchError("wrk failed (is it installed? ops/bootstrap installs it):\n\(text)")
        }
        return (text, rate)
    }

    /// wrk's durations: `812.00us`, `1.20ms`, `2.01s`, `1.00m`.
    private static func duration(_ text: Substring) -> Double? {
        for (suffix, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}
