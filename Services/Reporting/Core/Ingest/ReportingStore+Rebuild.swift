import CivicModels
import CivicPostgres
import Foundation

/// What a rebuild counted.
package struct RebuildSummary: Sendable, Equatable, CustomStringConvertible {
    /// Stored responses read.
    var responses = 0
    /// Of those, spam-flagged and not counted.
    var spamFlagged = 0
    /// Of those, deleted (`reporting delete`) and not counted.
    var deleted = 0
    /// Stored operational events read.
    var operations = 0
    /// Cells (agency, service, channel, fiscal quarter) written.
    var cells = 0
    /// Measure rows written.
    var measures = 0

    package var description: String {
        "read \(responses) responses (\(spamFlagged) spam-flagged and \(deleted) deleted, not counted) and \(operations) operational events; "
            + "wrote \(measures) measures in \(cells) cells"
    }
}

extension ReportingStore {
    /// Rows read per round trip while rebuilding.
    static let rebuildPageSize = 5_000

    /// Recomputes every aggregate from the stored responses and operational events, in one transaction:
    /// deletes `reporting.cell_measures` and counts each stored row again with the same rules as ``ingest``.
    /// Rows keep the cell (fiscal quarter) they were stored with.
    package func rebuild() async throws -> RebuildSummary {
        try await client.withTransaction { connection in try await Self.rebuild(on: connection) }
    }

    /// ``rebuild()`` inside the caller's transaction, which it exempts from the statement timeout (a rebuild
    /// reads every stored row, however many there are). It starts from the measures of the rows the retention
    /// schedule purged (`reporting.retained_measures`) and adds every stored row.
    static func rebuild(on connection: PostgresConnection) async throws -> RebuildSummary {
        _ = try await connection.query("SET LOCAL statement_timeout = 0")
        var summary = RebuildSummary()
        try await connection.execute(
            script: """
                LOCK TABLE reporting.cell_measures IN EXCLUSIVE MODE;
                DELETE FROM reporting.cell_measures;
                INSERT INTO reporting.cell_measures (agency, service, channel, fiscal_year, fiscal_quarter, measure, n, hits, total)
                    SELECT agency, service, channel, fiscal_year, fiscal_quarter, measure, n, hits, total FROM reporting.retained_measures;
                """
        )
        let cells = try await measures(of: nil, on: connection, summary: &summary)
        try await add(cells, on: connection)
        try await CellVersions.bumpAll(on: connection)
        summary.cells = cells.count
        summary.measures = cells.values.map(\.measures.count).reduce(0, +)
        return summary
    }

    /// The measures of the stored rows (responses not spam-flagged, and operational events), counted with the
    /// same rules as ``ingest``; with `storedBefore`, only of the rows stored before it; responses and
    /// operational events unless `feedback` or `operations` is false.
    static func measures(
        of storedBefore: Date?,
        feedback readFeedback: Bool = true,
        operations readOperations: Bool = true,
        on connection: PostgresConnection,
        summary: inout RebuildSummary
    ) async throws -> [CellKey: CellMeasures] {
        var cells: [CellKey: CellMeasures] = [:]
        let decoder = CivicJSON.makeDecoder()
        let filter = storedBefore == nil ? "" : "AND stored_at < $3"
        let extra: [(any PostgresEncodable)?] = storedBefore.map { [$0] } ?? []
        var after = EventKey(agency: "", eventId: "")
        while readFeedback {
            let page = try await connection.query(
                """
                SELECT event_id, agency, service, channel, fiscal_year, fiscal_quarter, payload::text AS payload,
                       deleted_at IS NOT NULL AS deleted, spam_flagged
                FROM reporting.feedback WHERE (agency, event_id) > ($1, $2) \(filter) ORDER BY agency, event_id LIMIT \(rebuildPageSize)
                """,
                [after.agency, after.eventId] + extra
            )
            for row in page.rows {
                let payload: String = try row.require("payload")
                let event = try FeedbackEvent.decode(Array(payload.utf8), fallback: decoder)
                var feedback = FeedbackRow(event: event, payload: payload, fiscalYearStartMonth: 10)
                feedback.cell = try storedCell(row)
                // The stored verdict, not the event's: an admin's spam decision (SpamTriage) changes it.
                feedback.spamFlagged = try row.require("spam_flagged")
                summary.responses += 1
                if feedback.spamFlagged {
                    summary.spamFlagged += 1
                } else if try row.require("deleted", as: Bool.self) {
                    summary.deleted += 1
                } else {
                    cells[feedback.cell, default: CellMeasures()].add(feedback)
                }
                after = EventKey(agency: try row.require("agency"), eventId: try row.require("event_id"))
            }
            if page.count < rebuildPageSize { break }
        }
        after = EventKey(agency: "", eventId: "")
        while readOperations {
            let page = try await connection.query(
                """
                SELECT event_id, agency, service, channel, fiscal_year, fiscal_quarter, occurred_at, handle_seconds,
                       resolved_first_contact, digital
                FROM reporting.operations WHERE (agency, event_id) > ($1, $2) \(filter) ORDER BY agency, event_id LIMIT \(rebuildPageSize)
                """,
                [after.agency, after.eventId] + extra
            )
            for row in page.rows {
                let operation = OperationsRow(
                    eventId: try row.require("event_id"),
                    cell: try storedCell(row),
                    occurredAt: try row.require("occurred_at"),
                    handleSeconds: try row.decode("handle_seconds"),
                    resolvedFirstContact: try row.decode("resolved_first_contact"),
                    digital: try row.require("digital")
                )
                summary.operations += 1
                cells[operation.cell, default: CellMeasures()].add(operation)
                after = EventKey(agency: operation.cell.agency, eventId: operation.eventId)
            }
            if page.count < rebuildPageSize { break }
        }
        return cells
    }

