import CivicPostgres
import Foundation

/// identity-verify's audit table in its own `identity` schema. It records the verdict, never the token,
/// the subject or any other identifying value.
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
            IdentityRequestHandler.migration,
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
    }

    /// Records a batch; a replayed event keeps its first row.
    func record(_ audits: [Audit], now: Date) async throws {
        guard !audits.isEmpty else { return }
        try await client.withConnection { connection in
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
                suffix: "ON CONFLICT (event_id) DO NOTHING"
            )
        }
    }
}
