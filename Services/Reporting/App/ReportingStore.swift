import CivicModels
import CivicPostgres
import Foundation

/// reporting's tables in its own `reporting` schema: every scored response and operational event (the
/// source of truth, so aggregates can be rebuilt), and per-cell quarterly aggregates updated
/// incrementally in the same transaction as the rows they count.
struct ReportingStore: Sendable {
    let client: PostgresClient

    static let migrations = PostgresMigrations(
        schema: "reporting",
        migrations: [
            PostgresMigration(
                version: 1,
                name: "feedback, operations, quarterly cells",
                sql: """
                    CREATE TABLE reporting.feedback (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        level text NOT NULL,
                        form text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        spam_flagged boolean NOT NULL,
                        respondent text,
                        journey_id text,
                        stage text,
                        trust_favourable boolean,
                        satisfaction_favourable boolean,
                        recommend integer,
                        compound double precision,
                        payload jsonb NOT NULL
                    );
                    CREATE INDEX feedback_cell ON reporting.feedback (agency, fiscal_year, fiscal_quarter, service, channel);
                    CREATE TABLE reporting.operations (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        handle_seconds double precision,
                        resolved_first_contact boolean,
                        digital boolean NOT NULL
                    );
                    CREATE TABLE reporting.quarterly_cells (
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        fiscal_year integer NOT NULL,
                        fiscal_quarter integer NOT NULL,
                        responses bigint NOT NULL DEFAULT 0,
                        trust_n bigint NOT NULL DEFAULT 0,
                        trust_favourable bigint NOT NULL DEFAULT 0,
                        satisfaction_n bigint NOT NULL DEFAULT 0,
                        satisfaction_favourable bigint NOT NULL DEFAULT 0,
                        recommend_n bigint NOT NULL DEFAULT 0,
                        promoters bigint NOT NULL DEFAULT 0,
                        detractors bigint NOT NULL DEFAULT 0,
                        sentiment_n bigint NOT NULL DEFAULT 0,
                        sentiment_sum double precision NOT NULL DEFAULT 0,
                        sentiment_positive bigint NOT NULL DEFAULT 0,
                        sentiment_negative bigint NOT NULL DEFAULT 0,
                        contacts bigint NOT NULL DEFAULT 0,
                        resolved_first bigint NOT NULL DEFAULT 0,
                        handle_n bigint NOT NULL DEFAULT 0,
                        handle_sum double precision NOT NULL DEFAULT 0,
                        digital_contacts bigint NOT NULL DEFAULT 0,
                        PRIMARY KEY (agency, fiscal_year, fiscal_quarter, service, channel)
                    );
                    """
            ),
            PostgresMigration(
                version: 2,
                name: "comments left unscored (not English)",
                sql: """
                    ALTER TABLE reporting.feedback ADD COLUMN unscored_reason text;
                    ALTER TABLE reporting.quarterly_cells ADD COLUMN sentiment_unscored bigint NOT NULL DEFAULT 0;
                    """
            ),
            ReportingStore.levelsAndExportsMigration,
        ]
    )

    /// Stores scored responses and operational events; only rows not seen before change the aggregates.
    /// - Returns: How many rows were new.
    @discardableResult
    func ingest(feedback: [FeedbackRow], operations: [OperationsRow]) async throws -> Int {
        try await client.withTransaction { connection in
            var cells: [CellKey: CellDelta] = [:]
            var fresh = try await Self.insertNew(feedback.map(\.values), into: "reporting.feedback", columns: FeedbackRow.columns, on: connection)
            var inserted = fresh.count
            // Each newly stored event id counts once, even when a replay put it twice in this batch.
            for row in feedback where fresh.remove(row.eventId) != nil && !row.spamFlagged {
                cells[row.cell, default: CellDelta()].add(row)
            }
            fresh = try await Self.insertNew(operations.map(\.values), into: "reporting.operations", columns: OperationsRow.columns, on: connection)
            inserted += fresh.count
            for row in operations where fresh.remove(row.eventId) != nil {
                cells[row.cell, default: CellDelta()].add(row)
            }
            guard !cells.isEmpty else { return inserted }
            let columns = ["agency", "service", "channel", "fiscal_year", "fiscal_quarter"] + CellDelta.columns
            let updates = CellDelta.columns.map { "\($0) = reporting.quarterly_cells.\($0) + EXCLUDED.\($0)" }.joined(separator: ", ")
            try await connection.insert(
                into: "reporting.quarterly_cells",
                columns: columns,
                rows: cells.map { key, delta in
                    [key.agency, key.service, key.channel, key.quarter.fiscalYear, key.quarter.quarter] + delta.values
                },
                suffix: "ON CONFLICT (agency, fiscal_year, fiscal_quarter, service, channel) DO UPDATE SET \(updates)"
            )
            return inserted
        }
    }
}

