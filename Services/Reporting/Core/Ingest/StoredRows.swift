import CivicModels
import CivicPostgres
import Foundation

/// The cell a row is counted in.
struct CellKey: Hashable, Sendable, Comparable {
    var agency: String
    var service: String
    var channel: String
    var quarter: FiscalQuarter

    /// The order of `reporting.cell_measures`' key (agency, quarter, service, channel): every transaction
    /// writes cells in it, so two that touch the same cells lock them in the same order and never deadlock.
    static func < (lhs: CellKey, rhs: CellKey) -> Bool {
        (lhs.agency, lhs.quarter.fiscalYear, lhs.quarter.quarter, lhs.service, lhs.channel)
            < (rhs.agency, rhs.quarter.fiscalYear, rhs.quarter.quarter, rhs.service, rhs.channel)
    }
}

/// A scored response as reporting stores it.
struct FeedbackRow {
    static let columns = [
        "event_id", "agency", "service", "channel", "level", "form", "fiscal_year", "fiscal_quarter", "occurred_at",
        "spam_flagged", "respondent", "journey_id", "stage", "trust_favourable", "satisfaction_favourable", "recommend",
        "compound", "payload", "unscored_reason", "trace_id",
    ]

    var eventId: String
    var cell: CellKey
    var event: FeedbackEvent
    var spamFlagged: Bool
    var trustFavourable: Bool?
    var satisfactionFavourable: Bool?
    var recommend: Int?
    var compound: Double?
    /// Why a comment was left unscored for sentiment (not English); `nil` when scored or when there was no comment.
    var unscoredReason: String?
    var payload: String
    /// The W3C trace id of the response's trace (its record's `traceparent`), so an operator can find the trace of
    /// a stored row; `nil` when the record carried none.
    var traceId: String?

    init(event: FeedbackEvent, payload: String, fiscalYearStartMonth: Int, traceId: String? = nil) {
        self.event = event
        self.eventId = event.eventId
        self.cell = CellKey(
            agency: event.agency,
            service: event.service,
            channel: event.channel.rawValue,
            quarter: FiscalQuarter(containing: event.occurredAt, startMonth: fiscalYearStartMonth)
        )
        self.spamFlagged = event.spam?.flagged ?? false
        self.trustFavourable = event.answers.trust?.isFavourable
        self.satisfactionFavourable = event.answers.satisfaction.map { $0 >= 4 }
        self.recommend = event.answers.recommend
        self.compound = event.sentiment?.compound
        let reason = event.scorer?.unscoredReason
        self.unscoredReason = reason == .noComment ? nil : reason?.rawValue
        self.payload = payload
        self.traceId = traceId
    }

    var values: [(any PostgresEncodable)?] {
        [
            eventId, cell.agency, cell.service, cell.channel, event.level.rawValue, event.form.rawValue, cell.quarter.fiscalYear,
            cell.quarter.quarter, event.occurredAt, spamFlagged, event.respondent?.pseudonym, event.journeyId, event.stage,
            trustFavourable, satisfactionFavourable, recommend, compound, payload, unscoredReason, traceId,
        ]
    }
}

/// An operational event as reporting stores it.
struct OperationsRow {
    static let columns = [
        "event_id", "agency", "service", "channel", "fiscal_year", "fiscal_quarter", "occurred_at", "handle_seconds",
        "resolved_first_contact", "digital", "survey_offered", "touchpoint",
    ]

    var eventId: String
    var cell: CellKey
    var occurredAt: Date
    var handleSeconds: Double?
    var resolvedFirstContact: Bool?
    var digital: Bool
    var surveyOffered: Bool?
    /// The transaction point, when the event names one.
    var touchpoint: String?

    init(eventId: String, cell: CellKey, occurredAt: Date, handleSeconds: Double?, resolvedFirstContact: Bool?, digital: Bool) {
        self.eventId = eventId
        self.cell = cell
        self.occurredAt = occurredAt
        self.handleSeconds = handleSeconds
        self.resolvedFirstContact = resolvedFirstContact
        self.digital = digital
    }

    init(event: OperationsEvent, fiscalYearStartMonth: Int) {
        eventId = event.eventId
        cell = CellKey(
            agency: event.agency,
            service: event.service,
            channel: event.channel.rawValue,
            quarter: FiscalQuarter(containing: event.occurredAt, startMonth: fiscalYearStartMonth)
        )
        occurredAt = event.occurredAt
        handleSeconds = event.handleSeconds
        resolvedFirstContact = event.resolvedFirstContact
        digital = event.channel.isDigital
        surveyOffered = event.surveyOffered
        touchpoint = event.touchpoint
    }

    var values: [(any PostgresEncodable)?] {
        [
            eventId, cell.agency, cell.service, cell.channel, cell.quarter.fiscalYear, cell.quarter.quarter, occurredAt,
            handleSeconds, resolvedFirstContact, digital, surveyOffered, touchpoint,
        ]
    }
}
