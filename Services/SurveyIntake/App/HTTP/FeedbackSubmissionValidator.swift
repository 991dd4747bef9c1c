import CivicModels
import Foundation

/// Validates submitted survey responses over HTTP exactly as the topic path does (``ResponseValidator`` and
/// ``AgencyRegistry``, same codes and reasons), refuses agencies the API key does not belong to, and fills
/// in a missing `submitter`.
struct FeedbackSubmissionValidator: HTTPItemValidator {
    let validator: ResponseValidator
    let registry: AgencyRegistry
    /// Where already received event ids are found (`intake.responses`).
    let stored: StoredEventLookup

    var topic: String { CivicTopic.submitted }

    func verdict(for item: [UInt8], in submission: SubmissionContext) async throws -> ItemVerdict {
        let event: FeedbackEvent
        switch validator.validate(item, now: submission.now) {
        case .failure(let rejection): return .rejected(ItemRefusal(rejection))
        case .success(let valid): event = valid
        }
        guard event.agency == submission.agency else {
            return .rejected(.forbiddenAgency(event.agency, permitted: submission.agency, eventId: event.eventId))
        }
        if let rejection = try await registry.rejection(agency: event.agency, service: event.service, eventId: event.eventId) {
            return .rejected(ItemRefusal(rejection))
        }
        guard event.submitter == nil else { return .valid(eventId: event.eventId, value: item) }
        return .valid(eventId: event.eventId, value: try Self.adding(submitter: submission.submitter, to: item))
    }

    func alreadyReceived(_ eventIds: [String]) async throws -> Set<String> {
        try await stored.existing(eventIds)
    }

    /// The item with `"submitter"` set, keeping the client's bytes otherwise. A validated item is a non-empty
    /// object, so when it has no `submitter` key at all the field goes right after its `{` (no re-parse); an
    /// explicit `"submitter": null` is replaced by re-encoding the object instead.
    static func adding(submitter: String, to item: [UInt8]) throws -> [UInt8] {
        let name = Array("submitter".utf8)
        // A key spelled with escapes (`"\u0073ubmitter"`) is caught by the `\u` check.
        let mayHaveKey = item.indices.contains { start in
            (item[start] == name[0] && item[start...].starts(with: name))
                || (item[start] == UInt8(ascii: "\\") && start + 1 < item.count && item[start + 1] == UInt8(ascii: "u"))
        }
        if !mayHaveKey, let brace = item.firstIndex(of: UInt8(ascii: "{")) {
            let field = Array(#""submitter":"#.utf8) + Array(try JSONEncoder().encode(submitter)) + [UInt8(ascii: ",")]
            var bytes = item
            bytes.insert(contentsOf: field, at: brace + 1)
            return bytes
        }
        guard var object = try JSONSerialization.jsonObject(with: Data(item)) as? [String: Any] else { return item }
        object["submitter"] = submitter
        return Array(try JSONSerialization.data(withJSONObject: object))
    }
}
