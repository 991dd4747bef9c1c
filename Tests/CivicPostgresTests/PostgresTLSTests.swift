import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// `sslmode=verify-full` through the libpq shim against a real server with TLS on and a certificate from a
/// throwaway CA: the connection is encrypted and the server proven, and a server the client cannot prove (a
/// root it does not trust, a certificate for another host name) or a client without TLS is refused.
@Suite(.startsProcesses, .hangGuard)
struct PostgresTLSTests {
    static let logger = Logger(label: "postgres-tls-tests")
    /// The name on the server's certificate; clients reach it by `hostaddr`, so no resolver is involved.
    static let serverName = "db.civicpulse.test"

    struct Fixture {
        let server: TestPostgres
        let authority: TestCertificateAuthority
        let stranger: TestCertificateAuthority

        /// A connection string to the server at 127.0.0.1, verifying it as `host` against `root`.
        func url(host: String = PostgresTLSTests.serverName, root: URL? = nil, sslmode: String = "verify-full") -> String {
            let rootParameter = (root ?? authority.certificate).path
            return "postgresql://postgres@\(host):\(server.port)/postgres?hostaddr=127.0.0.1&sslmode=\(sslmode)&sslrootcert=\(rootParameter)"
        }
    }

    static func fixture() async throws -> Fixture {
        let authority = try TestCertificateAuthority(name: "CivicPulse Test CA")
        let stranger = try TestCertificateAuthority(name: "Some Other CA")
        let certificate = try authority.issue(commonName: serverName, dnsNames: [serverName])
        let server = try await TestPostgres(tls: TestPostgres.TLS(certificate: certificate.certificate, key: certificate.key))
        return Fixture(server: server, authority: authority, stranger: stranger)
    }

    private func connectionError(_ url: String) async throws -> PostgresError {
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: url), logger: Self.logger)
        defer { client.close() }
        return try await #require(throws: PostgresError.self) { try await client.query("SELECT 1 AS one") }
    }

    @Test func verifyFullConnectsEncryptedAndRefusesWhatItCannotVerify() async throws {
        let fixture = try await Self.fixture()
        defer {
            fixture.authority.remove()
            fixture.stranger.remove()
        }

        // The right root and the certificate's name: connected, and the session is TLS.
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: fixture.url()), logger: Self.logger)
        let row = try #require(
            try await client.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first
        )
        #expect(try row.require("ssl", as: Bool.self))
        let version = try row.require("version", as: String.self)
        #expect(version.hasPrefix("TLSv1.2") || version.hasPrefix("TLSv1.3"), "negotiated \(version)")
        client.close()

        // A root that did not sign the server's certificate.
        let untrusted = try await connectionError(fixture.url(root: fixture.stranger.certificate))
        #expect(untrusted.code == .connection)
        #expect(untrusted.reason.contains("certificate verify failed"), "\(untrusted)")

        // The right root, the wrong host name: the certificate names another server.
        let wrongHost = try await connectionError(fixture.url(host: "other.civicpulse.test"))
        #expect(wrongHost.code == .connection)
        #expect(wrongHost.reason.contains("does not match host name"), "\(wrongHost)")

        // No TLS at all: the server refuses plain TCP.
        let plain = try await connectionError(fixture.url(sslmode: "disable"))
        #expect(plain.code == .connection)
        #expect(plain.reason.contains("no encryption"), "\(plain)")
    }
}
