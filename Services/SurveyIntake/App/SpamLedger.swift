import CivicModels
import CivicPostgres
import Foundation

/// The spam signals' memory, in `intake.spam_observations`: one row per accepted response (its agency,
/// submitter, comment fingerprint and receipt time), keyed by event id so a replay or a re-sent duplicate is
/// never counted twice. Counting happens inside the batch's transaction, in arrival order, under a per-agency
/// advisory lock, so responses in the same batch (or in concurrent batches of other replicas) see each other,
/// and the state survives restarts.
struct SpamLedger: Sendable {
    let detector: SpamDetector

    /// Migration 4: the observations, the stored reasons on responses, and operations events.
    static let migration = PostgresMigration(
        version: 4,
        name: "spam observations and reasons, operations events",
        sql: """
            ALTER TABLE intake.responses ADD COLUMN spam_reasons text[] NOT NULL DEFAULT '{}';
            CREATE INDEX responses_spam_review ON intake.responses (agency, received_at DESC) WHERE spam_flagged;
            CREATE TABLE intake.spam_observations (
                seq bigserial NOT NULL,
                event_id text PRIMARY KEY,
                agency text NOT NULL,
                submitter text,
                text_hash text,
                seen_at timestamptz NOT NULL
            );
            CREATE INDEX spam_observations_submitter ON intake.spam_observations (agency, submitter, seen_at)
                WHERE submitter IS NOT NULL;
            CREATE INDEX spam_observations_text ON intake.spam_observations (agency, text_hash, seen_at)
                WHERE text_hash IS NOT NULL;
            CREATE INDEX spam_observations_seen ON intake.spam_observations (seen_at);
            CREATE TABLE intake.operations (
                event_id text PRIMARY KEY,
                agency text NOT NULL,
                service text NOT NULL,
                channel text NOT NULL,
                occurred_at timestamptz NOT NULL,
                received_at timestamptz NOT NULL,
                source_topic text NOT NULL,
                source_partition integer NOT NULL,
                source_offset bigint NOT NULL,
                payload jsonb NOT NULL
            );
            CREATE INDEX operations_agency_received ON intake.operations (agency, received_at);
            """
    )

