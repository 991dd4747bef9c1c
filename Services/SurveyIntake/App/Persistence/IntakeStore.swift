import CivicIdentity
import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// survey-intake's tables in its own `intake` schema: accepted responses (identity token and honeypot
/// removed, comment redacted, spam verdict and signal keys kept, see ``SpamLedger``), operations events,
/// rejections (code, reason, field, size, SHA-256 digest and a redacted excerpt, never the bytes, see
/// ``RejectionDigest``), and duplicate submissions.
struct IntakeStore: Sendable {
    let client: PostgresClient

    /// One accepted response to store; its spam verdict is decided while it is stored.
    struct Accepted: Sendable {
        var event: FeedbackEvent
        var source: KafkaConsumerMessage
        /// What the spam signals count it under (``SpamLedger/keys(of:)``).
        var spamKeys: SpamLedger.Keys
        /// Its forwarded form encoded ahead, if the counts leave the verdict as expected.
        var encoded: Encoded?

        /// Prepares `event` for storing, received at `receivedAt`, and encodes it ahead under the verdict it
        /// gets if nothing else is counted under its keys, the verdict of nearly every response, so storing
        /// encodes again only responses whose counts change it.
        init(event: FeedbackEvent, source: KafkaConsumerMessage, ledger: SpamLedger, receivedAt: Date) {
            self.event = event
            self.source = source
            self.spamKeys = ledger.keys(of: event)
            let alone = ledger.detector.assess(event, counts: ledger.countsAlone(spamKeys))
            self.encoded = try? Encoded(event, spam: alone, receivedAt: receivedAt)
        }
    }

    /// A response's forwarded form (``FeedbackEvent`` with `receivedAt` and `spam`, no honeypot) and its
    /// stored form (the same without an identity token and with its comment redacted by ``PIIRedactor``: no
    /// token and no unredacted free text is stored here), encoded. The forwarded form keeps the token and the
    /// comment as submitted for identity-verify, which verifies the one and redacts the other itself.
    struct Encoded: Sendable {
        /// The verdict encoded.
        var spam: SpamAssessment
        var forwarded: [UInt8]
        var stored: [UInt8]

        /// The redactor every stored comment passes.
        static let redactor = PIIRedactor()

        init(_ event: FeedbackEvent, spam: SpamAssessment, receivedAt: Date) throws {
            var event = event
            event.spam = spam
            event.receivedAt = receivedAt
            event.honeypot = nil
            self.spam = spam
            self.forwarded = try event.contractJSON()
            let redacted = event.comment.map { Self.redactor.redact($0) }
            if event.identity == nil, redacted?.didRedact != true {
                self.stored = forwarded
            } else {
                event.identity = nil
                event.comment = redacted?.text
                self.stored = try event.contractJSON()
            }
        }
    }

    /// One accepted operations event to store.
    struct AcceptedOperations: Sendable {
        var event: OperationsEvent
        var source: KafkaConsumerMessage
    }

    /// One rejected input to store.
    struct Rejected: Sendable {
        var rejection: Rejection
        var source: KafkaConsumerMessage
    }

    /// Where each event id was first stored from, when it was received, and (for responses) its spam verdict.
    struct StoredOrigin: Hashable {
        var topic: String
        var partition: Int32
        var offset: Int64
        var receivedAt: Date
        var spam: SpamAssessment?

        /// Whether `message` is the very message this event was first stored from (a replay, not a duplicate).
        func isOrigin(of message: KafkaConsumerMessage) -> Bool {
            topic == message.topic && partition == message.partition && offset == message.offset
        }
    }

    /// What a batch write stored.
    struct Written {
        /// The stored origin of every accepted response.
        var responses: [EventKey: StoredOrigin] = [:]
        /// The stored origin of every accepted operations event.
        var operations: [EventKey: StoredOrigin] = [:]
        /// The verdicts of responses flagged as spam by this write (not replays), for the metrics.
        var newlyFlagged: [SpamAssessment] = []
        /// The forwarded form (``FeedbackEvent`` with `receivedAt` and `spam`, no honeypot) of each response
        /// first stored by this write, already encoded.
        var encoded: [EventKey: [UInt8]] = [:]
        /// Events of the batch that were erased (a tombstone): neither stored nor forwarded.
        var erased: Set<EventKey> = []
    }

