import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// identity-verify's audit tables in its own `identity` schema: one row per verified event and one per
/// answered identity request. They record the verdict, never the token, the subject or any other
/// identifying value.
struct VerificationStore: Sendable {
    let client: PostgresClient

    static let migrations = PostgresMigrations(
        schema: "identity",
        migrations: [
            PostgresMigration(
                version: 1,
                name: "verification audit",
                sql: """
                    CREATE TABLE identity.verifications (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        verdict text NOT NULL,
                        issuer text,
                        identity_level text,
                        authenticator_level text,
                        deprecated_acr boolean NOT NULL DEFAULT false,
                        refusal text,
                        key_version integer,
                        redactions integer NOT NULL DEFAULT 0,
                        verified_at timestamptz NOT NULL
                    );
                    CREATE INDEX verifications_agency_time ON identity.verifications (agency, verified_at);
                    """
            ),
            PostgresMigration(
                version: 2,
                name: "identity request audit",
                sql: """
                    CREATE TABLE identity.requests (
                        source_partition integer NOT NULL,
                        source_offset bigint NOT NULL,
                        correlation_id text,
                        agency text,
                        status text NOT NULL,
                        refusal text,
                        answered_at timestamptz NOT NULL,
                        PRIMARY KEY (source_partition, source_offset)
                    );
                    """
            ),
            // An event is its agency and its id: one agency's id never stands for another's.
            PostgresMigration(
                version: 3,
                name: "event identity is (agency, event id)",
                sql: "ALTER TABLE identity.verifications DROP CONSTRAINT verifications_pkey, ADD PRIMARY KEY (agency, event_id);"
            ),
            // Tombstones of erased events (an erasure request or the retention schedule): keys only.
            PostgresMigration(
                version: 4,
                name: "erased events",
                sql: ErasedEvents.createTableSQL(schema: "identity")
                    + "\nCREATE INDEX verifications_verified_at ON identity.verifications (verified_at);"
                    + "\nCREATE INDEX requests_answered_at ON identity.requests (answered_at);"
            ),
        ]
    )

    /// One audit row.
    struct Audit {
        var eventId: String
        var agency: String
        var verdict: String
        var issuer: String?
        var identityLevel: String?
        var authenticatorLevel: String?
        var deprecatedACR: Bool
        var refusal: String?
        var keyVersion: Int?
        var redactions: Int

        /// The verified event.
        var key: EventKey { EventKey(agency: agency, eventId: eventId) }
    }

    /// The stage's tombstones.
    static let erased = ErasedEvents(schema: "identity")
    /// The tables an erasure deletes from.
    static let erasedTables = [ErasedEvents.EventTable("identity.verifications")]
    /// What the retention schedule purges: verification rows as respondent-level records, the request audit
    /// as audit entries.
    static let retention = RetentionPurge(
        rules: [
            RetentionRule(.responses, table: "identity.verifications", timestampColumn: "verified_at", event: erasedTables[0]),
            RetentionRule(.audit, table: "identity.requests", timestampColumn: "answered_at"),
        ],
        erased: erased
    )

    /// Records a batch, except erased events, which it returns (the caller does not forward them); a replayed
    /// event keeps its first row.
    func record(_ audits: [Audit], now: Date) async throws -> Set<EventKey> {
        try await Self.erased.store(audits, key: \.key, in: client) { audits, connection in
            try await connection.insert(
                into: "identity.verifications",
                columns: [
                    "event_id", "agency", "verdict", "issuer", "identity_level", "authenticator_level", "deprecated_acr",
                    "refusal", "key_version", "redactions", "verified_at",
                ],
                rows: audits.map { audit -> [(any PostgresEncodable)?] in
                    [
                        audit.eventId, audit.agency, audit.verdict, audit.issuer, audit.identityLevel, audit.authenticatorLevel,
                        audit.deprecatedACR, audit.refusal, audit.keyVersion, audit.redactions, now,
                    ]
                },
                suffix: "ON CONFLICT (agency, event_id) DO NOTHING"
            )
        }
    }

    /// One answered identity request, by its source position.
    struct RequestAudit {
        var partition: Int32
        var offset: Int64
        var correlationId: String?
        var agency: String?
        var status: String
        var refusal: String?
    }

    /// Records a batch of answered requests; a replayed request keeps its first row.
    func record(requests: [RequestAudit], now: Date) async throws {
        guard !requests.isEmpty else { return }
        try await client.withConnection { connection in
            try await connection.insert(
                into: "identity.requests",
                columns: ["source_partition", "source_offset", "correlation_id", "agency", "status", "refusal", "answered_at"],
                rows: requests.map { audit -> [(any PostgresEncodable)?] in
                    [audit.partition, audit.offset, audit.correlationId, audit.agency, audit.status, audit.refusal, now]
                },
                suffix: "ON CONFLICT DO NOTHING"
            )
        }
    }
}
