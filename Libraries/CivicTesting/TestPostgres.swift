import CivicPostgres
import Foundation
import Logging
import Synchronization

/// A real PostgreSQL server (Debian's) in a temporary data directory on a free loopback port.
///
/// `initdb` refuses to run as root, so as root the server runs as the `postgres` user. One server is
/// shared by every test in the process (``shared()``); each test gets its own database from
/// ``makeDatabase(prefix:)``, so tests never see each other's rows.
public final class TestPostgres: Sendable {
    /// The port.
    public let port: Int
    /// The data directory.
    public let dataDirectory: URL
    private let binDirectory: URL
    private let runAsPostgres: Bool
    private let databaseCounter = Atomic<Int>(0)

    private static let sharedInstance = Mutex<Task<TestPostgres, any Error>?>(nil)

    /// The process-wide server, started on first use and stopped at process exit.
    public static func shared() async throws -> TestPostgres {
        let task = sharedInstance.withLock { task in
            if let task { return task }
            let created = Task { try await TestPostgres() }
            task = created
            return created
        }
        return try await task.value
    }

    /// Whether commits are flushed before they are acknowledged (off for speed in the shared server).
    private let durable: Bool
    /// Another address the server listens on (and trusts its /30 network), beside `127.0.0.1`.
    private let extraAddress: String?

    /// TLS for a server: its certificate and key, and whether TCP connections without TLS are refused.
    public struct TLS: Sendable {
        /// The server's certificate (PEM).
        public var certificate: URL
        /// Its private key (PEM).
        public var key: URL
        /// Refuse every TCP connection that does not use TLS (`hostnossl … reject`). Default: true.
        public var required: Bool

        /// Creates the settings.
        public init(certificate: URL, key: URL, required: Bool = true) {
            self.certificate = certificate
            self.key = key
            self.required = required
        }
    }

