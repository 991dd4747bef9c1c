import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Tombstones and the retention purge against a real PostgreSQL: an erasure that races a write path ends with
/// the event gone either way, and a purge deletes only rows past their kind's retention, leaving tombstones.
@Suite(.hangGuard) struct ErasedEventsTests {
    static let logger = Logger(label: "erased-events-tests")
    static let erased = ErasedEvents(schema: "demo")
    static let rows = ErasedEvents.EventTable("demo.rows")
    static let migrations = PostgresMigrations(
        schema: "demo",
        migrations: [
            PostgresMigration(
                version: 1,
                name: "rows and a log",
                sql: ErasedEvents.createTableSQL(schema: "demo") + """

                    CREATE TABLE demo.rows (agency text NOT NULL, event_id text NOT NULL, stored_at timestamptz NOT NULL,
                        PRIMARY KEY (agency, event_id));
                    CREATE TABLE demo.log (at timestamptz NOT NULL);
                    """
            )
        ]
    )

    @Test func anErasureWaitsForAWriteInFlightAndDeletesWhatItStored() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "erased", Self.migrations, logger: Self.logger)
        defer { client.close() }
        let key = EventKey(agency: "IRS", eventId: "e-1")
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        // A write path's transaction: no tombstone yet, so it stores the event, and holds its transaction open.
        let writer = Task {
            try await client.withTransaction { connection in
                let found = try await Self.erased.lockAndFind([key], on: connection)
                try await connection.query("INSERT INTO demo.rows VALUES ('IRS', 'e-1', now())")
                for await _ in released { break }
                return found
            }
        }
        // The writer holds its lock.
        try await Self.waitUntil(client) {
            let rows = try await client.query(
                """
                SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = 'erased_events' AND l.mode = 'RowShareLock' AND l.granted
                """
            )
            return try rows.first?.require("n", as: Int64.self) == 1
        }
        // The erasure starts while the write is in flight: it must wait for it, then delete what it stored.
        let eraser = Task {
            try await client.withTransaction { connection in
                try await Self.erased.erase([key], from: [Self.rows], cause: .request, requestId: "r-1", on: connection)
            }
        }
        try await Self.waitUntilABackendWaits(client, forLockOn: "erased_events", count: 1)
        release.yield()
        #expect(try await writer.value.isEmpty)
        let erasure = try await eraser.value
        #expect(erasure.deleted["demo.rows"] == 1)
        #expect(erasure.events == [key])
        #expect(erasure.tombstones == 1)
        // The next write finds the tombstone; erasing again changes nothing.
        let found = try await client.withTransaction { try await Self.erased.lockAndFind([key, EventKey(agency: "SSA", eventId: "e-1")], on: $0) }
        #expect(found == [key])
        let again = try await client.withTransaction {
            try await Self.erased.erase([key], from: [Self.rows], cause: .request, requestId: "r-2", on: $0)
        }
        #expect(again == ErasedEvents.Erasure(deleted: ["demo.rows": 0], events: [], tombstones: 0))
    }

    @Test func aPurgeDeletesOnlyRowsPastTheirKindsRetentionAndLeavesTombstones() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "purge", Self.migrations, logger: Self.logger)
        defer { client.close() }
        try await client.query(
            "INSERT INTO demo.rows VALUES ('IRS', 'old', now() - interval '1096 days'), ('IRS', 'new', now() - interval '1094 days')"
        )
        try await client.query("INSERT INTO demo.log VALUES (now() - interval '91 days'), (now() - interval '89 days')")
        let purge = RetentionPurge(
            rules: [
                RetentionRule(.responses, table: "demo.rows", timestampColumn: "stored_at", event: Self.rows),
                RetentionRule(.rejections, table: "demo.log", timestampColumn: "at"),
            ],
            erased: Self.erased
        )
        var keepLogs = RetentionSchedule()
        keepLogs.rejectionDays = 0  // kept for ever
        #expect(try await purge.run(schedule: keepLogs, client: client).deleted == ["demo.rows": 1])
        #expect(try await purge.run(schedule: RetentionSchedule(), client: client).deleted == ["demo.rows": 0, "demo.log": 1])
        let left = try await client.query("SELECT event_id FROM demo.rows")
        #expect(try left.rows.map { try $0.require("event_id", as: String.self) } == ["new"])
        let tombstones = try await client.query("SELECT event_id, cause FROM demo.erased_events")
        #expect(
            try tombstones.rows.map { "\(try $0.require("event_id", as: String.self)):\(try $0.require("cause", as: String.self))" } == [
                "old:retention"
            ]
        )
    }

    /// Waits until `count` backends wait for a lock (on the relation named `relation`, when given).
    static func waitUntilABackendWaits(_ client: PostgresClient, forLockOn relation: String?, count: Int64) async throws {
        try await waitUntil(client) {
            let rows = try await client.query(
                """
                SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE NOT l.granted AND ($1::text IS NULL OR c.relname = $1)
                """,
                [relation]
            )
            return try rows.first?.require("n", as: Int64.self) == count
        }
    }

    static func waitUntil(_ client: PostgresClient, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestEnvironmentError("condition not met within the hang guard")
    }
}
