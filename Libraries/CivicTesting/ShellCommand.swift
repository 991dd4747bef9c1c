import Foundation

/// Runs `/bin/sh -c command` with posix_spawn and waits for it with waitpid.
///
/// Foundation's `Process.waitUntilExit` can hang on Linux when the command leaves a daemon behind
/// (`pg_ctl start`), so server management uses this instead.
/// - Returns: The exit status.
@discardableResult
func runShell(_ command: String, wait: Bool = true) throws -> Int32 {
    var pid: pid_t = 0
    let arguments = ["/bin/sh", "-c", command]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    defer { for pointer in argv { free(pointer) } }
    let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
    guard spawned == 0 else { throw TestEnvironmentError("posix_spawn failed (\(spawned)) for: \(command)") }
    guard wait else { return 0 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
        guard errno == EINTR else { throw TestEnvironmentError("waitpid failed for: \(command)") }
    }
    // WIFEXITED / WEXITSTATUS
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}
