import CivicIdentity
import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// identity-verify's audit tables in its own `identity` schema: one row per verified event and one per
/// answered identity request. They record the verdict, never the token, the subject or any other
/// identifying value; and the ledger of used token ids (`identity.token_uses`), which lets each id_token
/// verify one response or request only.
struct VerificationStore: Sendable {
    let client: PostgresClient
    /// How long a ledger row outlives its token's `exp`: at least as long as an event carrying the token can
    /// still arrive with a `receivedAt` before `exp` (the backlog of the two token-carrying topics, each kept
    /// `CIVIC_KAFKA_TOKEN_RETENTION_H`) plus the clock skew, as `buildIdentityVerify` sets it. Default: 7 days.
    var ledgerMargin: TimeInterval = 7 * 86_400

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
            // The first use of each id_token's jti (issue 29): a second use by another response or request is
            // refused as a replay. Never the token: the jti as a SHA-256 digest.
            PostgresMigration(
                version: 5,
                name: "token use ledger",
                sql: """
                    CREATE TABLE identity.token_uses (
                        issuer text NOT NULL,
                        jti_sha256 bytea NOT NULL,
                        use_kind text NOT NULL,
                        agency text NOT NULL,
                        use_id text NOT NULL,
                        expires_at timestamptz NOT NULL,
                        keep_until timestamptz NOT NULL,
                        first_used_at timestamptz NOT NULL,
                        PRIMARY KEY (issuer, jti_sha256)
                    );
                    CREATE INDEX token_uses_keep_until ON identity.token_uses (keep_until);
                    """
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
        erased: erased,
        expiring: [ExpiringTable("identity.token_uses", expiryColumn: "keep_until")]
    )

    /// What the ledger says about a token's use.
    enum TokenClaim: Equatable {
        /// The use is the token's first (now recorded), or the same use again (a redelivery).
        case granted
        /// The token was first used by another response or request.
        case usedElsewhere
    }

    /// Records `use` as the use of the token whose `jti` digest is `digest` (``VerifiedIdentity/tokenIDDigest``)
    /// at `issuer`, unless another use came first, and says which came first. One statement claims, a second
    /// reads the winner, so two instances racing for one token agree (the loser's insert waits for the
    /// winner's commit, then reads its row).
    func claim(issuer: String, digest: [UInt8], expiresAt: Date, use: TokenUse, now: Date) async throws -> TokenClaim {
        try await client.withConnection { connection in
            _ = try await connection.query(
                """
                INSERT INTO identity.token_uses (issuer, jti_sha256, use_kind, agency, use_id, expires_at, keep_until, first_used_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (issuer, jti_sha256) DO NOTHING
                """,
                [issuer, digest, use.kind.rawValue, use.agency, use.id, expiresAt, expiresAt.addingTimeInterval(ledgerMargin), now]
            )
            let rows = try await connection.query(
                "SELECT use_kind, agency, use_id FROM identity.token_uses WHERE issuer = $1 AND jti_sha256 = $2",
                [issuer, digest]
            )
            guard let row = rows.first else { return .usedElsewhere }
            let first = TokenUse(
                TokenUse.Kind(rawValue: try row.require("use_kind", as: String.self)) ?? .event,
                agency: try row.require("agency", as: String.self),
                id: try row.require("use_id", as: String.self)
            )
            return first == use ? .granted : .usedElsewhere
        }
    }

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
