import Foundation

/// A response that calls for service recovery, for an agency's case system, on ``CivicTopic/followUps``:
/// opened by reporting when a per-agency rule matches a scored response, once per response and rule (a
/// replayed response opens nothing new). It carries only what the rule needs: no answers beyond the trust
/// answer, the comment as identity-verify redacted it, and the respondent's pseudonym.
package struct FollowUpOpened: Codable, Sendable, Hashable {
    /// ``SchemaVersion/followUpOpened``.
    package var schema: String
    /// The case id: the same for the same agency, event and rule, so a case system can de-duplicate.
    package var caseId: String
    /// The agency.
    package var agency: String
    /// The service and channel of the response.
    package var service: String
    package var channel: Channel
    /// The response's event id.
    package var eventId: String
    /// The rule that matched.
    package var rule: String
    /// Why, in the rule's terms (for example `trust_low`, `frustration`, `detractor`).
    package var reasons: [String]
    /// The respondent's pseudonym, when the respondent was verified.
    package var respondent: String?
    /// The comment as identity-verify redacted it, when there was one.
    package var comment: String?
    /// When the response was collected.
    package var occurredAt: Date
    /// When the follow-up was opened.
    package var openedAt: Date
    /// When the agency aims to resolve it (its target).
    package var dueAt: Date

    /// Creates an event.
    package init(
        caseId: String,
        agency: String,
        service: String,
        channel: Channel,
        eventId: String,
        rule: String,
        reasons: [String],
        respondent: String?,
        comment: String?,
        occurredAt: Date,
        openedAt: Date,
        dueAt: Date
    ) {
        self.schema = SchemaVersion.followUpOpened
        self.caseId = caseId
        self.agency = agency
        self.service = service
        self.channel = channel
        self.eventId = eventId
        self.rule = rule
        self.reasons = reasons
        self.respondent = respondent
        self.comment = comment
        self.occurredAt = occurredAt
        self.openedAt = openedAt
        self.dueAt = dueAt
    }
}

/// A case system's word on a follow-up, on ``CivicTopic/caseUpdates``: acknowledged or resolved, with who
/// and when. reporting applies it to the follow-up it opened (the same agency and case id).
package struct CaseUpdate: Codable, Sendable, Hashable {
    /// Where a case stands.
    package enum State: String, Codable, Sendable, CaseIterable, FeedbackVocabulary {
        case acknowledged
        case resolved
    }

    /// ``SchemaVersion/caseUpdate``.
    package var schema: String
    /// The follow-up's case id.
    package var caseId: String
    /// The agency (must be the follow-up's).
    package var agency: String
    /// The new state.
    package var state: State
    /// Who (a caseworker id of the case system; at most 200 characters).
    package var actor: String
    /// When: not before the follow-up was opened, nor later than now plus ``maxClockSkew``.
    package var at: Date
    /// The agency's case system's proof of origin (``EventSignature``), by a key reporting holds for `agency`.
    package var signature: EventSignature?

    /// How far `at` may be ahead of reporting's clock (the case system's clock may run ahead): 2 minutes.
    package static let maxClockSkew: TimeInterval = 120

    /// Creates an update.
    package init(caseId: String, agency: String, state: State, actor: String, at: Date) {
        self.schema = SchemaVersion.caseUpdate
        self.caseId = caseId
        self.agency = agency
        self.state = state
        self.actor = actor
        self.at = at
        self.signature = nil
    }

    /// What is wrong with the update, as (field, reason), or `nil`.
    package var problem: (field: String, reason: String)? {
        if schema != SchemaVersion.caseUpdate { return ("schema", "\"\(schema.prefix(80))\" is not \(SchemaVersion.caseUpdate)") }
        for (field, value) in [("caseId", caseId), ("agency", agency), ("actor", actor)] {
            if value.isEmpty || value.count > 200 { return (field, "must be 1 to 200 characters") }
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return (field, "contains a control character")
            }
        }
        if !at.timeIntervalSince1970.isFinite { return ("at", "is not a time") }
        return nil
    }
}
