import CivicModels
import CivicPostgres
import Foundation

/// The append-only record of who read respondent-level data and who changed access, in
/// `reporting_audit.audit_log`. Entries are written before the data they describe leaves: a read whose entry
/// cannot be written is not answered.
///
/// The table, its append-only trigger and its purge function belong to `civic_audit_owner` (a role nobody
/// logs in as), in a schema of its own: reporting's role may only INSERT and SELECT, so it can neither change
/// nor delete an entry, disable the trigger or drop the table; the retention purge goes through
/// `reporting_audit.purge_audit_log(cutoff)` (SECURITY DEFINER), which deletes only entries older than the
/// cutoff and never one younger than ``minimumRetentionDays``.
package struct AuditTrail: Sendable {
    let client: PostgresClient

    /// The table.
    package static let table = "reporting_audit.audit_log"
    /// The function the retention purge calls.
    package static let purgeFunction = "reporting_audit.purge_audit_log"
    /// The purge function never deletes an entry younger than this, whatever cutoff it is given.
    package static let minimumRetentionDays = 365

    /// The audit owner's objects (schema, table, trigger, purge function), run by the database superuser after
    /// `civic_audit_owner` exists, by migration 16 or, with the same SQL, by ops/postgres/10-civicpulse.sh.
    /// Reporting's role is granted USAGE on the schema and the id sequence, INSERT and SELECT on the table and
    /// EXECUTE on the purge function, nothing else. Part of migration 16 (changing it changes that migration's
    /// checksum: add a migration instead), and kept verbatim in the init script (a test compares them).
    package static let ownerSetupSQL = """
        CREATE SCHEMA IF NOT EXISTS reporting_audit AUTHORIZATION civic_audit_owner;
        REVOKE ALL ON SCHEMA reporting_audit FROM PUBLIC;
        CREATE TABLE IF NOT EXISTS reporting_audit.audit_log (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            actor text NOT NULL,
            action text NOT NULL,
            agency text,
            target text,
            filter jsonb NOT NULL DEFAULT '{}',
            row_count bigint,
            request_id text
        );
        CREATE INDEX IF NOT EXISTS audit_log_agency ON reporting_audit.audit_log (agency, id);
        CREATE INDEX IF NOT EXISTS audit_log_at ON reporting_audit.audit_log (at);
        -- Only the owner (inside purge_audit_log) may delete; nobody may update or truncate.
        CREATE OR REPLACE FUNCTION reporting_audit.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'DELETE' AND current_user = 'civic_audit_owner' THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION 'reporting_audit.audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
        END $fn$;
        CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON reporting_audit.audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION reporting_audit.audit_log_append_only();
        CREATE OR REPLACE FUNCTION reporting_audit.purge_audit_log(cutoff timestamptz) RETURNS bigint
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
        DECLARE
            purged bigint;
        BEGIN
            DELETE FROM reporting_audit.audit_log WHERE at < LEAST(cutoff, now() - interval '365 days');
            GET DIAGNOSTICS purged = ROW_COUNT;
            RETURN purged;
        END $fn$;
        ALTER TABLE reporting_audit.audit_log OWNER TO civic_audit_owner;
        ALTER FUNCTION reporting_audit.audit_log_append_only() OWNER TO civic_audit_owner;
        ALTER FUNCTION reporting_audit.purge_audit_log(timestamptz) OWNER TO civic_audit_owner;
        REVOKE ALL ON FUNCTION reporting_audit.purge_audit_log(timestamptz) FROM PUBLIC;
        """

    package init(client: PostgresClient) {
        self.client = client
    }

    /// What was done.
    package enum Action: String, Codable, Sendable, CaseIterable {
        /// An export of collection volumes (`collections`, `collections.csv`, `legacy.csv`).
        case export
        /// A respondent-level export (the Touchpoints rows, comments included).
        case respondentExport = "respondent_export"
        /// An admin read the agency's spam-flagged responses (`GET /v1/spam`).
        case spamReview = "spam_review"
        /// An admin marked a response not spam, or spam (`POST /v1/spam/decisions`).
        case spamDecision = "spam_decision"
        /// A collection moved in its quarterly cycle, or its reflection changed (`POST /v1/collections/transitions`).
        case collectionTransition = "collection_transition"
        /// A staff member signed in.
        case signIn = "sign_in"
        /// A staff member signed out.
        case signOut = "sign_out"
        /// A reporting token was minted.
        case tokenMinted = "token_minted"
        /// A reporting token was revoked.
        case tokenRevoked = "token_revoked"
        /// A user was given a role.
        case roleGranted = "role_granted"
        /// A user's role was taken away.
        case roleRevoked = "role_revoked"
    }

    /// One entry.
    package struct Entry: Codable, Sendable, Equatable {
        /// Its position in the trail (assigned when written).
        var id: Int64?
        /// When (RFC 3339, assigned when written).
        var at: String?
        /// Who: `user:<sub>`, `token:<key id>` or `administrator`.
        var actor: String
        /// What.
        var action: Action
        /// The agency concerned (`*` for every agency), if one is.
        var agency: String?
        /// The path, token or user acted on.
        var target: String?
        /// The request's filter (query parameters) or the change's details.
        var filter: [String: String]
        /// The number of rows read, for reads.
        var rows: Int?
        /// The request id the answer carried.
        var requestId: String?

        package init(
            id: Int64? = nil,
            at: String? = nil,
            actor: String,
            action: Action,
            agency: String? = nil,
            target: String? = nil,
            filter: [String: String],
            rows: Int? = nil,
            requestId: String? = nil
        ) {
            self.id = id
            self.at = at
            self.actor = actor
            self.action = action
            self.agency = agency
            self.target = target
            self.filter = filter
            self.rows = rows
            self.requestId = requestId
        }
    }

    /// Appends `entry`.
    package func record(_ entry: Entry) async throws {
        try await client.withConnection { try await Self.record(entry, on: $0) }
    }

    /// Appends `entry` on `connection`, inside the transaction that made the change it records.
    static func record(_ entry: Entry, on connection: PostgresConnection) async throws {
        let filter = try CivicJSON.makeEncoder().encode(entry.filter)
        _ = try await connection.query(
            """
            INSERT INTO reporting_audit.audit_log (actor, action, agency, target, filter, row_count, request_id)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
            """,
            [entry.actor, entry.action.rawValue, entry.agency, entry.target, String(decoding: filter, as: UTF8.self), entry.rows, entry.requestId]
        )
    }

    /// The newest `limit` entries about `agencies` (entries naming no agency only for every agency), newest first.
    package func entries(in agencies: AgencySet, limit: Int) async throws -> [Entry] {
        let rows = try await client.query(
            """
            SELECT id, at, actor, action, agency, target, filter::text AS filter, row_count, request_id
            FROM reporting_audit.audit_log
            WHERE $1::text[] IS NULL OR agency = ANY($1)
            ORDER BY id DESC LIMIT $2
            """,
            [agencies.parameter, limit]
        )
        return try rows.rows.map { row in
            let action: String = try row.require("action")
            let filter: String = try row.require("filter")
            guard let action = Action(rawValue: action) else {
                throw AccessStoreError("column action: '\(action)' is not an audit action")
            }
            return Entry(
                id: try row.require("id", as: Int64.self),
                at: Timestamp.format(try row.require("at", as: Date.self)),
                actor: try row.require("actor"),
                action: action,
                agency: try row.decode("agency"),
                target: try row.decode("target"),
                filter: (try? JSONDecoder().decode([String: String].self, from: Data(filter.utf8))) ?? [:],
                rows: try row.decode("row_count"),
                requestId: try row.decode("request_id")
            )
        }
    }
}
