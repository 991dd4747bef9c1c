import CivicTesting
import Foundation

/// Runs `wrk` against a URL with a Lua script that POSTs JSON, and reads its requests/s.
enum Wrk {
    struct Result {
        var requestsPerSecond: Double
        var non2xx: Int
        var summary: String
    }

    /// POSTs `template` (with `%ID%` replaced by a unique id per request) to `url`.
    static func post(url: String, template: String, bearer: String?, seconds: Int, threads: Int, connections: Int) throws -> Result {
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk", "-t\(threads)", "-c\(connections)", "-d\(seconds)s", "-s", script.path, url]
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
        let non2xx = text.split(separator: "\n").first { $0.hasPrefix("NON2XX ") }.flatMap { Int($0.dropFirst(7)) } ?? -1
        return Result(requestsPerSecond: rate, non2xx: non2xx, summary: text)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
