import Foundation
import Synchronization

/// Starts the tests' child processes one at a time.
///
/// Foundation's `Process` on Linux learns that a child exited when a socket it shares with that child
/// closes. A child started at the same moment on another thread can inherit that socket and keep it open
/// for as long as it runs, so the first child's exit is never seen: `waitUntilExit()` blocks for good and
/// `isRunning` stays `true`. (CI saw exactly this: a `check-jsonschema` zombie whose socket a Tansu broker
/// held, and two suites waiting on it.) Every launch in the tests goes through this one lock, and
/// ``runShell(_:wait:)`` also closes every inherited descriptor in the child.
package enum ProcessLauncher {
    private static let lock = Mutex(())

    /// Runs `process` while no other child is being started.
    package static func run(_ process: Process) throws {
        try lock.withLock { _ in try process.run() }
    }

    /// Runs `body` (which starts a child) while no other child is being started.
    static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        try lock.withLock { _ in try body() }
    }

    /// Whether the process `pid` has ended: gone, or a zombie waiting to be reaped (`/proc/<pid>/stat`).
    /// A second opinion for when `Process.isRunning` misses an exit.
    package static func hasEnded(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // "pid (command) state ...": the command may contain spaces and parentheses, so read after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state == "Z" || state == "X"
    }
}
