import CivicKafka
import CivicModels
import CivicRuntime
import Foundation
import Logging
import Metrics

/// survey-intake's stage: validate each submission (a survey response or an operations event), check that it
/// came in on its own agency's topic, store it, and forward it (or its rejection).
///
/// The agency is the topic's, never the body's: a submission read from `cx.feedback.submitted.v1.<agency>` whose
/// `agency` names another agency is dead-lettered as `agency_mismatch`, and anything read from the retired shared
/// topic `cx.feedback.submitted.v1` as `topic_retired` (``TopicBinding``); neither reaches the registries,
/// de-duplication, the spam ledger or any figure.
///
/// De-duplication is by event id. A message whose event id was first stored from the very same topic
/// position is a replay of our own (after a crash) and is forwarded again, with the verdict stored the first
/// time, which downstream stages absorb idempotently; a message whose event id was stored from elsewhere is
/// a duplicate submission: it is recorded and acknowledged, not forwarded.
///
/// Responses go to ``CivicTopic/accepted`` with their spam assessment (flagged ones too, so they stay
/// reviewable downstream but are never counted); operations events go to ``CivicTopic/operations``.
struct IntakeHandler: BatchHandler {
    let validator: SubmissionValidator
    let admission: SubmissionAdmission
    let store: IntakeStore
    let ledger: SpamLedger
    let logger: Logger
    let clock: @Sendable () -> Date

    private let encoder = CivicJSON.makeEncoder()
    /// `civic_intake_rejected_total{code}`, every code at zero from the start.
    private let rejectedCounters = Dictionary(
        uniqueKeysWithValues: RejectionCode.allCases.map { ($0, Counter(label: "civic_intake_rejected_total", dimensions: [("code", $0.rawValue)])) }
    )
    private let acceptedCounter = Counter(label: "civic_intake_accepted_total")
    private let operationsCounter = Counter(label: "civic_intake_operations_accepted_total")
    private let praExpiredCounter = Counter(label: "civic_intake_pra_expired_total")
    private let duplicateCounter = Counter(label: "civic_intake_duplicates_total")
    private let erasedCounter = Counter(label: "civic_intake_erased_skipped_total")
    private let spamCounters = Dictionary(
        uniqueKeysWithValues: SpamDetector.Reason.allCases.map {
            ($0, Counter(label: "civic_intake_spam_flagged_total", dimensions: [("reason", $0.rawValue)]))
        }
    )

    init(
        validator: SubmissionValidator,
        admission: SubmissionAdmission,
        store: IntakeStore,
        spam: SpamDetector = SpamDetector(),
        logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.validator = validator
        self.admission = admission
        self.store = store
        self.ledger = SpamLedger(detector: spam)
        self.logger = logger
        self.clock = clock
    }

    typealias Prepared = Validated

    /// A validated batch, not stored yet.
    struct Validated: Sendable {
        var now: Date
        var accepted: [IntakeStore.Accepted] = []
        var operations: [IntakeStore.AcceptedOperations] = []
        var rejected: [IntakeStore.Rejected] = []
    }