extension ReportingStore {
    /// Inserts rows whose first column is `event_id`, skipping ids already stored, and returns the ids
    /// that were new.
    private static func insertNew(
        _ rows: [[(any PostgresEncodable)?]],
        into table: String,
        columns: [String],
        on connection: PostgresConnection
    ) async throws -> Set<String> {
        guard !rows.isEmpty else { return [] }
        let result = try await connection.insert(
            into: table,
            columns: columns,
            rows: rows,
            suffix: "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
        )
        return Set(result.values.compactMap { $0.first ?? nil })
    }
}

/// The cell a row is counted in.
struct CellKey: Hashable {
    var agency: String
    var service: String
    var channel: String
    var quarter: FiscalQuarter
}

/// What a batch adds to one cell.
struct CellDelta {
    static let columns = [
        "responses", "trust_n", "trust_favourable", "satisfaction_n", "satisfaction_favourable", "recommend_n", "promoters",
        "detractors", "sentiment_n", "sentiment_sum", "sentiment_positive", "sentiment_negative", "contacts", "resolved_first",
        "handle_n", "handle_sum", "digital_contacts", "sentiment_unscored",
    ]

    var sentimentUnscored = 0
    var responses = 0, trustN = 0, trustFavourable = 0, satisfactionN = 0, satisfactionFavourable = 0
    var recommendN = 0, promoters = 0, detractors = 0
    var sentimentN = 0, sentimentSum = 0.0, sentimentPositive = 0, sentimentNegative = 0
    var contacts = 0, resolvedFirst = 0, handleN = 0, handleSum = 0.0, digitalContacts = 0

    var values: [(any PostgresEncodable)?] {
        [
            responses, trustN, trustFavourable, satisfactionN, satisfactionFavourable, recommendN, promoters, detractors,
            sentimentN, sentimentSum, sentimentPositive, sentimentNegative, contacts, resolvedFirst, handleN, handleSum,
            digitalContacts, sentimentUnscored,
        ]
    }

    mutating func add(_ row: FeedbackRow) {
        responses += 1
        if let favourable = row.trustFavourable {
            trustN += 1
            if favourable { trustFavourable += 1 }
        }
        if let favourable = row.satisfactionFavourable {
            satisfactionN += 1
            if favourable { satisfactionFavourable += 1 }
        }
        if let recommend = row.recommend {
            recommendN += 1
            if recommend >= 9 { promoters += 1 }
            if recommend <= 6 { detractors += 1 }
        }
        if row.unscoredReason != nil { sentimentUnscored += 1 }
        if let compound = row.compound {
            sentimentN += 1
            sentimentSum += compound
            if compound >= 0.05 { sentimentPositive += 1 }
            if compound <= -0.05 { sentimentNegative += 1 }
        }
    }

    mutating func add(_ row: OperationsRow) {
        contacts += 1
        if row.resolvedFirstContact == true { resolvedFirst += 1 }
        if let seconds = row.handleSeconds {
            handleN += 1
            handleSum += seconds
        }
        if row.digital { digitalContacts += 1 }
    }
}

/// A scored response as reporting stores it.
struct FeedbackRow {
    static let columns = [
        "event_id", "agency", "service", "channel", "level", "form", "fiscal_year", "fiscal_quarter", "occurred_at",
        "spam_flagged", "respondent", "journey_id", "stage", "trust_favourable", "satisfaction_favourable", "recommend",
        "compound", "payload", "unscored_reason",
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

    init(event: FeedbackEvent, payload: String, fiscalYearStartMonth: Int) {
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
        self.unscoredReason = reason == "no_comment" ? nil : reason
        self.payload = payload
    }

    var values: [(any PostgresEncodable)?] {
        [
            eventId, cell.agency, cell.service, cell.channel, event.level.rawValue, event.form.rawValue, cell.quarter.fiscalYear,
            cell.quarter.quarter, event.occurredAt, spamFlagged, event.respondent?.pseudonym, event.journeyId, event.stage,
            trustFavourable, satisfactionFavourable, recommend, compound, payload, unscoredReason,
        ]
    }
}

/// An operational event as reporting stores it.
struct OperationsRow {
    static let columns = [
        "event_id", "agency", "service", "channel", "fiscal_year", "fiscal_quarter", "occurred_at", "handle_seconds",
        "resolved_first_contact", "digital", "survey_offered",
    ]

    var eventId: String
    var cell: CellKey
    var occurredAt: Date
    var handleSeconds: Double?
    var resolvedFirstContact: Bool?
    var digital: Bool
    var surveyOffered: Bool?

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
    }

    var values: [(any PostgresEncodable)?] {
        [
            eventId, cell.agency, cell.service, cell.channel, cell.quarter.fiscalYear, cell.quarter.quarter, occurredAt,
            handleSeconds, resolvedFirstContact, digital, surveyOffered,
        ]
    }
}
