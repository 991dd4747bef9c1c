import CivicBytes
import CivicModels
import CivicPostgres
import Foundation

/// The spam signals' memory: the stored responses themselves. Each one keeps its `submitter` and comment
/// fingerprint, and a new response is counted against the same agency's responses received within the
/// windows, so a replay or a re-sent duplicate (stored once, by event id) is never counted twice, and the
/// counts survive restarts. Counting happens inside the batch's transaction, in arrival order, under a
/// per-agency advisory lock, so responses in the same batch (or in concurrent batches of other replicas)
/// see each other. The ledger builds the statements and reads their rows; ``IntakeStore`` sends them, with
/// its own look-up, in one round trip.
struct SpamLedger: Sendable {
    let detector: SpamDetector

    /// What one response is counted under; stored with it as `submitter` and `text_fingerprint`.
    struct Keys: Sendable {
        /// The response's non-empty `submitter`.
        var submitter: String?
        /// ``SpamDetector/textFingerprint(_:)`` of its comment.
        var textFingerprint: [UInt8]?
    }

    /// The statements taking the agencies' transaction-scoped locks, in a fixed order so two batches cannot
    /// deadlock. Replicas consuming other partitions count the same agency: holding its lock, a batch sees
    /// every response committed before it. Run them before ``countLookup(_:now:)``'s statement, as separate
    /// statements (each statement sees what was committed when it started).
    func lockStatements(agencies: Set<String>) throws -> [PostgresStatement] {
        try agencies.sorted().map { agency in
            try PostgresStatement("SELECT pg_advisory_xact_lock(hashtext($1))", ["civicpulse.intake.spam." + agency])
        }
    }

    /// What `event` is counted under: its non-empty submitter and its comment's fingerprint.
    func keys(of event: FeedbackEvent) -> Keys {
        Keys(submitter: event.submitter.flatMap { $0.isEmpty ? nil : $0 }, textFingerprint: detector.textFingerprint(event.comment))
    }

    /// The counts ``observe(_:stored:)`` gives a response under `keys` when nothing else is counted under
    /// them: itself, once under each key it has.
    func countsAlone(_ keys: Keys) -> SpamDetector.Counts {
        SpamDetector.Counts(fromSubmitter: keys.submitter == nil ? 0 : 1, sameText: keys.textFingerprint == nil ? 0 : 1)
    }

    /// The look-up of the stored responses counted under a batch's keys: its statement and how to read it.
    struct CountLookup: Sendable {
        /// The statement; `nil` when no response has a key. Run it under the agencies' locks
        /// (``lockStatements(agencies:)``).
        let statement: PostgresStatement?
        fileprivate let submitters: [Key<String>]
        fileprivate let texts: [Key<[UInt8]>]

        /// Reads the statement's rows.
        func counts(_ rows: PostgresRows) throws -> StoredCounts {
            var counts = StoredCounts()
            for row in rows.rows {
                let index: Int = try row.require("i")
                let seen: Int = try row.require("seen")
                if try row.require("kind", as: String.self) == "s" {
                    guard submitters.indices.contains(index - 1) else { throw Self.unknownKey(index, of: submitters.count) }
                    counts.submitters[submitters[index - 1]] = seen
                } else {
                    guard texts.indices.contains(index - 1) else { throw Self.unknownKey(index, of: texts.count) }
                    counts.texts[texts[index - 1]] = seen
                }
            }
            return counts
        }

        private static func unknownKey(_ index: Int, of count: Int) -> UnknownKey {
            UnknownKey(reason: "the database counted key \(index) of \(count) sent")
        }
    }

    /// A count came back for a key the look-up did not send.
    struct UnknownKey: Error, Sendable, CustomStringConvertible {
        var reason: String
        var description: String { "spam count look-up: \(reason)" }
    }

    /// Stored responses counted per submitter and per comment fingerprint, read by a ``CountLookup``.
    struct StoredCounts: Sendable {
        fileprivate var submitters: [Key<String>: Int] = [:]
        fileprivate var texts: [Key<[UInt8]>: Int] = [:]
    }