    /// Adds one stored response's measures to the aggregates of its cell (`counted`: an admin decided it is not
    /// spam) or takes them away (decided spam), with the same rules as ``rebuild()``, so the figures are the
    /// same to the last digit as a rebuild's: every measure is a sum (exact: `numeric`), and a measure row left
    /// at zero is deleted, as a rebuild would never write it. The caller holds the response's row lock and
    /// reads it with `agency, service, channel, fiscal_year, fiscal_quarter` and `payload::text AS payload`;
    /// only that cell's measure rows are written (and row-locked until the caller's transaction ends), so
    /// ingestion into other cells, and other agencies, goes on.
    static func recount(_ row: PostgresRow, counted: Bool, on connection: PostgresConnection) async throws {
        let payload: String = try row.require("payload")
        let event = try FeedbackEvent.decode(Array(payload.utf8), fallback: CivicJSON.makeDecoder())
        var feedback = FeedbackRow(event: event, payload: payload, fiscalYearStartMonth: 10)
        feedback.cell = try storedCell(row)
        var measures = CellMeasures()
        measures.add(feedback)
        if !counted { measures.measures = measures.measures.mapValues(\.negated) }
        try await add([feedback.cell: measures], on: connection)
        if !counted {
            let cell = feedback.cell
            _ = try await connection.query(
                """
                DELETE FROM reporting.cell_measures
                WHERE agency = $1 AND service = $2 AND channel = $3 AND fiscal_year = $4 AND fiscal_quarter = $5
                  AND n = 0 AND hits = 0 AND total = 0
                """,
                [cell.agency, cell.service, cell.channel, cell.quarter.fiscalYear, cell.quarter.quarter]
            )
        }
        try await CellVersions.bump([feedback.cell], on: connection)
    }

    private static func storedCell(_ row: PostgresRow) throws -> CellKey {
        CellKey(
            agency: try row.require("agency"),
            service: try row.require("service"),
            channel: try row.require("channel"),
            quarter: FiscalQuarter(fiscalYear: try row.require("fiscal_year"), quarter: try row.require("fiscal_quarter"))
        )
    }
}

extension ReportingStore {
    /// Rebuilds the aggregates when there are stored responses or operational events but no aggregates at all
    /// (a database upgraded past migration 3, which replaced the old per-cell table, or aggregates deleted by
    /// hand); otherwise does nothing. Called at start-up, so an upgrade needs no manual step.
    /// - Returns: What the rebuild counted, or `nil` when none was needed.
    package func rebuildIfAggregatesMissing() async throws -> RebuildSummary? {
        let state = try await client.query(
            """
            SELECT (EXISTS (SELECT 1 FROM reporting.feedback WHERE NOT excluded)
                    OR EXISTS (SELECT 1 FROM reporting.operations))
                   AND NOT EXISTS (SELECT 1 FROM reporting.cell_measures) AS missing
            """
        )
        guard try state.first?.require("missing", as: Bool.self) == true else { return nil }
        return try await rebuild()
    }
}
