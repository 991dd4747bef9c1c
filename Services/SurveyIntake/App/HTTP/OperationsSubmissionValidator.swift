import CivicModels
import Foundation

/// Validates operational events (`cx.operations/1`, ``OperationsEvent``) submitted over HTTP
/// (`POST /v1/operations`) exactly as the topic path does (``OperationsValidator`` and ``AgencyRegistry``,
/// same codes and reasons), and refuses agencies the API key does not belong to.
///
/// Valid items are published unchanged to ``CivicTopic/submitted``, where survey-intake's stream processor
/// stores them in `intake.operations` and forwards them to ``CivicTopic/operations``.
struct OperationsSubmissionValidator: HTTPItemValidator {
    let validator: OperationsValidator
    let registry: AgencyRegistry
    /// Where already received event ids are found (`intake.operations`).
    let stored: StoredEventLookup

    var topic: String { CivicTopic.submitted }

    func verdict(for item: [UInt8], in submission: SubmissionContext) async throws -> ItemVerdict {
        let envelope: SubmissionEnvelope
        switch SubmissionEnvelope.open(item, maxPayloadBytes: validator.shared.maxPayloadBytes) {
        case .failure(let rejection): return .rejected(ItemRefusal(rejection))
        case .success(let opened): envelope = opened
        }
        guard envelope.schema == SchemaVersion.operations else {
            return .rejected(ItemRefusal(envelope.unsupportedSchema(expected: [SchemaVersion.operations])))
        }
        let event: OperationsEvent
        switch validator.validate(envelope, now: submission.now) {
        case .failure(let rejection): return .rejected(ItemRefusal(rejection))
        case .success(let valid): event = valid
        }
        guard event.agency == submission.agency else {
            return .rejected(.forbiddenAgency(event.agency, permitted: submission.agency, eventId: event.eventId))
        }
        if let rejection = try await registry.rejection(agency: event.agency, service: event.service, eventId: event.eventId) {
            return .rejected(ItemRefusal(rejection))
        }
        return .valid(eventId: event.eventId, value: item)
    }

    func alreadyReceived(_ eventIds: [String]) async throws -> Set<String> {
        try await stored.existing(eventIds)
    }
}