    /// The look-up of the stored responses counted under `responses`' keys (each an agency and its
    /// ``keys(of:)``): received within the configured windows as of `now`, capped just past the thresholds
    /// (the verdict needs no more).
    ///
    /// It counts once per distinct submitter and comment fingerprint, an index range each stopped at the
    /// cap, so the cost per batch follows the batch, not the number of stored responses, and a flood of one
    /// text or one submitter costs the same per response as ordinary traffic.
    func countLookup(_ responses: [(agency: String, keys: Keys)], now: Date) throws -> CountLookup {
        var submitters: [Key<String>] = []
        var texts: [Key<[UInt8]>] = []
        var seenSubmitters: Set<Key<String>> = []
        var seenTexts: Set<Key<[UInt8]>> = []
        for (agency, keys) in responses {
            if let submitter = keys.submitter, seenSubmitters.insert(Key(agency: agency, value: submitter)).inserted {
                submitters.append(Key(agency: agency, value: submitter))
            }
            if let fingerprint = keys.textFingerprint, seenTexts.insert(Key(agency: agency, value: fingerprint)).inserted {
                texts.append(Key(agency: agency, value: fingerprint))
            }
        }
        guard !submitters.isEmpty || !texts.isEmpty else { return CountLookup(statement: nil, submitters: [], texts: []) }
        let configuration = detector.configuration
        // Rows name their key by its place in the arrays sent (`i`), not by echoing it back; fingerprints
        // travel as hex text.
        let statement = try PostgresStatement(
            """
            SELECT 's' AS kind, k.i, (SELECT count(*) FROM (SELECT 1 FROM intake.responses r
                    WHERE r.agency = k.agency AND r.submitter = k.value
                    AND r.received_at > $5::timestamptz - make_interval(secs => $6::double precision) LIMIT $7) AS bounded) AS seen
                FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(agency, value, i)
            UNION ALL
            SELECT 't', k.i, (SELECT count(*) FROM (SELECT 1 FROM intake.responses r
                    WHERE r.agency = k.agency AND r.text_fingerprint = decode(k.value, 'hex')
                    AND r.received_at > $5::timestamptz - make_interval(secs => $8::double precision) LIMIT $9) AS bounded)
                FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS k(agency, value, i)
            """,
            [
                PostgresTextArray(submitters.map(\.agency)), PostgresTextArray(submitters.map(\.value)),
                PostgresTextArray(texts.map(\.agency)), PostgresTextArray(texts.map { Hex.encode($0.value) }), now,
                Double(configuration.sourceWindowSeconds), configuration.sourceLimit + 1,
                Double(configuration.repeatWindowSeconds), configuration.repeatThreshold,
            ]
        )
        return CountLookup(statement: statement, submitters: submitters, texts: texts)
    }

    /// The counts of `responses` (each with its ``keys(of:)``), which must not be stored yet (found under the
    /// agencies' locks), in order: the `stored` responses counted under the same key plus the same key's
    /// earlier responses in the batch (which all share the batch's receipt time), up to and including each
    /// one, capped just past the thresholds. Store each response with its keys in the same transaction.
    func observe(_ responses: [(event: FeedbackEvent, keys: Keys)], stored: StoredCounts) -> [SpamDetector.Counts] {
        let configuration = detector.configuration
        let sourceCap = configuration.sourceLimit + 1
        let textCap = configuration.repeatThreshold
        var seenSubmitter = stored.submitters
        var seenText = stored.texts
        return responses.map { event, keys in
            var counts = SpamDetector.Counts(fromSubmitter: 0, sameText: 0)
            if let submitter = keys.submitter {
                let key = Key(agency: event.agency, value: submitter)
                let seen = (seenSubmitter[key] ?? 0) + 1
                seenSubmitter[key] = seen
                counts.fromSubmitter = min(seen, sourceCap)
            }
            if let fingerprint = keys.textFingerprint {
                let key = Key(agency: event.agency, value: fingerprint)
                let seen = (seenText[key] ?? 0) + 1
                seenText[key] = seen
                counts.sameText = min(seen, textCap)
            }
            return counts
        }
    }

    /// A submitter or a comment fingerprint, within one agency.
    fileprivate struct Key<Value: Hashable & Sendable>: Hashable, Sendable {
        var agency: String
        var value: Value
    }
}
