import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import ReportingCore
@testable import ReportingWeb

/// The audit trail belongs to `civic_audit_owner`: reporting's role (here a login role owning the `reporting`
/// schema, as in every deployment) appends and reads entries, and nothing else, against real PostgreSQL.
@Suite(.hangGuard)
struct AuditTrailOwnershipTests {
    static let logger = Logger(label: "audit-ownership-test")

    /// A fresh database migrated by the superuser whose `reporting` schema belongs to a new login role, and
    /// clients as the superuser and as that role.
    static func database() async throws -> (superuser: PostgresClient, service: PostgresClient) {
        let server = try await TestPostgres.shared()
        let url = try await server.makeDatabase(prefix: "audit_owner")
        let database = try #require(url.split(separator: "/").last).description
        let role = "reporting_probe_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let superuser = PostgresClient(configuration: PostgresConfiguration(connectionString: url), logger: logger)
        try await superuser.query("CREATE ROLE \(role) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT")
        try await superuser.query("CREATE SCHEMA reporting AUTHORIZATION \(role)")
        try await ReportingStore.migrations.apply(using: superuser, logger: logger)
        let service = PostgresClient(
            configuration: PostgresConfiguration(connectionString: "postgresql://\(role)@127.0.0.1:\(server.port)/\(database)"),
            logger: logger
        )
        return (superuser, service)
    }

    @Test func reportingsRoleAppendsAndReadsButCannotChangeDisableOrDropTheTrail() async throws {
        let (superuser, service) = try await Self.database()
        defer {
            superuser.close()
            service.close()
        }
        let trail = AuditTrail(client: service)
        try await trail.record(
            .init(actor: "token:probe", action: .export, agency: "DOL", target: "/v1/exports/collections", filter: ["agency": "DOL"])
        )
        #expect(try await trail.entries(in: .only(["DOL"]), limit: 10).map(\.actor) == ["token:probe"])

        for statement in [
            "UPDATE reporting_audit.audit_log SET actor = 'someone else'",
            "DELETE FROM reporting_audit.audit_log",
            "TRUNCATE reporting_audit.audit_log",
            "ALTER TABLE reporting_audit.audit_log DISABLE TRIGGER audit_log_append_only",
            "ALTER TABLE reporting_audit.audit_log DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_log_append_only ON reporting_audit.audit_log",
            "DROP TABLE reporting_audit.audit_log",
            "DROP SCHEMA reporting_audit CASCADE",
            "ALTER TABLE reporting_audit.audit_log RENAME TO audit_log_old",
            "CREATE OR REPLACE FUNCTION reporting_audit.purge_audit_log(cutoff timestamptz) RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint'",
            "SET session_replication_role = replica",
        ] {
            do {
                _ = try await service.query(statement)
                Issue.record("reporting's role could run: \(statement)")
            } catch let error as PostgresError {
                // 42501 insufficient_privilege: refused by the privilege system, not the trigger.
                #expect(error.sqlState == "42501", "\(statement): \(error)")
                #expect(error.reason.contains("permission denied") || error.reason.contains("must be owner"), "\(statement): \(error)")
            }
        }
        let left = try await superuser.query("SELECT count(*) AS n FROM reporting_audit.audit_log WHERE actor = 'token:probe'")
        #expect(try left.first?.require("n", as: Int.self) == 1)
    }

    @Test func thePurgeFunctionDeletesOnlyEntriesPastRetention() async throws {
        let (superuser, service) = try await Self.database()
        defer {
            superuser.close()
            service.close()
        }
        try await superuser.query(
            """
            INSERT INTO reporting_audit.audit_log (at, actor, action) VALUES
                (now() - interval '7 years', 'a', 'old'), (now() - interval '30 days', 'a', 'recent'), (now(), 'a', 'new')
            """
        )
        // The schedule's purge of audit entries, as reporting's role: the entry 6 years old or more goes. (Responses
        // are kept: this database's other tables belong to the superuser that migrated it.)
        var schedule = RetentionSchedule()
        schedule.responseDays = 0
        let summary = try await ReportingStore.retention.run(schedule: schedule, client: service)
        #expect(summary.deleted[AuditTrail.table] == 1)
        // Asked to purge everything up to now, the function still keeps the minimum retention.
        let purged = try await service.query("SELECT reporting_audit.purge_audit_log(now()) AS n")
        #expect(try purged.first?.require("n", as: Int.self) == 0)
        let left = try await superuser.query("SELECT action FROM reporting_audit.audit_log ORDER BY id")
        #expect(try left.rows.map { try $0.require("action", as: String.self) } == ["recent", "new"])
        // Past the minimum, a shorter schedule purges.
        try await superuser.query(
            "INSERT INTO reporting_audit.audit_log (at, actor, action) VALUES (now() - interval '400 days', 'a', 'past minimum')"
        )
        schedule.auditDays = 1
        #expect(try await ReportingStore.retention.run(schedule: schedule, client: service).deleted[AuditTrail.table] == 1)
        let kept = try await superuser.query("SELECT action FROM reporting_audit.audit_log ORDER BY id")
        #expect(try kept.rows.map { try $0.require("action", as: String.self) } == ["recent", "new"])
    }

