import CivicContracts
import CivicJSON
import CivicTesting
import Foundation
import ReportingWeb
import SurveyIntake

/// The published documents, as `contracts-gen` writes them (the same service list as ContractsGen).
enum Published {
    static func documents() throws -> ContractDocuments {
        try ContractDocuments(openAPI: [("survey-intake", IntakeAPI.openAPI), ("reporting", ReportingAPI.openAPI)])
    }

    static var folder: URL { RepositoryLayout.root.appendingPathComponent(ContractDocuments.folder) }

    /// Parses JSON bytes with Foundation (an independent reader of what JSONValue wrote).
    static func parse(_ bytes: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes))
    }
}

/// The result of running a tool from the project venv.
struct ToolResult: Sendable {
    let status: Int32
    let output: String

    var summary: String { "exit status \(status)\n\(output.suffix(4000))" }
}

/// Python tools that ops/bootstrap installs into `.runtime/venv`.
enum VenvTool {
    static var checkJSONSchema: URL { RepositoryLayout.runtime.appendingPathComponent("venv/bin/check-jsonschema") }
    static var openAPISpecValidator: URL { RepositoryLayout.runtime.appendingPathComponent("venv/bin/openapi-spec-validator") }

    /// Runs `tool` to completion with its output in a temporary file (never a pipe that could fill up).
    /// A missing tool fails the test (it is never skipped).
    static func run(_ tool: URL, _ arguments: [String]) throws -> ToolResult {
        guard FileManager.default.isExecutableFile(atPath: tool.path) else {
            throw TestEnvironmentError("\(tool.lastPathComponent) not found at \(tool.path); run ops/bootstrap first")
        }
        let scratch = try Scratch()
        let outputURL = scratch.url.appendingPathComponent("output")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        process.standardOutput = output
        process.standardError = output
        try ProcessLauncher.run(process)
        process.waitUntilExit()
        return ToolResult(status: process.terminationStatus, output: (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "")
    }
}

/// A temporary folder removed when the value goes away.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("civic-contracts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to `name` and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }
}
