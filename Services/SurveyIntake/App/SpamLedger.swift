import CivicModels
import CivicPostgres
import Foundation

/// The spam signals' memory: the stored responses themselves. Each one keeps its `submitter` and comment
/// fingerprint, and a new response is counted against the same agency's responses received within the
/// windows, so a replay or a re-sent duplicate (stored once, by event id) is never counted twice, and the
/// counts survive restarts. Counting happens inside the batch's transaction, in arrival order, under a
/// per-agency advisory lock, so responses in the same batch (or in concurrent batches of other replicas)
/// see each other.
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

    /// Migration 5: the signals' keys move onto the responses (which hold the same event ids, agencies and
    /// receipt times), so a batch is written once instead of twice, and the observations table goes. The
    /// index on (agency, received_at), which no query uses (the spam review has its own), goes too: each
    /// index costs every insert. Key columns compare bytes (`COLLATE "C"`) instead of going through the
    /// database's locale: equality is the same either way (deterministic collations), and ids have no
    /// linguistic order to keep.
    static let countingMigration = PostgresMigration(
        version: 5,
        name: "spam keys on responses, byte-compared keys",
        sql: """
            ALTER TABLE intake.responses
                ALTER COLUMN event_id TYPE text COLLATE "C", ALTER COLUMN agency TYPE text COLLATE "C",
                ADD COLUMN submitter text COLLATE "C", ADD COLUMN text_fingerprint bytea;
            UPDATE intake.responses r SET submitter = o.submitter, text_fingerprint = decode(o.text_hash, 'hex')
                FROM intake.spam_observations o WHERE o.event_id = r.event_id;
            CREATE INDEX responses_spam_submitter ON intake.responses (agency, submitter, received_at)
                WHERE submitter IS NOT NULL;
            CREATE INDEX responses_spam_text ON intake.responses (agency, text_fingerprint, received_at)
                WHERE text_fingerprint IS NOT NULL;
            DROP TABLE intake.spam_observations;
            DROP INDEX intake.responses_agency_received;
            ALTER TABLE intake.operations
                ALTER COLUMN event_id TYPE text COLLATE "C", ALTER COLUMN agency TYPE text COLLATE "C";
            """
    )

    /// What one response is counted under; stored with it as `submitter` and `text_fingerprint`.
    struct Keys: Sendable {
        /// The response's non-empty `submitter`.
        var submitter: String?
        /// ``SpamDetector/textFingerprint(_:)`` of its comment.
        var textFingerprint: [UInt8]?
    }

    /// One response's keys and counts.
    struct Observation: Sendable {
        var keys: Keys
        var counts: SpamDetector.Counts
    }

    /// Takes the agencies' transaction-scoped locks, in a fixed order so two batches cannot deadlock.
    /// Replicas consuming other partitions count the same agency: holding its lock, a batch sees every
    /// observation (and stored response) committed before it. Call it before ``observe(_:now:on:)``.
    func lock(agencies: Set<String>, on connection: PostgresConnection) async throws {
        for agency in agencies.sorted() {
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["civicpulse.intake.spam." + agency])
        }
    }

    /// What `event` is counted under: its non-empty submitter and its comment's fingerprint.
    func keys(of event: FeedbackEvent) -> Keys {
        Keys(submitter: event.submitter.flatMap { $0.isEmpty ? nil : $0 }, textFingerprint: detector.textFingerprint(event.comment))
    }

    /// The counts of `responses` (each with its ``keys(of:)``), which must not be stored yet (found under the
    /// agencies' ``lock(agencies:on:)``), in order: responses counted up to and including each one,
    /// within the configured windows, capped just past the thresholds (the verdict needs no more). Store
    /// each response with its keys in the same transaction.
    ///
    /// One query counts the stored responses once per distinct submitter and comment fingerprint (an index
    /// range each, stopped at the cap); the batch's own responses all share `now`, so each one's count is
    /// that plus the same key's earlier responses in the batch. The cost per batch follows the batch, not
    /// the number of stored responses.
    func observe(_ responses: [(event: FeedbackEvent, keys: Keys)], now: Date, on connection: PostgresConnection) async throws -> [Observation] {
        guard !responses.isEmpty else { return [] }
        let configuration = detector.configuration
        let sourceCap = configuration.sourceLimit + 1
        let textCap = configuration.repeatThreshold
        // Each response's keys within its agency; fingerprints travel as hex text in the look-up.
        let counted = responses.map { event, keys in
            (
                submitter: keys.submitter.map { Key(agency: event.agency, value: $0) },
                text: keys.textFingerprint.map { Key(agency: event.agency, value: Hex.encode($0)) }
            )
        }
        let submitters = Array(Set(counted.compactMap(\.submitter)))
        let texts = Array(Set(counted.compactMap(\.text)))
        var seenSubmitter: [Key: Int] = [:]
        var seenText: [Key: Int] = [:]
        if !submitters.isEmpty || !texts.isEmpty {
            let rows = try await connection.query(
                """
                SELECT 's' AS kind, k.agency, k.value, (SELECT count(*) FROM (SELECT 1 FROM intake.responses r
                        WHERE r.agency = k.agency AND r.submitter = k.value
                        AND r.received_at > $5::timestamptz - make_interval(secs => $6::double precision) LIMIT $7) AS bounded) AS seen
                    FROM unnest($1::text[], $2::text[]) AS k(agency, value)
                UNION ALL
                SELECT 't', k.agency, k.value, (SELECT count(*) FROM (SELECT 1 FROM intake.responses r
                        WHERE r.agency = k.agency AND r.text_fingerprint = decode(k.value, 'hex')
                        AND r.received_at > $5::timestamptz - make_interval(secs => $8::double precision) LIMIT $9) AS bounded)
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
        return zip(responses, counted).map { response, keys in
            var counts = SpamDetector.Counts(fromSubmitter: 0, sameText: 0)
            if let key = keys.submitter {
                let seen = (seenSubmitter[key] ?? 0) + 1
                seenSubmitter[key] = seen
                counts.fromSubmitter = min(seen, sourceCap)
            }
            if let key = keys.text {
                let seen = (seenText[key] ?? 0) + 1
                seenText[key] = seen
                counts.sameText = min(seen, textCap)
            }
            return Observation(keys: response.keys, counts: counts)
        }
    }

    /// A submitter or a comment fingerprint (hex), within one agency.
    private struct Key: Hashable {
        var agency: String
        var value: String
    }
}