    @Test func theInitScriptMakesTheAuditOwnersObjectsWithTheMigrationsSQL() throws {
        let script = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("ops/postgres/10-civicpulse.sh"), encoding: .utf8)
        let begin = try #require(script.range(of: "-- begin AuditTrail.ownerSetupSQL\n"))
        let end = try #require(script.range(of: "\n-- end AuditTrail.ownerSetupSQL"))
        #expect(String(script[begin.upperBound..<end.lowerBound]) == AuditTrail.ownerSetupSQL)
    }

    @Test func migratingADatabaseOfBeforeKeepsItsTrailTokensAndGrants() async throws {
        let server = try await TestPostgres.shared()
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: try await server.makeDatabase(prefix: "access_upgrade")),
            logger: Self.logger
        )
        defer { client.close() }
        let before = PostgresMigrations(schema: "reporting", migrations: ReportingStore.migrations.migrations.filter { $0.version <= 13 })
        try await before.apply(using: client, logger: Self.logger)
        try await client.withConnection {
            try await $0.execute(
                script: """
                    INSERT INTO reporting.audit_log (at        , actor, action, agency) VALUES
                        (now() - interval '2 days', 'user:alice', 'token_minted', 'DOL'), (now() - interval '1 day', 'token:0123', 'export', 'DOL');
                    INSERT INTO reporting.users (subject) VALUES ('alice');
                    INSERT INTO reporting.role_grants (subject, agency, role, granted_by) VALUES ('alice', 'DOL', 'admin', 'administrator');
                    INSERT INTO reporting.access_tokens (key_id, agency, role, label, secret_sha256, created_by)
                        VALUES ('00000000000000aa', 'DOL', 'viewer', 'old', decode(repeat('00', 32), 'hex'), 'user:alice');
                    """
            )
        }
        try await ReportingStore.migrations.apply(using: client, logger: Self.logger)

        // The trail moved over, in order; the old table is gone.
        let moved = try await AuditTrail(client: client).entries(in: .only(["DOL"]), limit: 10)
        #expect(moved.map(\.action) == [.export, .tokenMinted])
        #expect(try await client.query("SELECT to_regclass('reporting.audit_log') IS NULL AS gone").first?.require("gone", as: Bool.self) == true)
        // The token got the default lifetime from now and its creator's columns.
        let token = try #require(
            try await client.query(
                "SELECT expires_at > now() + interval '89 days' AND expires_at < now() + interval '91 days' AS ninety, creator_issuer, creator_subject FROM reporting.access_tokens"
            ).first
        )
        #expect(try token.require("ninety", as: Bool.self))
        #expect(try token.require("creator_subject", as: String.self) == "alice")
        // Grants recorded without an issuer belong to the sign-in issuer once it is configured, tokens included.
        let store = AccessStore(client: client)
        #expect(try await store.principal(forUser: "alice", issuer: "https://login.example.gov/").grants.isEmpty)
        #expect(try await store.adoptUnassignedIssuer("https://login.example.gov/") == 1)
        #expect(try await store.adoptUnassignedIssuer("https://login.example.gov/") == 0)
        #expect(try await store.principal(forUser: "alice", issuer: "https://login.example.gov/").administers(.agency("DOL")))
        let revoked = try #require(try await store.revokeGrant(issuer: "https://login.example.gov/", subject: "alice", agency: .agency("DOL")))
        #expect(revoked.revokedTokens == ["00000000000000aa"])
    }
}
