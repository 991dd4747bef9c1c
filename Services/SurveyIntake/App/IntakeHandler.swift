import CivicKafka
import CivicModels
import CivicRuntime
import Foundation
import Logging
import Metrics

/// survey-intake's stage: validate each submitted response, store it, and forward it (or its rejection).
///
/// De-duplication is by event id. A message whose event id was first stored from the very same topic
/// position is a replay of our own (after a crash) and is forwarded again, which downstream stages absorb
/// idempotently; a message whose event id was stored from elsewhere is a duplicate submission: it is
/// recorded and acknowledged, not forwarded.
struct IntakeHandler: BatchHandler {
    let validator: ResponseValidator
    let registry: AgencyRegistry
    let store: IntakeStore
    let logger: Logger
    let clock: @Sendable () -> Date

    private let encoder = CivicJSON.makeEncoder()
    private let rejectedCounter = Counter(label: "civic_intake_rejected_total")
    private let acceptedCounter = Counter(label: "civic_intake_accepted_total")
    private let duplicateCounter = Counter(label: "civic_intake_duplicates_total")

    init(
        validator: ResponseValidator,
        registry: AgencyRegistry,
        store: IntakeStore,
        logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.validator = validator
        self.registry = registry
        self.store = store
        self.logger = logger
        self.clock = clock
    }

    func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        let now = clock()
        var accepted: [IntakeStore.Accepted] = []
        var rejected: [IntakeStore.Rejected] = []
        for message in batch {
            switch validator.validate(message.value, now: now) {
            case .success(var event):
                if let rejection = try await registry.rejection(agency: event.agency, service: event.service, eventId: event.eventId) {
                    rejected.append(.init(rejection: rejection, source: message))
                    continue
                }
                event.schema = SchemaVersion.accepted
                // The token travels on to identity-verify but is never stored here.
                var stored = event
                stored.identity = nil
                let payload = String(decoding: try encoder.encode(stored), as: UTF8.self)
                accepted.append(.init(event: event, payload: payload, source: message))
            case .failure(let rejection):
                rejected.append(.init(rejection: rejection, source: message))
            }
        }
        let origins = try await store.write(accepted: accepted, rejected: rejected, now: now)

        var outputs: [KafkaOutboundMessage] = []
        outputs.reserveCapacity(batch.count)
        var duplicates = 0
        for item in accepted {
            guard let origin = origins[item.event.eventId],
                origin.topic == item.source.topic, origin.partition == item.source.partition, origin.offset == item.source.offset
            else {
                duplicates += 1
                logger.info("duplicate event id acknowledged, not forwarded", metadata: ["civic.event.id": "\(item.event.eventId)"])
                continue
            }
            var event = item.event
            event.receivedAt = origin.receivedAt
            outputs.append(KafkaOutboundMessage(topic: CivicTopic.accepted, key: event.eventId, value: Array(try encoder.encode(event))))
        }
        for item in rejected {
            let record = RejectedFeedback(
                code: item.rejection.code.rawValue,
                field: item.rejection.field,
                reason: item.rejection.reason,
                source: .init(topic: item.source.topic, partition: item.source.partition, offset: item.source.offset),
                original: item.source.value,
                eventId: item.rejection.eventId,
                rejectedAt: now
            )
            logger.notice(
                "response rejected",
                metadata: ["civic.rejection.code": "\(record.code)", "civic.rejection.reason": "\(record.reason)"]
            )
            outputs.append(
                KafkaOutboundMessage(topic: CivicTopic.rejected, key: item.rejection.eventId, value: Array(try encoder.encode(record)))
            )
        }
        acceptedCounter.increment(by: accepted.count - duplicates)
        duplicateCounter.increment(by: duplicates)
        rejectedCounter.increment(by: rejected.count)
        return outputs
    }
}
