import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// ops/postgres/10-civicpulse.sh against a real PostgreSQL (its own throwaway server: the roles it
/// creates are cluster-wide, so it must not share the server other suites use).
@Suite("ops/postgres init script", .serialized, .hangGuard)
struct PostgresInitTests {
    static var psql: URL { URL(fileURLWithPath: ProcessInfo.processInfo.environment["CIVIC_PSQL"] ?? "/usr/bin/psql") }

    /// Runs SQL as `role` over TCP (the test server trusts loopback connections).
    static func sql(_ statement: String, as role: String, server: TestPostgres, database: String) throws -> ToolResult {
        try runTool(
            psql,
            [
                "--no-psqlrc", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1",
                "--host=127.0.0.1", "--port=\(server.port)", "--username=\(role)", "--dbname=\(database)",
                "--command=\(statement)",
            ]
        )
    }

    @Test("creates one role per service owning its schema, isolated from the others, and is idempotent")
    func rolesAndSchemas() async throws {
        try requireTool(Self.psql, "psql")
        let script = OpsFiles.postgresInit
        #expect(FileManager.default.isExecutableFile(atPath: script.path), "the image only sources (not executes) a non-executable script")
        let server = try await TestPostgres()
        let database = "civicpulse_ops_\(getpid())"
        let created = try Self.sql("CREATE DATABASE \(database)", as: "postgres", server: server, database: "postgres")
        try #require(created.status == 0, "\(created.summary)")

        // A password with quotes and a semicolon proves the passwords reach SQL as literals.
        let awkward = #"it's; "quoted" -- \x"#
        var environment = [
            "PGHOST": "127.0.0.1", "PGPORT": "\(server.port)",
            "POSTGRES_USER": "postgres", "POSTGRES_DB": database,
            "CIVIC_SCORER_DB_PASSWORD": awkward,
            // md5 hashes can be recomputed here to check the stored passwords (SCRAM ones cannot).
            "PGOPTIONS": "-c password_encryption=md5",
        ]
        for run in 1...2 {
            let result = try runTool(URL(fileURLWithPath: "/bin/bash"), [script.path], environment: environment)
            try #require(result.status == 0, "run \(run) of the init script failed:\n\(result.summary)")
        }
        environment["CIVIC_INTAKE_DB_PASSWORD"] = "rotated"
        let rerun = try runTool(URL(fileURLWithPath: "/bin/bash"), [script.path], environment: environment)
        try #require(rerun.status == 0, "re-running with a new password failed:\n\(rerun.summary)")

        let expectedPasswords = ["intake": "rotated", "identity": "identity-local", "scorer": awkward, "reporting": "reporting-local"]
        for service in AppService.all {
            let role = service.role
            let password = try #require(expectedPasswords[role])
            let literal = "'" + password.replacingOccurrences(of: "'", with: "''") + "'"
            let stored = try Self.sql(
                "SELECT rolcanlogin AND NOT rolsuper AND rolpassword = 'md5' || md5(\(literal) || '\(role)') FROM pg_authid WHERE rolname = '\(role)'",
                as: "postgres",
                server: server,
                database: database
            )
            #expect(
                stored.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "t",
                "role \(role): login, not superuser, password as configured; got \(stored.summary)"
            )

            let owner = try Self.sql(
                "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = '\(role)'",
                as: "postgres",
                server: server,
                database: database
            )
            #expect(owner.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == role, "schema \(role) owner: \(owner.summary)")

            // Unqualified names land in the role's own schema.
            let own = try Self.sql(
                "CREATE TABLE ops_probe (id int); SELECT schemaname FROM pg_tables WHERE tablename = 'ops_probe' AND tableowner = '\(role)'",
                as: role,
                server: server,
                database: database
            )
            #expect(own.status == 0 && own.standardOutput.contains(role), "\(role) cannot create tables in its schema: \(own.summary)")

            let publicSchema = try Self.sql("CREATE TABLE public.ops_probe_\(role) (id int)", as: role, server: server, database: database)
            #expect(publicSchema.status != 0, "\(role) may create tables in public")
        }
        for reader in AppService.all {
            for owner in AppService.all where owner.role != reader.role {
                let read = try Self.sql("SELECT count(*) FROM \(owner.role).ops_probe", as: reader.role, server: server, database: database)
                #expect(read.status != 0, "\(reader.role) can read \(owner.role)'s tables")
            }
        }
        // reporting's audit trail belongs to civic_audit_owner: reporting appends, reads and purges past
        // retention, and can neither change, delete, truncate nor drop it, nor disable its trigger; no other
        // service sees it.
        let append = try Self.sql(
            "INSERT INTO reporting_audit.audit_log (actor, action) VALUES ('ops', 'probe'); SELECT count(*) FROM reporting_audit.audit_log",
            as: "reporting",
            server: server,
            database: database
        )
        #expect(append.status == 0 && append.standardOutput.contains("1"), "reporting cannot append to its audit trail: \(append.summary)")
        let purge = try Self.sql("SELECT reporting_audit.purge_audit_log(now())", as: "reporting", server: server, database: database)
        #expect(purge.status == 0 && purge.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(purge.summary)")
        for statement in [
            "UPDATE reporting_audit.audit_log SET actor = 'x'", "DELETE FROM reporting_audit.audit_log", "TRUNCATE reporting_audit.audit_log",
            "ALTER TABLE reporting_audit.audit_log DISABLE TRIGGER ALL", "DROP TABLE reporting_audit.audit_log",
        ] {
            let refused = try Self.sql(statement, as: "reporting", server: server, database: database)
            #expect(
                refused.status != 0 && (refused.standardError.contains("must be owner") || refused.standardError.contains("permission denied")),
                "reporting ran \(statement): \(refused.summary)"
            )
        }
        for other in AppService.all where other.role != "reporting" {
            let read = try Self.sql("SELECT count(*) FROM reporting_audit.audit_log", as: other.role, server: server, database: database)
            #expect(read.status != 0, "\(other.role) can read reporting's audit trail")
        }
        // Only the service roles (and superusers) may connect to the database.
        let outsider = try Self.sql("CREATE ROLE outsider LOGIN", as: "postgres", server: server, database: database)
        try #require(outsider.status == 0, "\(outsider.summary)")
        let connect = try Self.sql("SELECT 1", as: "outsider", server: server, database: database)
        #expect(connect.status != 0, "a role that is not a service can connect to \(database)")
    }
}