    /// Stores a batch in one transaction. New responses are observed by the spam ledger in order and stored
    /// with their verdict and `now` as `receivedAt` (pass a time in whole milliseconds, as events carry it); the returned origins let the caller tell a first delivery or a replay of the same
    /// message (same origin, same stored verdict) from a duplicate.
    func write(
        accepted: [Accepted],
        operations: [AcceptedOperations] = [],
        rejected: [Rejected],
        ledger: SpamLedger,
        now: Date
    ) async throws -> Written {
        let encoder = CivicJSON.makeEncoder()
        return try await client.withTransaction { connection in
            var written = Written()
            // One round trip (BEGIN goes with it): the erasures' lock and the batch's tombstones (an erased event
            // is neither stored nor counted nor forwarded), the agencies' locks, then, seeing every response
            // committed by concurrent batches (other replicas) before the locks were granted, the ones already
            // stored and the spam counts under every accepted response's keys.
            let batchKeys = accepted.map(\.event.key) + operations.map(\.event.key)
            var statements: [PostgresStatement] = []
            if !batchKeys.isEmpty { statements += [try Self.erased.lockStatement(), try Self.erased.findStatement(batchKeys)] }
            let erasedResults = statements.count
            let locks = try ledger.lockStatements(agencies: Set(accepted.map(\.event.agency)))
            let lookup = try ledger.countLookup(accepted.map { ($0.event.agency, $0.spamKeys) }, now: now)
            statements += locks
            if !accepted.isEmpty {
                statements.append(
                    try PostgresStatement(
                        """
                        SELECT r.agency, r.event_id, source_topic, source_partition, source_offset, received_at, spam_flagged,
                            array_to_string(spam_reasons, ',') AS spam_reasons
                            FROM intake.responses r JOIN unnest($1::text[], $2::text[]) AS k (agency, event_id)
                            ON r.agency = k.agency COLLATE "C" AND r.event_id = k.event_id COLLATE "C"
                        """,
                        Self.keyParameters(accepted.map(\.event.key))
                    )
                )
            }
            if let counting = lookup.statement { statements.append(counting) }
            let results = try await connection.pipeline(statements)
            if erasedResults > 0 { written.erased = try Self.erased.keys(in: results[erasedResults - 1]) }
            let storedBefore = accepted.isEmpty ? [:] : try origins(results[erasedResults + locks.count], withSpam: true)
            let stored = lookup.statement == nil ? SpamLedger.StoredCounts() : try lookup.counts(results[erasedResults + locks.count + 1])
            let accepted = ErasedEvents.excluding(written.erased, from: accepted, key: \.event.key)
            let operations = ErasedEvents.excluding(written.erased, from: operations, key: \.event.key)
            // The fresh ones are copied in without conflicts, each event once (its first message in the batch).
            var seen = Set(storedBefore.keys)
            let fresh = accepted.filter { seen.insert($0.event.key).inserted }
            let counts = ledger.observe(fresh.map { ($0.event, $0.spamKeys) }, stored: stored)
            if !fresh.isEmpty {
                // COPY, not INSERT: no statement of thousands of parameters to parse and plan; the rows stream
                // to the server while the next ones are made. The agency's lock keeps other batches (other
                // replicas) from storing the same event meanwhile.
                try await connection.copy(
                    into: "intake.responses",
                    columns: [
                        "event_id", "agency", "service", "channel", "occurred_at", "received_at", "source_topic",
                        "source_partition", "source_offset", "spam_flagged", "spam_reasons", "payload", "submitter", "text_fingerprint",
                    ]
                ) { writer in
                    for (item, counted) in zip(fresh, counts) {
                        let event = item.event
                        let spam = ledger.detector.assess(event, counts: counted)
                        // What is forwarded: the event as received, stamped and judged, honeypot removed.
                        let encoded = try item.encoded.flatMap { $0.spam == spam ? $0 : nil } ?? Encoded(event, spam: spam, receivedAt: now)
                        // First stored from this very message: its origin, and (when flagged) a new verdict for the metrics.
                        written.responses[event.key] = StoredOrigin(
                            topic: item.source.topic,
                            partition: item.source.partition,
                            offset: item.source.offset,
                            receivedAt: now,
                            spam: spam
                        )
                        if spam.flagged { written.newlyFlagged.append(spam) }
                        written.encoded[event.key] = encoded.forwarded
                        try writer.append([
                            event.eventId, event.agency, event.service, event.channel.rawValue, event.occurredAt, now,
                            item.source.topic, item.source.partition, item.source.offset, spam.flagged,
                            PostgresTextArray(spam.reasons.map(\.rawValue)), String(decoding: encoded.stored, as: UTF8.self), item.spamKeys.submitter,
                            item.spamKeys.textFingerprint,
                        ])
                    }
                }
            }
            if !operations.isEmpty {
                try await connection.insert(
                    into: "intake.operations",
                    columns: [
                        "event_id", "agency", "service", "channel", "occurred_at", "received_at", "source_topic",
                        "source_partition", "source_offset", "payload",
                    ],
                    rows: try operations.map { item -> [(any PostgresEncodable)?] in
                        [
                            item.event.eventId, item.event.agency, item.event.service, item.event.channel.rawValue,
                            item.event.occurredAt, now, item.source.topic, item.source.partition, item.source.offset,
                            String(decoding: try encoder.encode(item.event), as: UTF8.self),
                        ]
                    },
                    suffix: "ON CONFLICT (agency, event_id) DO NOTHING"
                )
            }
            if !rejected.isEmpty {
                try await connection.insert(
                    into: "intake.rejections",
                    columns: [
                        "source_topic", "source_partition", "source_offset", "code", "field", "reason", "event_id",
                        "original_size", "original_sha256", "excerpt", "rejected_at",
                    ],
                    rows: rejected.map { item -> [(any PostgresEncodable)?] in
                        let kept = RejectionDigest(item.source.value)
                        return [
                            item.source.topic, item.source.partition, item.source.offset, item.rejection.code.rawValue,
                            item.rejection.field.map(RejectionDigest.storable), RejectionDigest.storable(item.rejection.reason),
                            item.rejection.eventId, kept.size, kept.sha256, kept.excerpt, now,
                        ]
                    },
                    suffix: "ON CONFLICT DO NOTHING"
                )
            }
            written.responses.merge(storedBefore) { fresh, _ in fresh }
            if !operations.isEmpty {
                let rows = try await connection.query(
                    """
                    SELECT o.agency, o.event_id, source_topic, source_partition, source_offset, received_at
                        FROM intake.operations o JOIN unnest($1::text[], $2::text[]) AS k (agency, event_id)
                        ON o.agency = k.agency COLLATE "C" AND o.event_id = k.event_id COLLATE "C"
                    """,
                    Self.keyParameters(operations.map(\.event.key))
                )
                written.operations = try origins(rows, withSpam: false)
            }
            let duplicates =
                accepted.compactMap { item in written.responses[item.event.key].map { (item.event.key, item.source, $0) } }
                + operations.compactMap { item in written.operations[item.event.key].map { (item.event.key, item.source, $0) } }
            let duplicateRows = duplicates.filter { !$0.2.isOrigin(of: $0.1) }
            if !duplicateRows.isEmpty {
                try await connection.insert(
                    into: "intake.duplicates",
                    columns: ["source_topic", "source_partition", "source_offset", "agency", "event_id", "seen_at"],
                    rows: duplicateRows.map { [$0.1.topic, $0.1.partition, $0.1.offset, $0.0.agency, $0.0.eventId, now] },
                    suffix: "ON CONFLICT DO NOTHING"
                )
            }
            return written
        }
    }

