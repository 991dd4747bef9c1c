import CivicModels
import CivicPostgres
import Foundation

/// A stage's tombstones: the keys of the events it erased (by an `ErasureRequest` or by its retention
/// schedule), kept in `<schema>.erased_events` with why and when, and nothing else of them.
///
/// Every write path of the stage asks ``lockAndFind(_:on:)`` inside its own transaction which of its events
/// are erased, and neither stores nor forwards those; ``erase(_:from:cause:requestId:at:on:)`` deletes rows and
/// writes tombstones under a lock that conflicts with the write paths' lock, so an event stored by a batch
/// that raced the erasure is deleted by it (the erasure waits for that batch to commit), and an event arriving
/// after it finds its tombstone. Either order ends with the event gone, and a replay cannot bring it back.
package struct ErasedEvents: Sendable {
    /// Why an event was erased.
    package enum Cause: String, Sendable {
        /// An `ErasureRequest` (a respondent's request, a withdrawn submission).
        case request
        /// The retention schedule.
        case retention
    }

    /// The stage's schema, for example `scorer`.
    package let schema: String

    /// The tombstones of `schema`.
    package init(schema: String) {
        self.schema = schema
    }

    /// The table, `<schema>.erased_events`.
    package var table: String { "\(schema).erased_events" }

    /// The migration SQL that creates the table (each stage puts it in its own schema's migrations).
    package static func createTableSQL(schema: String) -> String {
        """
        CREATE TABLE \(schema).erased_events (
            agency text COLLATE "C" NOT NULL,
            event_id text COLLATE "C" NOT NULL,
            cause text NOT NULL CHECK (cause IN ('request', 'retention')),
            request_id text,
            erased_at timestamptz NOT NULL,
            PRIMARY KEY (agency, event_id)
        );
        """
    }

    /// The statement that takes the write paths' lock (ROW SHARE, which conflicts only with an erasure's
    /// EXCLUSIVE lock); a write path sends it first in its transaction, then ``findStatement(_:)``.
    package func lockStatement() throws -> PostgresStatement {
        try PostgresStatement("LOCK TABLE \(table) IN ROW SHARE MODE")
    }

    /// The statement that reads which of `keys` are erased (columns `agency`, `event_id`).
    package func findStatement(_ keys: [EventKey]) throws -> PostgresStatement {
        let unique = Array(Set(keys))
        return try PostgresStatement(
            """
            SELECT e.agency, e.event_id FROM \(table) e JOIN unnest($1::text[], $2::text[]) AS k (agency, event_id)
                ON e.agency = k.agency COLLATE "C" AND e.event_id = k.event_id COLLATE "C"
            """,
            [PostgresTextArray(unique.map(\.agency)), PostgresTextArray(unique.map(\.eventId))]
        )
    }

    /// The keys in the rows a ``findStatement(_:)`` returned.
    package func keys(in rows: PostgresRows) throws -> Set<EventKey> {
        Set(try rows.rows.map { EventKey(agency: try $0.require("agency"), eventId: try $0.require("event_id")) })
    }

    /// Takes the write paths' lock and returns which of `keys` are erased, inside the caller's transaction.
    package func lockAndFind(_ keys: [EventKey], on connection: PostgresConnection) async throws -> Set<EventKey> {
        guard !keys.isEmpty else { return [] }
        let results = try await connection.pipeline([try lockStatement(), try findStatement(keys)])
        return try self.keys(in: results[1])
    }

    /// What an erasure did.
    package struct Erasure: Sendable, Equatable {
        /// Rows deleted, per table.
        package var deleted: [String: Int] = [:]
        /// The events that had rows here.
        package var events: Set<EventKey> = []
        /// Tombstones newly written (events already erased are not counted again).
        package var tombstones = 0

        /// An erasure's outcome.
        package init(deleted: [String: Int] = [:], events: Set<EventKey> = [], tombstones: Int = 0) {
            self.deleted = deleted
            self.events = events
            self.tombstones = tombstones
        }
    }

    /// A table holding rows of events, by the columns that name the event.
    package struct EventTable: Sendable, Hashable {
        /// The table, schema-qualified.
        package var name: String
        /// The agency column. Default: `agency`.
        package var agencyColumn: String
        /// The event id column. Default: `event_id`.
        package var eventIdColumn: String

        /// A table whose rows are keyed by `agency` and `event_id`.
        package init(_ name: String, agencyColumn: String = "agency", eventIdColumn: String = "event_id") {
            self.name = name
            self.agencyColumn = agencyColumn
            self.eventIdColumn = eventIdColumn
        }
    }

    /// Deletes the events' rows from `tables` and writes their tombstones, inside the caller's transaction,
    /// after taking the lock that waits for every write path's transaction in flight.
    package func erase(
        _ keys: [EventKey],
        from tables: [EventTable],
        cause: Cause,
        requestId: String?,
        at time: Date = Date(),
        on connection: PostgresConnection
    ) async throws -> Erasure {
        let unique = Array(Set(keys))
        guard !unique.isEmpty else { return Erasure() }
        let parameters: [(any PostgresEncodable)?] = [PostgresTextArray(unique.map(\.agency)), PostgresTextArray(unique.map(\.eventId))]
        try await connection.execute(script: "LOCK TABLE \(table) IN EXCLUSIVE MODE")
        var erasure = Erasure()
        for table in tables {
            let rows = try await connection.query(
                """
                DELETE FROM \(table.name) t USING unnest($1::text[], $2::text[]) AS k (agency, event_id)
                WHERE t.\(table.agencyColumn) = k.agency COLLATE "C" AND t.\(table.eventIdColumn) = k.event_id COLLATE "C"
                RETURNING k.agency, k.event_id
                """,
                parameters
            )
            erasure.deleted[table.name] = rows.count
            for row in rows.rows { erasure.events.insert(EventKey(agency: try row.require("agency"), eventId: try row.require("event_id"))) }
        }
        let written = try await connection.query(
            """
            WITH written AS (
                INSERT INTO \(table) (agency, event_id, cause, request_id, erased_at)
                SELECT k.agency, k.event_id, $3, $4, $5 FROM unnest($1::text[], $2::text[]) AS k (agency, event_id)
                ON CONFLICT (agency, event_id) DO NOTHING RETURNING 1
            ) SELECT count(*) AS n FROM written
            """,
            parameters + [cause.rawValue, requestId, time]
        )
        erasure.tombstones = Int(try written.first?.require("n", as: Int64.self) ?? 0)
        return erasure
    }

    /// Applies `rule` with the cutoff `before`, inside the caller's transaction: deletes the rows older than the
    /// cutoff and, when the rule's rows are events, writes their tombstones, so a replay cannot bring them back.
    /// - Returns: How many rows were deleted.
    package func purge(_ rule: RetentionRule, before cutoff: Date, at time: Date = Date(), on connection: PostgresConnection) async throws -> Int {
        let rows: PostgresRows
        if let function = rule.purgeFunction {
            rows = try await connection.query("SELECT \(function)($1::timestamptz) AS n", [cutoff])
        } else if let event = rule.event {
            try await connection.execute(script: "LOCK TABLE \(table) IN EXCLUSIVE MODE")
            rows = try await connection.query(
                """
                WITH gone AS (
                    DELETE FROM \(rule.table) WHERE \(rule.timestampColumn) < $1
                    RETURNING \(event.agencyColumn) AS agency, \(event.eventIdColumn) AS event_id
                ), written AS (
                    INSERT INTO \(table) (agency, event_id, cause, request_id, erased_at)
                    SELECT DISTINCT agency, event_id, 'retention', NULL::text, $2::timestamptz FROM gone
                    WHERE agency IS NOT NULL AND event_id IS NOT NULL
                    ON CONFLICT (agency, event_id) DO NOTHING
                ) SELECT count(*) AS n FROM gone
                """,
                [cutoff, time]
            )
        } else {
            rows = try await connection.query(
                "WITH gone AS (DELETE FROM \(rule.table) WHERE \(rule.timestampColumn) < $1 RETURNING 1) SELECT count(*) AS n FROM gone",
                [cutoff]
            )
        }
        return Int(try rows.first?.require("n", as: Int64.self) ?? 0)
    }
}