    /// Validates the batch (and checks the registries), writing nothing: it runs while the previous batch is
    /// being stored.
    func prepare(_ batch: [KafkaConsumerMessage]) async throws -> Validated {
        // Whole milliseconds, as timestamps are written: a replay reads back exactly the receivedAt it first sent.
        let now = Date(timeIntervalSince1970: (clock().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        var validated = Validated(now: now)
        for message in batch {
            let bound = TopicBinding.bind(validator.validate(message.value, now: now), to: message.topic)
            switch try await bound.asyncFlatMap(admission.admit) {
            case .success(let submission):
                switch submission {
                case .response(var event):
                    event.schema = SchemaVersion.accepted
                    if event.instrument?.praExpired == true { praExpiredCounter.increment() }
                    // The spam keys (a fold and a digest of the comment) and the forwarded form are made here, off
                    // the storing path.
                    validated.accepted.append(.init(event: event, source: message, ledger: ledger, receivedAt: now))
                case .operations(let event):
                    validated.operations.append(.init(event: event, source: message))
                }
            case .failure(let rejection):
                validated.rejected.append(.init(rejection: rejection, source: message))
            }
        }
        return validated
    }

    /// Prepares and handles one batch, the two steps the stream processor runs separately.
    func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        try await handle(try await prepare(batch))
    }

    /// Stores a validated batch in one transaction and returns what to forward: new responses and operations
    /// events (and replays of our own), and every rejection.
    func handle(_ validated: Validated) async throws -> [KafkaOutboundMessage] {
        let (now, accepted, operations, rejected) = (validated.now, validated.accepted, validated.operations, validated.rejected)
        let written = try await store.write(accepted: accepted, operations: operations, rejected: rejected, ledger: ledger, now: now)

        var outputs: [KafkaOutboundMessage] = []
        outputs.reserveCapacity(accepted.count + operations.count + rejected.count)
        var duplicates = 0
        var forwardedOperations = 0
        var erased = 0
        for item in accepted {
            if written.erased.contains(item.event.key) {
                erased += 1
                logger.info("erased event id acknowledged, not stored or forwarded", metadata: ["civic.event.id": "\(item.event.eventId)"])
                continue
            }
            guard let origin = written.responses[item.event.key], origin.isOrigin(of: item.source) else {
                duplicates += 1
                logger.info("duplicate event id acknowledged, not forwarded", metadata: ["civic.event.id": "\(item.event.eventId)"])
                continue
            }
            if let encoded = written.encoded[item.event.key] {
                outputs.append(
                    KafkaOutboundMessage(topic: CivicTopic.accepted, key: item.event.eventId, value: encoded).carryingTimestamp(of: item.source)
                )
                continue
            }
            // A replay of our own: forwarded again with the verdict and receipt time stored the first time.
            var event = item.event
            event.receivedAt = origin.receivedAt
            event.spam = origin.spam
            event.honeypot = nil
            outputs.append(
                KafkaOutboundMessage(topic: CivicTopic.accepted, key: event.eventId, value: try event.contractJSON()).carryingTimestamp(
                    of: item.source
                )
            )
        }
        for item in operations {
            if written.erased.contains(item.event.key) {
                erased += 1
                logger.info("erased event id acknowledged, not stored or forwarded", metadata: ["civic.event.id": "\(item.event.eventId)"])
                continue
            }
            guard let origin = written.operations[item.event.key], origin.isOrigin(of: item.source) else {
                duplicates += 1
                logger.info("duplicate operations event id acknowledged, not forwarded", metadata: ["civic.event.id": "\(item.event.eventId)"])
                continue
            }
            forwardedOperations += 1
            outputs.append(
                KafkaOutboundMessage(topic: CivicTopic.operations, key: item.event.eventId, value: Array(try encoder.encode(item.event)))
                    .carryingTimestamp(of: item.source)
            )
        }
        for item in rejected {
            let record = RejectedFeedback(
                code: item.rejection.code,
                field: item.rejection.field,
                reason: item.rejection.reason,
                source: .init(topic: item.source.topic, partition: item.source.partition, offset: item.source.offset),
                original: item.source.value,
                eventId: item.rejection.eventId,
                rejectedAt: now
            )
            logger.notice(
                "submission rejected",
                metadata: ["civic.rejection.code": "\(record.code)", "civic.rejection.reason": "\(record.reason)"]
            )
            outputs.append(
                KafkaOutboundMessage(topic: CivicTopic.rejected, key: record.eventId, value: Array(try encoder.encode(record)))
                    .carryingTimestamp(of: item.source)
            )
        }
        for verdict in written.newlyFlagged {
            for reason in verdict.reasons { spamCounters[reason]?.increment() }
        }
        acceptedCounter.increment(by: accepted.count + operations.count - duplicates - erased - forwardedOperations)
        erasedCounter.increment(by: erased)
        operationsCounter.increment(by: forwardedOperations)
        duplicateCounter.increment(by: duplicates)
        for item in rejected { rejectedCounters[item.rejection.code]?.increment() }
        return outputs
    }
}
