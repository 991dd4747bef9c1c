import Foundation
import Synchronization

/// A child process started by a test, whose output goes to a log file and which is killed when stopped
/// or deinitialised.
package final class ManagedProcess: Sendable {
    /// The process id.
    package let pid: Int32
    /// Where its standard output and error go.
    package let logFile: URL
    private let process: Mutex<Process?>
    /// The exit status when this type, not Foundation, reaped the child.
    private let reapedStatus = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments` and `environment` added to this process's environment.
    package init(
        executable: URL,
        arguments: [String],
        environment: [String: String] = [:],
        logFile: URL
    ) throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestEnvironmentError("\(executable.path) is missing or not executable; run ops/bootstrap first")
        }
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        handle.seekToEndOfFile()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        try ProcessLauncher.run(process)
        self.pid = process.processIdentifier
        self.logFile = logFile
        self.process = Mutex(process)
    }

    deinit { kill(signal: SIGKILL) }

    /// Whether the process is still running (by Foundation and by `/proc`, in case Foundation missed its
    /// exit; see ``ProcessLauncher``).
    package var isRunning: Bool { process.withLock { $0?.isRunning ?? false } && !ProcessLauncher.hasEnded(pid) }

    /// Sends a signal (SIGTERM for a graceful stop, SIGKILL for a crash).
    package func kill(signal: Int32) {
        process.withLock { process in
            if let process, process.isRunning { Foundation.kill(process.processIdentifier, signal) }
        }
    }

    /// Sends SIGTERM and waits up to `timeout` for the process to exit, then SIGKILLs it.
    /// - Parameter timeout: The hang guard by default (``TestPatience/hang``): the services bound their own
    ///   graceful shutdown, so a process still running after it did not stop.
    /// - Returns: The exit status, or `nil` if it had to be killed.
    @discardableResult
    package func stop(timeout: Duration = TestPatience.hang) async -> Int32? {
        kill(signal: SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if isRunning {
            kill(signal: SIGKILL)
            await waitForExit()
            return nil
        }
        await settleExitStatus()
        return terminationStatus
    }

    /// The exit status once the process has exited and ``waitForExit()`` (or ``stop(timeout:)``) has
    /// returned; `nil` while it runs.
    package var terminationStatus: Int32? {
        process.withLock { process in process.flatMap { $0.isRunning ? nil : $0.terminationStatus } } ?? reapedStatus.withLock { $0 }
    }

    /// Waits until the process has exited and its exit status is known.
    package func waitForExit() async {
        while isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        await settleExitStatus()
    }

    /// Once `/proc` shows the exit, gives Foundation up to 2 s to notice it (normally milliseconds); if it
    /// missed the exit (see ``ProcessLauncher``), reaps the child here and keeps its status.
    private func settleExitStatus() async {
        let deadline = ContinuousClock.now + .seconds(2)
        while process.withLock({ $0?.isRunning ?? false }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        guard process.withLock({ $0?.isRunning ?? false }) else { return }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reapedStatus.withLock { $0 = exitCode(waitStatus: status) } }
    }

    /// The tail of the log, for failure messages.
    package func logTail(lines: Int = 40) -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