    /// Initialises and starts a new server.
    /// - Parameters:
    ///   - durable: Acknowledge a commit only once it is on disk (`fsync`, `synchronous_commit`), as a
    ///     production server does, for tests that stop the server mid-stream. Default: false (faster).
    ///   - extraAddress: A test host's address to listen on as well, for clients in another network
    ///     namespace (``NetworkNamespace``). Default: none.
    ///   - tls: Serve TLS (`ssl = on`) with this certificate. Default: none (the shared server has no TLS).
    public init(durable: Bool = false, extraAddress: String? = nil, tls: TLS? = nil) async throws {
        self.durable = durable
        self.extraAddress = extraAddress
        let bin = try Self.findBinDirectory()
        binDirectory = bin
        port = try freeLoopbackPort()
        runAsPostgres = getuid() == 0
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("civic-pg-\(UUID().uuidString.prefix(8))")
        dataDirectory = base.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        if runAsPostgres {
            try Self.shell("chown postgres \(base.path)")
        }
        try run("initdb", ["-D", dataDirectory.path, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        if let extraAddress {
            let hba = dataDirectory.appendingPathComponent("pg_hba.conf").path
            try Self.shell("echo 'host all all \(extraAddress)/30 trust' >> '\(hba)'")
        }
        if let tls {
            try configureTLS(tls, base: base)
        }
        try start()
        let pid = getpid()
        let stop = [binDirectory.appendingPathComponent("pg_ctl").path, "-D", dataDirectory.path, "-m", "immediate", "stop"]
        let runAsPostgres = runAsPostgres
        // Stop the server when the test process exits, however it exits (a watcher shell outlives us briefly).
        let command = stop.joined(separator: " ")
        let watcher =
            "while kill -0 \(pid) 2>/dev/null; do sleep 1; done; \(runAsPostgres ? "su postgres -s /bin/sh -c '\(command)'" : command) >/dev/null 2>&1; rm -rf \(base.path)"
        try runShell("(\(watcher)) >/dev/null 2>&1 </dev/null &", wait: true)
    }

    /// Copies the certificate and key beside the data directory (the key readable by the server's user
    /// only, as PostgreSQL demands), turns `ssl` on and, when TLS is required, refuses TCP without it.
    private func configureTLS(_ tls: TLS, base: URL) throws {
        let certificate = base.appendingPathComponent("server.crt")
        let key = base.appendingPathComponent("server.key")
        try FileManager.default.copyItem(at: tls.certificate, to: certificate)
        try FileManager.default.copyItem(at: tls.key, to: key)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path)
        if runAsPostgres {
            try Self.shell("chown postgres '\(certificate.path)' '\(key.path)'")
        }
        let conf = dataDirectory.appendingPathComponent("postgresql.conf").path
        try Self.shell("printf \"ssl = on\\nssl_cert_file = '%s'\\nssl_key_file = '%s'\\n\" '\(certificate.path)' '\(key.path)' >> '\(conf)'")
        if tls.required {
            // pg_hba.conf is read top down: this line comes first, so no rule below lets plain TCP in.
            let hba = dataDirectory.appendingPathComponent("pg_hba.conf").path
            try Self.shell("sed -i '1i hostnossl all all all reject' '\(hba)'\(runAsPostgres ? " && chown postgres '\(hba)'" : "")")
        }
    }

    /// Starts the server (again, after ``stopImmediately()``) on the same port and data directory.
    public func start() throws {
        let base = dataDirectory.deletingLastPathComponent()
        // Extra server settings for diagnosis, for example `-c shared_preload_libraries=pg_stat_statements`.
        let extraOptions = ProcessInfo.processInfo.environment["CIVIC_TEST_POSTGRES_OPTIONS"].map { " " + $0 } ?? ""
        try run(
            "pg_ctl",
            [
                "-D", dataDirectory.path, "-l", base.appendingPathComponent("server.log").path, "-w", "-t", "30",
                "-o",
                "-p \(port) -k \(base.path) -c listen_addresses=127.0.0.1\(extraAddress.map { ",\($0)" } ?? "") \(durable ? "" : "-c fsync=off -c synchronous_commit=off ")-c max_connections=200\(extraOptions)",
                "start",
            ]
        )
    }

    /// Stops the server at once, as a crash would (`pg_ctl stop -m immediate`: no checkpoint, every
    /// connection cut); ``start()`` brings it back with what it had committed.
    public func stopImmediately() throws {
        try run("pg_ctl", ["-D", dataDirectory.path, "-m", "immediate", "-w", "stop"])
    }

    /// A connection string for `database` as the superuser, on `127.0.0.1` or `host`.
    public func url(database: String = "postgres", host: String = "127.0.0.1") -> String {
        "postgresql://postgres@\(host):\(port)/\(database)"
    }

    /// Creates a fresh, empty database and returns its connection string.
    public func makeDatabase(prefix: String = "test") async throws -> String {
        let number = databaseCounter.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        let name = "\(prefix)_\(getpid())_\(number)".lowercased()
        let admin = PostgresClient(configuration: PostgresConfiguration(connectionString: url()), logger: Logger(label: "test-postgres"))
        try await admin.query("CREATE DATABASE \(name)")
        admin.close()
        return url(database: name)
    }

    /// A client of a fresh database with `migrations` applied.
    public func migratedClient(prefix: String, _ migrations: PostgresMigrations, logger: Logger) async throws -> PostgresClient {
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: try await makeDatabase(prefix: prefix)), logger: logger)
        try await migrations.apply(using: client, logger: logger)
        return client
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let path = binDirectory.appendingPathComponent(tool).path
        let quoted = ([path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // Output goes to a file, not a pipe: the server pg_ctl starts would hold a pipe open forever.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("civic-pg-\(tool)-\(UUID().uuidString.prefix(8)).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        if runAsPostgres { try Self.shell("chown postgres \(output.path)") }
        let command = "\(quoted) >'\(output.path)' 2>&1 </dev/null"
        let status = try runShell(
            runAsPostgres
                ? "su postgres -s /bin/sh -c \"\(command.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "$", with: "\\$"))\""
                : command
        )
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: output)
        guard status == 0 else {
            throw TestEnvironmentError("\(tool) failed (\(status)): \(text)")
        }
    }

    private static func shell(_ command: String) throws {
        guard try runShell(command) == 0 else { throw TestEnvironmentError("'\(command)' failed") }
    }

    /// Debian installs the server binaries under /usr/lib/postgresql/<version>/bin.
    private static func findBinDirectory() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["CIVIC_PG_BIN"] {
            return URL(fileURLWithPath: override)
        }
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = root.appendingPathComponent(version).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) {
                return bin
            }
        }
        throw TestEnvironmentError("no PostgreSQL server under /usr/lib/postgresql; run ops/bootstrap first")
    }
}
