import Foundation

/// Runs `/bin/sh -c command` with posix_spawn and waits for it with waitpid.
///
/// Foundation's `Process.waitUntilExit` can hang on Linux when the command leaves a daemon behind
/// (`pg_ctl start`), so server management uses this instead. The child inherits no descriptor beyond
/// the standard three, and starts under ``ProcessLauncher``'s lock.
/// - Returns: The exit status.
@discardableResult
func runShell(_ command: String, wait: Bool = true) throws -> Int32 {
    var pid: pid_t = 0
    let arguments = ["/bin/sh", "-c", command]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    defer { for pointer in argv { free(pointer) } }
    // The child keeps only standard input, output and error: an inherited descriptor (another child's
    // exit-watch socket, see ``ProcessLauncher``) would outlive its owner in a daemon such as PostgreSQL.
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    guard addCloseFrom(&actions, 3) == 0 else { throw TestEnvironmentError("posix_spawn_file_actions_addclosefrom_np failed") }
    let spawned = ProcessLauncher.withLock { posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ) }
    guard spawned == 0 else { throw TestEnvironmentError("posix_spawn failed (\(spawned)) for: \(command)") }
    guard wait else { return 0 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
        guard errno == EINTR else { throw TestEnvironmentError("waitpid failed for: \(command)") }
    }
    return exitCode(waitStatus: status)
}

/// The exit code in a `waitpid` status (WIFEXITED / WEXITSTATUS), or 128 + the signal that ended the
/// process, as a shell reports it.
func exitCode(waitStatus status: Int32) -> Int32 {
    (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module does not
/// export: close every descriptor from `from` up in the child.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
