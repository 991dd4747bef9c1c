import CivicPostgres
import Foundation
import Logging
import Synchronization

/// A real PostgreSQL server (Debian's) in a temporary data directory on a free loopback port.
///
/// `initdb` refuses to run as root, so as root the server runs as the `postgres` user. One server is
/// shared by every test in the process (``shared()``); each test gets its own database from
/// ``makeDatabase(prefix:migrations:)``, so tests never see each other's rows; a migrated database is a copy of a
/// template migrated once.
package final class TestPostgres: Sendable {
    /// The port.
    package let port: Int
    /// The data directory.
    package let dataDirectory: URL
    /// The directory of the server's programs (`pg_ctl`, `psql`, ...).
    package let binDirectory: URL
    private let runAsPostgres: Bool
    private let databaseCounter = Atomic<Int>(0)
    /// Template databases by the key of the migrations they hold (see ``makeDatabase(prefix:migrations:)``).
    private let templates = Mutex<[String: Task<String, any Error>]>([:])

    private static let sharedInstance = Mutex<Task<TestPostgres, any Error>?>(nil)

    /// The process-wide server, started on first use and stopped at process exit.
    package static func shared() async throws -> TestPostgres {
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
    package struct TLS: Sendable {
        /// The server's certificate (PEM).
        package var certificate: URL
        /// Its private key (PEM).
        package var key: URL
        /// Refuse every TCP connection that does not use TLS (`hostnossl … reject`). Default: true.
        package var required: Bool

        /// Creates the settings.
        package init(certificate: URL, key: URL, required: Bool = true) {
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
    package init(durable: Bool = false, extraAddress: String? = nil, tls: TLS? = nil) async throws {
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

    /// A server of a test's own (not ``shared()``) stops with its last user, and its folder goes with it.
    deinit {
        try? run("pg_ctl", ["-D", dataDirectory.path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: dataDirectory.deletingLastPathComponent())
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
    package func start() throws {
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
    package func stopImmediately() throws {
        try run("pg_ctl", ["-D", dataDirectory.path, "-m", "immediate", "-w", "stop"])
    }

    /// A connection string for `database` as the superuser, on `127.0.0.1` or `host`.
    package func url(database: String = "postgres", host: String = "127.0.0.1") -> String {
        "postgresql://postgres@\(host):\(port)/\(database)"
    }

    /// Creates a fresh database and returns its connection string.
    ///
    /// With `migrations`, the database is a copy (`CREATE DATABASE … TEMPLATE`) of a template database that
    /// has exactly those migrations applied; the template is made once per server and set of migrations, so
    /// a test pays for a file copy, not for running every migration again. The migrations themselves are
    /// still run for real: once, into the template, by ``PostgresMigrations/apply(using:logger:)``.
    /// - Parameters:
    ///   - prefix: The start of the database's name (for reading the server's log).
    ///   - migrations: The schemas the copy starts with, in the order they are applied. Default: none.
    package func makeDatabase(prefix: String = "test", migrations: [PostgresMigrations] = []) async throws -> String {
        let number = databaseCounter.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        let name = "\(prefix)_\(getpid())_\(number)".lowercased()
        guard
            name.utf8.allSatisfy({
                $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            })
        else {
            throw TestEnvironmentError("a database name prefix is lower-case letters, digits and underscores: \(prefix)")
        }
        let template = migrations.isEmpty ? nil : try await templateDatabase(for: migrations)
        let admin = PostgresClient(configuration: PostgresConfiguration(connectionString: url()), logger: Self.logger)
        defer { admin.close() }
        try await admin.query("CREATE DATABASE \(name)\(template.map { " TEMPLATE \($0)" } ?? "")")
        return url(database: name)
    }

    /// A client of a fresh database with `migrations` applied (a copy of their template database).
    package func migratedClient(prefix: String, _ migrations: PostgresMigrations, logger: Logger) async throws -> PostgresClient {
        PostgresClient(
            configuration: PostgresConfiguration(connectionString: try await makeDatabase(prefix: prefix, migrations: [migrations])),
            logger: logger
        )
    }

    /// The name of the template database holding `migrations`, made on first use. Concurrent callers with the
    /// same migrations share one task, so each template is migrated once.
    private func templateDatabase(for migrations: [PostgresMigrations]) async throws -> String {
        let key = Self.templateKey(migrations)
        let task = templates.withLock { templates in
            if let task = templates[key] { return task }
            let created = Task { try await self.createTemplate(named: "template_\(key)", migrations: migrations) }
            templates[key] = created
            return created
        }
        return try await task.value
    }

    private func createTemplate(named name: String, migrations: [PostgresMigrations]) async throws -> String {
        let admin = PostgresClient(configuration: PostgresConfiguration(connectionString: url()), logger: Self.logger)
        defer { admin.close() }
        try await admin.query("CREATE DATABASE \(name)")
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: url(database: name)), logger: Self.logger)
        do {
            for set in migrations { try await set.apply(using: client, logger: Self.logger) }
        } catch {
            client.close()
            throw error
        }
        client.close()
        // A copy needs the template to have no session: no one may connect from now on, and the sessions of
        // the migrating client are ended rather than waited for (closing a client does not wait for the
        // server's backends to exit).
        try await admin.query("ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS false IS_TEMPLATE true")
        try await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name])
        return name
    }

    /// A short, stable name for a list of migration sets: FNV-1a over each schema, version and checksum.
    private static func templateKey(_ migrations: [PostgresMigrations]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for set in migrations {
            for migration in set.migrations.sorted(by: { $0.version < $1.version }) {
                for byte in "\(set.schema)/\(migration.version)/\(migration.checksum);".utf8 {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x0000_0100_0000_01b3
                }
            }
        }
        return String(hash, radix: 16)
    }

    private static let logger = Logger(label: "test-postgres")

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
