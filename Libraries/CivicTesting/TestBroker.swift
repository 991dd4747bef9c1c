import Foundation

/// A real Kafka-protocol broker (Tansu, in-memory storage) on a free loopback port, for one test or suite.
package final class TestBroker: Sendable {
    /// `127.0.0.1:<port>`.
    package let bootstrapServers: String
    /// The port.
    package let port: Int
    private let process: ManagedProcess

    /// Starts a broker and waits until it accepts connections.
    /// - Parameters:
    ///   - port: The port; by default a free one.
    ///   - host: The address it listens on and advertises. Default: `127.0.0.1`; a test host's address (see
    ///     ``NetworkNamespace``) lets a service in another network namespace reach it.
    ///   - advertisedPort: The port it tells clients to use, when a TLS terminator (``TestTLSTerminator``)
    ///     stands in front of it. Default: `port`.
    ///   - authentication: Require a SASL login (`--authentication`; Tansu 0.6.0 offers SCRAM-SHA-256 and
    ///     SCRAM-SHA-512 only, and its in-memory storage keeps no user, so every login fails). Default: false.
    /// - Throws: ``TestEnvironmentError`` if the binary is missing or the broker does not come up.
    package init(port: Int? = nil, host: String = "127.0.0.1", advertisedPort: Int? = nil, authentication: Bool = false) async throws {
        let port = try port ?? freeLoopbackPort()
        self.port = port
        bootstrapServers = "\(host):\(port)"
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("civic-tansu-\(port).log")
        process = try ManagedProcess(
            executable: RepositoryLayout.tansu,
            arguments: [
                "broker",
                "--listener-url", "tcp://\(host):\(port)",
                "--advertised-listener-url", "tcp://\(host):\(advertisedPort ?? port)",
                "--storage-engine", "memory://tansu/",
            ] + (authentication ? ["--authentication"] : []),
            environment: ["RUST_LOG": "warn"],
            logFile: logFile
        )
        let deadline = ContinuousClock.now + TestPatience.hang
        while !isListening(port: port, host: host) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw TestEnvironmentError("tansu did not start on port \(port):\n\(process.logTail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops the broker (SIGKILL: an abrupt broker loss).
    package func kill() async {
        process.kill(signal: SIGKILL)
        await process.waitForExit()
    }

    /// Freezes the broker (SIGSTOP): connections stay open and nothing answers, as on a hung or
    /// unreachable broker; ``resume()`` lets it go on with what it held.
    package func pause() {
        process.kill(signal: SIGSTOP)
    }

    /// Lets a paused broker go on (SIGCONT).
    package func resume() {
        process.kill(signal: SIGCONT)
    }

    /// Whether the broker process is running.
    package var isRunning: Bool { process.isRunning }

    /// The broker's process id (for measuring its CPU).
    package var pid: Int32 { process.pid }

    /// Consumer settings that make Tansu assign partitions quickly (it holds the first join for half the
    /// session timeout).
    package static let fastGroupSessionTimeoutMilliseconds = 2_000
    /// Heartbeat interval to pair with ``fastGroupSessionTimeoutMilliseconds``.
    package static let fastGroupHeartbeatMilliseconds = 500
}
