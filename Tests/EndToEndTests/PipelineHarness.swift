import CivicKafka
import CivicRuntime
import CivicTesting
import Foundation
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Starts the four services as separate processes against a test broker and database.
final class PipelineHarness: @unchecked Sendable {
    // @unchecked: mutated only from the test's task.
    let broker: TestBroker
    /// The TLS listener in front of ``broker`` when the harness runs the services over TLS.
    let tlsBroker: TestTLSBroker?
    let databaseURL: String
    /// The PostgreSQL server the pipeline's database is on.
    let postgres: TestPostgres
    /// The network namespace of the partitioned service, when there is one.
    let namespace: NetworkNamespace?
    /// The service that runs in ``namespace``.
    let partitioned: String?
    let workDirectory: URL
    private(set) var processes: [String: ManagedProcess] = [:]
    /// Second processes of services (``startReplica(_:)``).
    private(set) var replicas: [ManagedProcess] = []
    let ports: [String: Int]
    let environment: [String: String]
    /// reporting's administration token.
    let reportingAdminToken: String
    /// The key reporting signs erasure requests with (`CIVIC_ERASURE_SIGNING_KEY_FILE`); every service holds
    /// its public key (`CIVIC_ERASURE_VERIFY_KEYS`).
    let erasureKey: EventSigningKey
    /// A cross-agency analyst token on reporting, minted on first use.
    private var reportingToken: String?
    /// The port of the demo OpenID provider reporting's staff sign-in uses, when the harness has one.
    let issuerPort: Int?
    private var issuer: ManagedProcess?

    static let services = ["survey-intake", "identity-verify", "sentiment-scorer", "reporting"]

    /// - Parameters:
    ///   - staffSignIn: Whether reporting's staff sign-in is configured against a demo OpenID provider
    ///     (`ops/sample/demo_issuer.py serve`, started by ``startIssuer()``).
    ///   - extraEnvironment: More settings for every service.
    ///   - ownPostgres: Whether the pipeline gets a durable PostgreSQL server of its own (to stop and start
    ///     mid-stream) instead of a database on the process-wide one.
    ///   - partitioned: A service that runs in a network namespace of its own (``NetworkNamespace``), so it
    ///     can be cut off from the broker and the database; the broker and a PostgreSQL of the pipeline's
    ///     own then listen on the namespace link's address too.
    ///   - tls: The services reach the broker only through a TLS listener (``TestTLSBroker``), checking its
    ///     certificate against the test CA (`CIVIC_KAFKA_SECURITY_PROTOCOL=ssl`).
    init(
        staffSignIn: Bool = false,
        ownPostgres: Bool = false,
        partitioned: String? = nil,
        tls: Bool = false,
        extraEnvironment: [String: String] = [:]
    ) async throws {
        let namespace = try partitioned.map { _ in try NetworkNamespace() }
        self.namespace = namespace
        self.partitioned = partitioned
        let host = namespace?.hostAddress ?? "127.0.0.1"
        let tlsBroker = tls ? try await TestTLSBroker() : nil
        self.tlsBroker = tlsBroker
        if let tlsBroker {
            broker = tlsBroker.broker
        } else {
            broker = try await TestBroker(host: host)
        }
        let postgres =
            ownPostgres || namespace != nil
            ? try await TestPostgres(durable: true, extraAddress: namespace?.hostAddress) : try await TestPostgres.shared()
        self.postgres = postgres
        databaseURL = try await postgres.makeDatabase(prefix: "e2e").replacing("@127.0.0.1:", with: "@\(host):")
        workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        var ports: [String: Int] = [:]
        for service in Self.services { ports[service] = try freeLoopbackPort() }
        self.ports = ports
        try Self.runPython(["ops/sample/demo_issuer.py", "setup", workDirectory.path])
        let reportingAdminToken = TestHTTP.randomSecret()
        self.reportingAdminToken = reportingAdminToken
        let erasureKey = EventSigningKey()
        self.erasureKey = erasureKey
        let erasureKeyFile = workDirectory.appendingPathComponent("erasure-signing.key").path
        try erasureKey.write(to: erasureKeyFile)
        var signIn: [String: String] = [:]
        if staffSignIn {
            let issuerPort = try freeLoopbackPort()
            self.issuerPort = issuerPort
            signIn = [
                "CIVIC_REPORTING_SIGNIN_ISSUER": "http://127.0.0.1:\(issuerPort)/",
                "CIVIC_REPORTING_SIGNIN_CLIENT_ID": "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:reporting",
                "CIVIC_REPORTING_SIGNIN_REDIRECT_URI": "http://127.0.0.1:\(ports["reporting"] ?? 0)/auth/callback",
                "CIVIC_REPORTING_SIGNIN_CLIENT_KEY_FILE": workDirectory.appendingPathComponent("client-key.pem").path,
                "CIVIC_REPORTING_SIGNIN_CLIENT_KEY_ID": "reporting-client-1",
                "CIVIC_REPORTING_SIGNIN_ALLOW_LOOPBACK_HTTP": "true",
                "CIVIC_REPORTING_COOKIE_SECURE": "false",
            ]
        } else {
            issuerPort = nil
        }
        let kafkaTLS =
            tlsBroker.map {
                [
                    "CIVIC_KAFKA_BOOTSTRAP": $0.bootstrapServers, "CIVIC_KAFKA_SECURITY_PROTOCOL": "ssl",
                    "CIVIC_KAFKA_SSL_CA_LOCATION": $0.authority.certificate.path,
                ]
            } ?? [:]
        environment = signIn.merging(extraEnvironment) { _, new in new }.merging([
            "CIVIC_KAFKA_BOOTSTRAP": broker.bootstrapServers,
            "CIVIC_KAFKA_SESSION_TIMEOUT_MS": "6000",
            "CIVIC_KAFKA_HEARTBEAT_MS": "500",
            "CIVIC_POSTGRES_URL": databaseURL,
            "CIVIC_PSEUDONYM_KEYS": "v1:" + Data((0..<32).map { UInt8($0 &* 7 &+ 3) }).base64EncodedString(),
            "CIVIC_IDENTITY_ISSUERS_FILE": workDirectory.appendingPathComponent("issuers.json").path,
            "CIVIC_BATCH_SIZE": "100",
            "CIVIC_INTAKE_REGISTRY_FILE": RepositoryLayout.root.appendingPathComponent("ops/sample/agencies.json").path,
            "CIVIC_LOG_LEVEL": "info",
            "CIVIC_REPORTING_ADMIN_TOKEN": reportingAdminToken,
            "CIVIC_ERASURE_SIGNING_KEY_FILE": erasureKeyFile,
            "CIVIC_ERASURE_VERIFY_KEYS": erasureKey.publicKeyBase64,
        ]) { _, new in new }.merging(kafkaTLS) { _, new in new }
    }

