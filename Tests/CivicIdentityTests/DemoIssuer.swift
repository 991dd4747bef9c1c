import CivicTesting
import Foundation

@testable import CivicIdentity

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `ops/sample/demo_issuer.py serve` started with the project's Python on a free port, in its own
/// directory, for one test.
final class DemoIssuer: Sendable {
    /// The client_id `setup` registers for reporting.
    static let clientID = "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:reporting"
    /// The kid of reporting's client key.
    static let clientKeyID = "reporting-client-1"

    let directory = TemporaryDirectory()
    let port: Int
    let process: ManagedProcess
    /// A redirect URI registered for this run (nothing listens there: the tests read `Location`).
    let redirectURI: String

    var issuer: String { "http://127.0.0.1:\(self.port)/" }
    var clientKeyPath: String { self.directory.url.appendingPathComponent("client-key.pem").path }

    /// Starts the issuer and waits until it accepts connections (at most 20 s).
    init() async throws {
        self.port = try freeLoopbackPort()
        self.redirectURI = "http://127.0.0.1:\(self.port + 1)/auth/callback"
        let script = RepositoryLayout.root.appendingPathComponent("ops/sample/demo_issuer.py").path
        self.process = try ManagedProcess(
            executable: RepositoryLayout.python,
            arguments: [
                script, "serve", self.directory.url.path, "\(self.port)", "--redirect-uri", self.redirectURI,
            ],
            logFile: self.directory.url.appendingPathComponent("serve.log")
        )
        let deadline = ContinuousClock.now + TestPatience.hang
        while !isListening(port: self.port) {
            guard self.process.isRunning, ContinuousClock.now < deadline else {
                let log = self.process.logTail()
                await self.process.stop()
                throw TestEnvironmentError("demo issuer did not start:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Starts an issuer, runs `body` with it, and stops it whatever `body` does.
    static func with<T>(_ body: (DemoIssuer) async throws -> T) async throws -> T {
        let issuer = try await DemoIssuer()
        do {
            let result = try await body(issuer)
            await issuer.stop()
            return result
        } catch {
            await issuer.stop()
            throw error
        }
    }

    /// Stops the issuer.
    func stop() async {
        await self.process.stop(timeout: .seconds(5))
    }

    /// Staff sign-in configured for this issuer by explicit URLs.
    func configuration(clientID: String = DemoIssuer.clientID) throws -> StaffSignInConfiguration {
        StaffSignInConfiguration(
            issuer: self.issuer,
            authorizationEndpoint: try self.url("authorize"),
            tokenEndpoint: try self.url("token"),
            jwksURL: try self.url("jwks"),
            clientID: clientID,
            redirectURI: self.redirectURI,
            clientKeyPath: self.clientKeyPath,
            clientKeyID: Self.clientKeyID
        )
    }

    func url(_ path: String) throws -> URL {
        guard let url = URL(string: self.issuer + path) else { throw TestEnvironmentError("bad URL for \(path)") }
        return url
    }

    /// Follows the authorization URL as a browser would up to the redirect, without following it.
    /// - Returns: The status and the `Location` header.
    static func authorize(_ url: URL) async throws -> (status: Int, location: URLComponents?) {
        let answer = try await TestHTTP.send("GET", url.absoluteString)
        return (answer.status, answer.headers["location"].flatMap { URLComponents(string: $0) })
    }

    /// Signs in through the authorize endpoint with `login_hint` and returns the callback's code and state.
    static func code(for request: StaffAuthorizationRequest) async throws -> (code: String, state: String) {
        let (status, location) = try await Self.authorize(request.url)
        guard status == 302, let items = location?.queryItems,
            let code = items.first(where: { $0.name == "code" })?.value,
            let state = items.first(where: { $0.name == "state" })?.value
        else {
            throw TestEnvironmentError("authorize answered \(status) without code and state")
        }
        return (code, state)
    }
}