    /// Takes the agencies' transaction-scoped locks, in a fixed order so two batches cannot deadlock.
    /// Replicas consuming other partitions count the same agency: holding its lock, a batch sees every
    /// observation (and stored response) committed before it. Call it before ``observe(_:now:on:)``.
    func lock(agencies: Set<String>, on connection: PostgresConnection) async throws {
        for agency in agencies.sorted() {
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["civicpulse.intake.spam." + agency])
        }
    }

    /// Migration 5: observations are counted per key before a batch is recorded, so the arrival sequence
    /// that ordered them inside one counting query is no longer needed; and the key columns that every batch
    /// looks up and indexes compare bytes (`COLLATE "C"`) instead of going through the database's locale.
    /// Equality is the same either way (deterministic collations), and ids and fingerprints have no
    /// linguistic order to keep.
    static let countingMigration = PostgresMigration(
        version: 5,
        name: "spam observations counted per key, byte-compared keys",
        sql: """
            ALTER TABLE intake.spam_observations DROP COLUMN seq,
                ALTER COLUMN event_id TYPE text COLLATE "C", ALTER COLUMN agency TYPE text COLLATE "C",
                ALTER COLUMN submitter TYPE text COLLATE "C", ALTER COLUMN text_hash TYPE text COLLATE "C";
            ALTER TABLE intake.responses
                ALTER COLUMN event_id TYPE text COLLATE "C", ALTER COLUMN agency TYPE text COLLATE "C";
            ALTER TABLE intake.operations
                ALTER COLUMN event_id TYPE text COLLATE "C", ALTER COLUMN agency TYPE text COLLATE "C";
            """
    )

    /// Records `events`, which must not be recorded yet (the responses not stored yet, found under the
    /// agencies' ``lock(agencies:on:)``), in order, and returns each one's counts: observations up to and
    /// including its own, within the configured windows, capped just past the thresholds (the verdict needs
    /// no more).
    ///
    /// One query counts what was recorded before this batch, once per distinct submitter and comment
    /// fingerprint (an index range each, stopped at the cap); the batch's own responses all share `now`, so
    /// each one's count is that plus the same key's earlier responses in the batch. The cost per batch
    /// follows the batch, not the size of the ledger.
    func observe(_ events: [FeedbackEvent], now: Date, on connection: PostgresConnection) async throws -> [String: SpamDetector.Counts] {
        guard !events.isEmpty else { return [:] }
        let configuration = detector.configuration
        let sourceCap = configuration.sourceLimit + 1
        let textCap = configuration.repeatThreshold
        try await connection.query(
            "DELETE FROM intake.spam_observations WHERE seen_at < $1::timestamptz - make_interval(secs => $2::double precision)",
            [now, Double(max(configuration.sourceWindowSeconds, configuration.repeatWindowSeconds))]
        )
        let keys = events.map { event in
            Keys(
                submitter: event.submitter.flatMap { $0.isEmpty ? nil : Key(agency: event.agency, value: $0) },
                text: detector.textFingerprint(event.comment).map { Key(agency: event.agency, value: $0) }
            )
        }
        let submitters = Array(Set(keys.compactMap(\.submitter)))
        let texts = Array(Set(keys.compactMap(\.text)))
        var seenSubmitter: [Key: Int] = [:]
        var seenText: [Key: Int] = [:]
        if !submitters.isEmpty || !texts.isEmpty {
            let rows = try await connection.query(
                """
                SELECT 's' AS kind, k.agency, k.value, (SELECT count(*) FROM (SELECT 1 FROM intake.spam_observations o
                        WHERE o.agency = k.agency AND o.submitter = k.value
                        AND o.seen_at > $5::timestamptz - make_interval(secs => $6::double precision) LIMIT $7) AS bounded) AS seen
                    FROM unnest($1::text[], $2::text[]) AS k(agency, value)
                UNION ALL
                SELECT 't', k.agency, k.value, (SELECT count(*) FROM (SELECT 1 FROM intake.spam_observations o
                        WHERE o.agency = k.agency AND o.text_hash = k.value
                        AND o.seen_at > $5::timestamptz - make_interval(secs => $8::double precision) LIMIT $9) AS bounded)
                    FROM unnest($3::text[], $4::text[]) AS k(agency, value)
                """,
                // Counting stops at the cap, so a flood of one text or one submitter costs the same per
                // response as ordinary traffic instead of growing with the flood.
                [
                    PostgresTextArray(submitters.map(\.agency)), PostgresTextArray(submitters.map(\.value)),
                    PostgresTextArray(texts.map(\.agency)), PostgresTextArray(texts.map(\.value)), now,
                    Double(configuration.sourceWindowSeconds), sourceCap, Double(configuration.repeatWindowSeconds), textCap,
                ]
            )
            for row in rows.rows {
                let key = Key(agency: try row.require("agency"), value: try row.require("value"))
                let seen: Int = try row.require("seen")
                if try row.require("kind", as: String.self) == "s" { seenSubmitter[key] = seen } else { seenText[key] = seen }
            }
        }
        try await connection.copy(
            into: "intake.spam_observations",
            columns: ["event_id", "agency", "submitter", "text_hash", "seen_at"],
            rows: zip(events, keys).map { event, keys -> [(any PostgresEncodable)?] in
                [event.eventId, event.agency, keys.submitter?.value, keys.text?.value, now]
            }
        )
        var counts: [String: SpamDetector.Counts] = [:]
        for (event, keys) in zip(events, keys) {
            var eventCounts = SpamDetector.Counts(fromSubmitter: 0, sameText: 0)
            if let key = keys.submitter {
                let seen = (seenSubmitter[key] ?? 0) + 1
                seenSubmitter[key] = seen
                eventCounts.fromSubmitter = min(seen, sourceCap)
            }
            if let key = keys.text {
                let seen = (seenText[key] ?? 0) + 1
                seenText[key] = seen
                eventCounts.sameText = min(seen, textCap)
            }
            counts[event.eventId] = eventCounts
        }
        return counts
    }

    /// A submitter or a comment fingerprint, within one agency.
    private struct Key: Hashable {
        var agency: String
        var value: String
    }

    /// What one response is counted under.
    private struct Keys {
        var submitter: Key?
        var text: Key?
    }
}
