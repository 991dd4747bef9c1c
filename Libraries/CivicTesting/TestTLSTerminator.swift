import Foundation

/// A TLS listener (stunnel, installed by ops/bootstrap) in front of a plain TCP server on loopback: it serves
/// a certificate, optionally demands a client certificate from a CA, and forwards the decrypted bytes.
///
/// Tansu 0.6.0 has no TLS listener (its `--cert`/`--key` options cannot be given together, and the broker
/// never wraps a connection), so tests of the clients' TLS settings put this in front of it, as a deployment
/// would put a TLS-terminating proxy in front of a broker without TLS.
package final class TestTLSTerminator: Sendable {
    /// The port it accepts TLS connections on (`127.0.0.1`).
    package let port: Int
    private let process: ManagedProcess
    private let directory: URL

    /// Starts the listener and waits until it accepts connections.
    /// - Parameters:
    ///   - port: The TLS port; by default a free one.
    ///   - target: The plain TCP port on `127.0.0.1` to forward to.
    ///   - certificate: The server certificate and key to present.
    ///   - clientAuthority: When given, a client must present a certificate this CA signed (mutual TLS).
    /// - Throws: ``TestEnvironmentError`` when stunnel is missing or does not come up.
    package init(
        port: Int? = nil,
        target: Int,
        certificate: TestCertificateAuthority.Issued,
        clientAuthority: URL? = nil
    ) async throws {
        let port = try port ?? freeLoopbackPort()
        self.port = port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-stunnel-\(port)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lines = [
            "foreground = yes", "pid =", "debug = warning", "[tls]",
            "accept = 127.0.0.1:\(port)", "connect = 127.0.0.1:\(target)",
            "cert = \(certificate.certificate.path)", "key = \(certificate.key.path)",
        ]
        if let clientAuthority {
            lines += ["CAfile = \(clientAuthority.path)", "verifyChain = yes", "requireCert = yes"]
        }
        let configuration = directory.appendingPathComponent("stunnel.conf")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: configuration)
        let executable = URL(fileURLWithPath: "/usr/bin/stunnel4")
        process = try ManagedProcess(
            executable: executable,
            arguments: [configuration.path],
            logFile: directory.appendingPathComponent("stunnel.log")
        )
        let deadline = ContinuousClock.now + TestPatience.hang
        while !isListening(port: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw TestEnvironmentError("stunnel did not start on port \(port):\n\(process.logTail())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The listener's process id (for its CPU time).
    package var pid: Int32 { process.pid }

    /// Stops the listener.
    package func stop() async {
        _ = await process.stop(timeout: .seconds(5))
        try? FileManager.default.removeItem(at: directory)
    }

    /// The end of its log, for a failure message.
    package func logTail() -> String { process.logTail() }
}
