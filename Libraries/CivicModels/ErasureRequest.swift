import Foundation

/// A request to erase an agency's events from every stage, on ``CivicTopic/erasures``: a respondent's
/// deletion request, a withdrawn test submission, a mistaken upload. Every stage consumes the topic in its own
/// consumer group, deletes the events' rows from its own schema and keeps only their keys (a tombstone), so
/// that a replay of the events from any topic cannot bring them back.
package struct ErasureRequest: Codable, Sendable, Hashable {
    /// ``SchemaVersion/erasure``.
    package var schema: String
    /// The requester's id for this request (idempotency and audit); at most ``maxTextLength`` characters.
    package var requestId: String
    /// The agency whose events these are; another agency's events with the same ids are left alone.
    package var agency: String
    /// The events' ids, 1 to ``maxEventIds`` of them, each 1 to ``maxEventIdLength`` characters.
    package var eventIds: [String]
    /// Why, kept with each tombstone for the audit trail; at most ``maxTextLength`` characters.
    package var reason: String
    /// Who asked (a staff subject or a tool's name); at most ``maxTextLength`` characters.
    package var requestedBy: String
    /// When it was asked.
    package var requestedAt: Date
    /// The publisher's proof of origin (``EventSignature``); every stage refuses a request without a valid one.
    package var signature: EventSignature?

    /// Most event ids in one request (longer lists are sent as several requests): 2,000 ids of 200 characters
    /// stay well inside the broker's default message limit of 1 MB.
    package static let maxEventIds = 2_000
    /// The longest event id, as survey-intake accepts them.
    package static let maxEventIdLength = 200
    /// The longest agency code, as survey-intake accepts them.
    package static let maxAgencyLength = 100
    /// The longest request id, reason or requester.
    package static let maxTextLength = 500

    /// Creates a request.
    package init(requestId: String, agency: String, eventIds: [String], reason: String, requestedBy: String, requestedAt: Date) {
        self.schema = SchemaVersion.erasure
        self.requestId = requestId
        self.agency = agency
        self.eventIds = eventIds
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.signature = nil
    }

    /// What is wrong with the request, as (field, reason), or `nil` when every stage can apply it: an internal
    /// topic is input like any other, so each stage checks it before it deletes anything.
    package var problem: (field: String, reason: String)? {
        if schema != SchemaVersion.erasure { return ("schema", "\"\(schema.prefix(80))\" is not \(SchemaVersion.erasure)") }
        for (field, value, limit) in [
            ("requestId", requestId, Self.maxTextLength), ("agency", agency, Self.maxAgencyLength),
            ("reason", reason, Self.maxTextLength), ("requestedBy", requestedBy, Self.maxTextLength),
        ] {
            if let problem = Self.textProblem(value, limit: limit) { return (field, problem) }
        }
        if eventIds.isEmpty { return ("eventIds", "is empty") }
        if eventIds.count > Self.maxEventIds { return ("eventIds", "has \(eventIds.count) ids; the limit is \(Self.maxEventIds)") }
        for (index, id) in eventIds.enumerated() {
            if let problem = Self.textProblem(id, limit: Self.maxEventIdLength) { return ("eventIds[\(index)]", problem) }
        }
        return nil
    }

    private static func textProblem(_ value: String, limit: Int) -> String? {
        if value.trimmingCharacters(in: .whitespaces).isEmpty { return "is empty" }
        if value.count > limit { return "is \(value.count) characters; the limit is \(limit)" }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "contains a control character"
        }
        return nil
    }

    /// The events' keys.
    package var keys: [EventKey] { eventIds.map { EventKey(agency: agency, eventId: $0) } }
}
