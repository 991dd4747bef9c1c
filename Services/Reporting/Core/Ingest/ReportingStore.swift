import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// reporting's tables in its own `reporting` schema: every scored response and operational event (the
/// source of truth, so aggregates can be rebuilt), and per-cell quarterly measures updated
/// incrementally in the same transaction as the rows they count.
package struct ReportingStore: Sendable {
    let client: PostgresClient

    /// A store in `client`'s database (reporting's migrations must be applied).
    package init(client: PostgresClient) {
        self.client = client
    }

    /// What a batch stored.
    struct Ingested: Sendable {
        /// Rows that were new.
        var inserted = 0
        /// Follow-ups opened by the new responses (each response and rule once).
        var followUps: [FollowUpOpened] = []
    }

    /// Stores scored responses and operational events; only rows not seen before change the aggregates, and
    /// only new responses that are not spam open follow-ups under `rules`, in the same transaction.
    /// Spam-flagged responses are stored (reviewable) but never counted.
    @discardableResult
    func ingest(
        feedback: [FeedbackRow],
        operations: [OperationsRow],
        rules: FollowUpRules = FollowUpRules(),
        now: Date = Date()
    ) async throws -> Ingested {
        try await client.withTransaction { connection in
            // Erased events (a tombstone) are neither stored nor counted.
            let erased = try await Self.erased.lockAndFind(
                feedback.map { EventKey(agency: $0.cell.agency, eventId: $0.eventId) }
                    + operations.map { EventKey(agency: $0.cell.agency, eventId: $0.eventId) },
                on: connection
            )
            let feedback = ErasedEvents.excluding(erased, from: feedback) { EventKey(agency: $0.cell.agency, eventId: $0.eventId) }
            let operations = ErasedEvents.excluding(erased, from: operations) { EventKey(agency: $0.cell.agency, eventId: $0.eventId) }
            var cells: [CellKey: CellMeasures] = [:]
            var result = Ingested()
            var fresh = try await Self.insertNew(feedback.map(\.values), into: "reporting.feedback", columns: FeedbackRow.columns, on: connection)
            result.inserted = fresh.count
            // Each newly stored event id counts once, even when a replay put it twice in this batch.
            var counted: [FeedbackRow] = []
            for row in feedback where fresh.remove(EventKey(agency: row.cell.agency, eventId: row.eventId)) != nil && !row.spamFlagged {
                cells[row.cell, default: CellMeasures()].add(row)
                counted.append(row)
            }
            fresh = try await Self.insertNew(operations.map(\.values), into: "reporting.operations", columns: OperationsRow.columns, on: connection)
            result.inserted += fresh.count
            for row in operations where fresh.remove(EventKey(agency: row.cell.agency, eventId: row.eventId)) != nil {
                cells[row.cell, default: CellMeasures()].add(row)
            }
            try await Self.add(cells, on: connection)
            try await CellVersions.bump(cells.keys, on: connection)
            result.followUps = try await Self.openFollowUps(for: counted, rules: rules, now: now, on: connection)
            return result
        }
    }

    /// Adds `cells` to `reporting.cell_measures`, in the order of its key: replicas adding to the same cells at
    /// once lock their rows in the same order, so neither can hold one the other waits for while it waits.
    static func add(_ cells: [CellKey: CellMeasures], to table: String = "reporting.cell_measures", on connection: PostgresConnection) async throws {
        let rows: [[(any PostgresEncodable)?]] = cells.sorted { $0.key < $1.key }.flatMap { key, cell in
            cell.measures.sorted { $0.key < $1.key }.map { name, totals in
                [key.agency, key.service, key.channel, key.quarter.fiscalYear, key.quarter.quarter, name, totals.n, totals.hits, totals.totalText]
            }
        }
        guard !rows.isEmpty else { return }
        try await connection.insert(
            into: table,
            columns: ["agency", "service", "channel", "fiscal_year", "fiscal_quarter", "measure", "n", "hits", "total"],
            rows: rows,
            suffix: """
                ON CONFLICT (agency, fiscal_year, fiscal_quarter, service, channel, measure) DO UPDATE SET
                n = \(table).n + EXCLUDED.n, hits = \(table).hits + EXCLUDED.hits, total = \(table).total + EXCLUDED.total
                """
        )
    }
}

extension ReportingStore {
    /// Inserts rows whose first columns are `event_id` and `agency`, skipping events already stored, and
    /// returns the events that were new.
    private static func insertNew(
        _ rows: [[(any PostgresEncodable)?]],
        into table: String,
        columns: [String],
        on connection: PostgresConnection
    ) async throws -> Set<EventKey> {
        guard !rows.isEmpty else { return [] }
        let result = try await connection.insert(
            into: table,
            columns: columns,
            rows: rows,
            suffix: "ON CONFLICT (agency, event_id) DO NOTHING RETURNING agency, event_id"
        )
        return Set(
            result.values.compactMap { values in
                guard values.count == 2, let agency = values[0], let eventId = values[1] else { return nil }
                return EventKey(agency: agency, eventId: eventId)
            }
        )
    }
}
