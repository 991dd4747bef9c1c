import Foundation

/// A real Tansu broker reachable only over TLS: a throwaway CA, a server certificate for `127.0.0.1` (its only
/// name), Tansu on a private loopback port advertising the TLS port, and a ``TestTLSTerminator`` on that port.
package final class TestTLSBroker: Sendable {
    /// The CA that signed the broker's certificate (and, with mutual TLS, the clients' certificates).
    package let authority: TestCertificateAuthority
    /// The broker behind the TLS listener.
    package let broker: TestBroker
    /// The TLS listener.
    package let terminator: TestTLSTerminator

    /// `127.0.0.1:<TLS port>`: the address on the broker's certificate.
    package var bootstrapServers: String { "127.0.0.1:\(terminator.port)" }
    /// The TLS port.
    package var port: Int { terminator.port }

    /// Starts the CA, the broker and the TLS listener.
    /// - Parameters:
    ///   - authentication: The broker requires a SASL login (see ``TestBroker/init(port:host:advertisedPort:authentication:)``).
    ///   - mutualTLS: The listener demands a client certificate signed by ``authority``.
    package init(authentication: Bool = false, mutualTLS: Bool = false) async throws {
        let authority = try TestCertificateAuthority(name: "CivicPulse Test Kafka CA")
        let certificate = try authority.issue(commonName: "127.0.0.1", ipAddresses: ["127.0.0.1"])
        let tlsPort = try freeLoopbackPort()
        let broker = try await TestBroker(advertisedPort: tlsPort, authentication: authentication)
        self.authority = authority
        self.broker = broker
        terminator = try await TestTLSTerminator(
            port: tlsPort,
            target: broker.port,
            certificate: certificate,
            clientAuthority: mutualTLS ? authority.certificate : nil
        )
    }

    /// Stops the listener and the broker and removes the certificates.
    package func stop() async {
        await terminator.stop()
        await broker.kill()
        authority.remove()
    }
}