    /// The processes are killed by their own deinitialisers; the folder of keys and logs goes with the harness,
    /// whether the test passed or failed (a failing expectation has already quoted the logs it needs).
    deinit {
        issuer?.kill(signal: SIGKILL)
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// Starts (or restarts) one service and waits until `/ready` answers 200.
    func start(_ service: String) async throws {
        guard let port = ports[service] else { throw TestEnvironmentError("unknown service \(service)") }
        var command = (executable: RepositoryLayout.binaries.appendingPathComponent(service), arguments: [String]())
        var settings = ["CIVIC_HTTP_PORT": String(port)]
        if service == partitioned, let namespace {
            command = namespace.command(command.executable)
            settings["CIVIC_HTTP_HOST"] = namespace.address
        }
        if namespace != nil {
            // With a partition, every service reaches the broker and PostgreSQL on the namespace link's host
            // address, a test-only veth on a link-local address, which is not loopback: the services would refuse
            // plaintext to it. The documented opt-outs stand in for a deployment's TLS here (the TransportSecurity
            // and InsecureTransport tests prove TLS and the refusal themselves).
            settings["CIVIC_KAFKA_ALLOW_PLAINTEXT"] = "true"
            settings["CIVIC_POSTGRES_ALLOW_UNVERIFIED"] = "true"
        }
        let process = try ManagedProcess(
            executable: command.executable,
            arguments: command.arguments,
            environment: environment.merging(settings) { _, new in new },
            logFile: workDirectory.appendingPathComponent("\(service).log")
        )
        processes[service] = process
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if let (status, _) = try? await get(service, path: "/ready"), status == 200 { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestEnvironmentError("\(service) did not become ready:\n\(process.logTail())")
    }

    /// Starts the demo OpenID provider (with reporting's callback registered) and waits until it answers.
    func startIssuer() async throws {
        guard let issuerPort else { throw TestEnvironmentError("the harness was made without staff sign-in") }
        let process = try ManagedProcess(
            executable: RepositoryLayout.python,
            arguments: [
                RepositoryLayout.root.appendingPathComponent("ops/sample/demo_issuer.py").path, "serve", workDirectory.path, String(issuerPort),
                "--redirect-uri", "http://127.0.0.1:\(ports["reporting"] ?? 0)/auth/callback",
            ],
            environment: [:],
            logFile: workDirectory.appendingPathComponent("issuer.log")
        )
        issuer = process
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if (try? await TestHTTP.send("GET", "http://127.0.0.1:\(issuerPort)/.well-known/openid-configuration", timeout: 2))?.status == 200 {
                return
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestEnvironmentError("the demo issuer did not start:\n\(process.logTail())")
    }

    /// Grants the staff member `subject` `role` in `agency` (`*` for every agency) with the administration token.
    func grant(_ subject: String, _ role: String, in agency: String) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["role": role])
        let answer = try await TestHTTP.send(
            "PUT",
            base("reporting") + "/v1/admin/users/\(subject)/roles/\(agency == "*" ? "%2A" : agency)",
            bearer: reportingAdminToken,
            json: body
        )
        guard answer.status == 200 else { throw TestEnvironmentError("granting answered \(answer.status): \(answer.text)") }
    }

    /// A URL that signs `subject` in through the demo issuer (login_hint) and lands on `path`.
    func signInURL(as subject: String, returnTo path: String) -> String {
        let returnTo = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/", "-", "_", "."])) ?? "/dashboard"
        return base("reporting") + "/signin?login_hint=\(subject)&returnTo=\(returnTo)"
    }

    func startAll() async throws {
        for service in Self.services { try await start(service) }
    }

    /// A second process of `service` in the same consumer groups (a replica), on a port of its own; waits until
    /// it is ready and returns its base URL. Stopped by ``stopAll()``.
    @discardableResult
    func startReplica(_ service: String) async throws -> String {
        let port = try freeLoopbackPort()
        let process = try ManagedProcess(
            executable: RepositoryLayout.binaries.appendingPathComponent(service),
            arguments: [],
            environment: environment.merging(["CIVIC_HTTP_PORT": String(port)]) { _, new in new },
            logFile: workDirectory.appendingPathComponent("\(service)-replica-\(replicas.count + 2).log")
        )
        replicas.append(process)
        let base = "http://127.0.0.1:\(port)"
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if (try? await TestHTTP.send("GET", base + "/ready", timeout: 2))?.status == 200 { return base }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestEnvironmentError("the \(service) replica did not become ready:\n\(process.logTail())")
    }

    /// Kills a service abruptly (SIGKILL: no flush, no commit, no goodbye).
    func crash(_ service: String) async {
        guard let process = processes[service] else { return }
        process.kill(signal: SIGKILL)
        await process.waitForExit()
    }

    /// Stops every service with SIGTERM; returns their exit statuses (`nil` if one had to be killed).
    func stopAll() async -> [String: Int32?] {
        // The demo issuer's exit status says nothing about the pipeline: it is stopped, not waited for.
        issuer?.kill(signal: SIGKILL)
        var statuses: [String: Int32?] = [:]
        for replica in replicas.reversed() { _ = await replica.stop() }
        for service in Self.services.reversed() {
            statuses[service] = await processes[service]?.stop()
        }
        return statuses
    }

    /// GET on a service's HTTP endpoint; on reporting's data routes as a cross-agency analyst.
    /// - Parameter timeout: The request's idle timeout: the hang guard, except where a test expects no answer
    ///   at all (a service cut off from the network), where any timeout gives the same outcome.
    func get(_ service: String, path: String, timeout: TimeInterval = TestPatience.hangSeconds) async throws -> (Int, Data) {
        guard ports[service] != nil else { throw TestEnvironmentError("unknown service \(service)") }
        let bearer = service == "reporting" && !["/ready", "/health", "/metrics"].contains(path) ? try await reportingAnalystToken() : nil
        let answer = try await TestHTTP.send("GET", base(service) + path, bearer: bearer, timeout: timeout)
        return (answer.status, answer.body)
    }

    /// The base URL of a service.
    func base(_ service: String) -> String {
        let host = service == partitioned ? namespace?.address ?? "127.0.0.1" : "127.0.0.1"
        return "http://\(host):\(ports[service] ?? 0)"
    }

    /// A cross-agency analyst reporting token (minted once with the administration token).
    func reportingAnalystToken() async throws -> String {
        if let reportingToken { return reportingToken }
        let token = try await TestHTTP.mintReportingToken(base: base("reporting"), adminToken: reportingAdminToken, agency: "*", role: "analyst")
        reportingToken = token
        return token
    }

    /// Runs one of the project's executables (`reporting delete`, a service's `purge`) against the harness's
    /// broker and database, and returns its exit status and output.
    func runTool(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = RepositoryLayout.binaries.appendingPathComponent(executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try ProcessLauncher.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func logTail(_ service: String) -> String {
        processes[service]?.logTail() ?? ""
    }

    /// Mints a demo id_token (RS256, signed by the test issuer's key) bound to `agency` by its audience, or,
    /// with `eventId` or `correlationId`, by nonce to that one response or identity request of `agency`
    /// (`ops/sample/demo_issuer.py mint`).
    func mintToken(
        subject: String,
        agency: String,
        eventId: String? = nil,
        correlationId: String? = nil,
        acr: String = "urn:acr.login.gov:verified"
    ) throws -> String {
        var arguments = ["ops/sample/demo_issuer.py", "mint", workDirectory.path, subject, acr, "--agency", agency]
        if let eventId { arguments += ["--event-id", eventId] }
        if let correlationId { arguments += ["--correlation-id", correlationId] }
        return try Self.runPython(arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    static func runPython(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = RepositoryLayout.python
        process.arguments = arguments
        process.currentDirectoryURL = RepositoryLayout.root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestEnvironmentError("python \(arguments.joined(separator: " ")) failed; run ops/bootstrap first")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