    /// `keys` as the two parallel text arrays (agencies, event ids) a `unnest($1, $2)` join reads.
    private static func keyParameters(_ keys: [EventKey]) -> [(any PostgresEncodable)?] {
        let unique = Array(Set(keys))
        return [PostgresTextArray(unique.map(\.agency)), PostgresTextArray(unique.map(\.eventId))]
    }

    /// The stored origins in `rows` (`agency`, `event_id`, `source_*`, `received_at`, and with `withSpam`
    /// the verdict as `spam_flagged` and comma-joined `spam_reasons`), by event.
    private func origins(_ rows: PostgresRows, withSpam: Bool) throws -> [EventKey: StoredOrigin] {
        var origins: [EventKey: StoredOrigin] = [:]
        for row in rows.rows {
            var spam: SpamAssessment?
            if withSpam {
                let reasons = try row.decode("spam_reasons", as: String.self) ?? ""
                spam = SpamAssessment(
                    flagged: try row.require("spam_flagged"),
                    reasons: reasons.split(separator: ",").compactMap { SpamReason(rawValue: String($0)) }
                )
            }
            origins[EventKey(agency: try row.require("agency"), eventId: try row.require("event_id"))] = StoredOrigin(
                topic: try row.require("source_topic"),
                partition: try row.require("source_partition"),
                offset: try row.require("source_offset"),
                receivedAt: try row.require("received_at"),
                spam: spam
            )
        }
        return origins
    }
}
