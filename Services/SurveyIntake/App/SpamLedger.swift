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

    /// Records `events`, which must not be recorded yet (the responses not stored yet, found under the
    /// agencies' ``lock(agencies:on:)``), in order, and returns each one's counts: observations up to and
    /// including its own, within the configured windows, capped just past the thresholds (the verdict needs
    /// no more).
    func observe(_ events: [FeedbackEvent], now: Date, on connection: PostgresConnection) async throws -> [String: SpamDetector.Counts] {
        guard !events.isEmpty else { return [:] }
        let configuration = detector.configuration
        try await connection.query(
            "DELETE FROM intake.spam_observations WHERE seen_at < $1::timestamptz - make_interval(secs => $2::double precision)",
            [now, Double(max(configuration.sourceWindowSeconds, configuration.repeatWindowSeconds))]
        )
        try await connection.copy(
            into: "intake.spam_observations",
            columns: ["event_id", "agency", "submitter", "text_hash", "seen_at"],
            rows: events.map { event -> [(any PostgresEncodable)?] in
                let submitter = event.submitter.flatMap { $0.isEmpty ? nil : $0 }
                return [event.eventId, event.agency, submitter, detector.textFingerprint(event.comment), now]
            }
        )
        let rows = try await connection.query(
            """
            SELECT e.event_id,
                (SELECT count(*) FROM (SELECT 1 FROM intake.spam_observations o
                    WHERE e.submitter IS NOT NULL AND o.agency = e.agency AND o.submitter = e.submitter
                    AND o.seen_at > e.seen_at - make_interval(secs => $2::double precision) AND o.seq <= e.seq
                    LIMIT $4) AS bounded) AS from_submitter,
                (SELECT count(*) FROM (SELECT 1 FROM intake.spam_observations o
                    WHERE e.text_hash IS NOT NULL AND o.agency = e.agency AND o.text_hash = e.text_hash
                    AND o.seen_at > e.seen_at - make_interval(secs => $3::double precision) AND o.seq <= e.seq
                    LIMIT $5) AS bounded) AS same_text
            FROM intake.spam_observations e WHERE e.event_id = ANY($1::text[])
            """,
            // Counting stops once a threshold is passed, so a flood of one text or one submitter costs
            // the same per response as ordinary traffic instead of growing with the flood.
            [
                PostgresTextArray(events.map(\.eventId)), Double(configuration.sourceWindowSeconds),
                Double(configuration.repeatWindowSeconds), configuration.sourceLimit + 1, configuration.repeatThreshold,
            ]
        )
        var counts: [String: SpamDetector.Counts] = [:]
        for row in rows.rows {
            counts[try row.require("event_id")] = SpamDetector.Counts(
                fromSubmitter: try row.require("from_submitter"),
                sameText: try row.require("same_text")
            )
        }
        return counts
    }
}
