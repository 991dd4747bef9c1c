import CivicTesting
import Foundation
import Testing

/// Runs `oracle_vader.py` (kept beside this file) with the project's Python interpreter.
///
/// The interpreter is `$CIVIC_PYTHON`, or `<repo root>/.runtime/venv/bin/python` by default;
/// it must have `vaderSentiment==3.3.2` installed. A missing interpreter is a test failure,
/// never a skip.
enum PythonOracle {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// This test folder, with symlinks resolved.
    static var testDirectory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The repository root: two levels above `Tests/CivicSentimentTests/`.
    static var repositoryRoot: URL {
        testDirectory.deletingLastPathComponent().deletingLastPathComponent()
    }

    static var interpreter: URL {
        if let configured = ProcessInfo.processInfo.environment["CIVIC_PYTHON"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        return repositoryRoot.appendingPathComponent(".runtime/venv/bin/python")
    }

    /// Runs the helper and returns its standard output.
    static func run(_ arguments: [String]) throws -> Data {
        let python = interpreter
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Failure(
                description: """
                    Python oracle interpreter not found at \(python.path). Set CIVIC_PYTHON to a Python \
                    with vaderSentiment==3.3.2 installed, or create \(repositoryRoot.path)/.runtime/venv \
                    (python3 -m venv .runtime/venv && .runtime/venv/bin/pip install vaderSentiment==3.3.2).
                    """
            )
        }
        let script = testDirectory.appendingPathComponent("oracle_vader.py")
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONIOENCODING"] = "utf-8"
        environment["PYTHONHASHSEED"] = "0"
        process.environment = environment
        let output = Pipe()
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("civic-oracle-\(UUID().uuidString).stderr")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = output
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw Failure(
                description: "\(python.path) \(script.lastPathComponent) \(arguments.joined(separator: " ")) "
                    + "exited with \(process.terminationStatus): \(stderr)"
            )
        }
        return data
    }
}
