import CivicJSON
import CivicModels
import Foundation

/// Validates the items of one HTTP submission route exactly as the topic path does (``SubmissionValidator``
/// and ``SubmissionAdmission``, same codes and reasons), restricted to the route's one schema, refuses agencies the
/// API key does not belong to, and fills in a missing `submitter` on survey responses.
///
/// `POST /v1/responses` takes ``SchemaVersion/submitted`` (duplicates looked up in `intake.responses`),
/// `POST /v1/operations` takes ``SchemaVersion/operations`` (in `intake.operations`). Valid items are
/// published to the API key's agency's own topic (``CivicTopic/submitted(agency:)``), where survey-intake's stream
/// processor stores and forwards them.
struct SubmissionItemValidator: HTTPItemValidator {
    /// The schema this route accepts.
    let schema: String
    let validator: SubmissionValidator
    let admission: SubmissionAdmission
    /// Where already received event ids are found.
    let stored: StoredEventLookup

    func verdict(for item: [UInt8], in submission: SubmissionContext) async throws -> ItemVerdict {
        let valid: Submission
        switch validator.validate(item, now: submission.now, accepting: [schema]) {
        case .failure(let rejection): return .rejected(ItemRefusal(rejection))
        case .success(let accepted): valid = accepted
        }
        guard valid.agency == submission.agency else {
            return .rejected(.forbiddenAgency(valid.agency, permitted: submission.agency, eventId: valid.eventId))
        }
        if case .failure(let rejection) = try await admission.admit(valid) {
            return .rejected(ItemRefusal(rejection))
        }
        guard case .response(let event) = valid, event.submitter == nil, let submitter = submission.submitter else {
            return .valid(eventId: valid.eventId, value: item)
        }
        return .valid(eventId: valid.eventId, value: try Self.adding(submitter: submitter, to: item))
    }

    func alreadyReceived(_ eventIds: [String], agency: String, before: Date) async throws -> Set<String> {
        try await stored.existing(eventIds, agency: agency, receivedBefore: before)
    }

    /// The item with `"submitter"` set, keeping the client's bytes otherwise. A validated item is a non-empty
    /// object, so when it has no `submitter` key at all (read with ``CivicJSON/JSONScanner``, escaped spellings
    /// included) the field goes right after its `{`; an explicit `"submitter": null` is replaced by re-encoding
    /// the object instead.
    static func adding(submitter: String, to item: [UInt8]) throws -> [UInt8] {
        var scanner = JSONScanner(item)
        var hasKey = false
        let readable = scanner.object { scanner, key in
            if key.elementsEqual("submitter".utf8) { hasKey = true }
            return scanner.skipValue()
        }
        if readable, !hasKey, let brace = item.firstIndex(of: UInt8(ascii: "{")) {
            let field = Array(#""submitter":"#.utf8) + Array(JSONString.quoted(submitter).utf8) + [UInt8(ascii: ",")]
            var bytes = item
            bytes.insert(contentsOf: field, at: brace + 1)
            return bytes
        }
        guard var object = try JSONSerialization.jsonObject(with: Data(item)) as? [String: Any] else { return item }
        object["submitter"] = submitter
        return Array(try JSONSerialization.data(withJSONObject: object))
    }
}
