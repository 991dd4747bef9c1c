import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import ReportingCore

/// Two reporting replicas adding to the same cells at once, against a real PostgreSQL: each writes its cells in
/// the key's order, so neither ever holds a row the other waits for while waiting itself (PostgreSQL would
/// abort one of them as a deadlock, `40P01`).
@Suite(.hangGuard)
struct CellMeasuresLockOrderTests {
    static let logger = Logger(label: "cell-lock-order")

    @Test func replicasAddingToTheSameCellsNeverDeadlock() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "lockorder", ReportingStore.migrations, logger: Self.logger)
        defer { client.close() }
        // Two cells whose dictionary order is the reverse of their key order, so a batch written in dictionary
        // order would lock the later cell first: the case that deadlocks when written unordered.
        var measures = CellMeasures()
        measures.measures["responses"] = MeasureTotals(n: 1, hits: 0, total: 0)
        let quarter = FiscalQuarter(fiscalYear: 2027, quarter: 1)
        var pair: (first: CellKey, second: CellKey)?
        for index in 0..<64 where pair == nil {
            let a = CellKey(agency: "IRS", service: "svc-\(index)", channel: "web", quarter: quarter)
            let b = CellKey(agency: "IRS", service: "svc-\(index)-b", channel: "web", quarter: quarter)
            if Array([a: measures, b: measures].keys) == [b, a] { pair = (a, b) }
        }
        let (first, second) = try #require(pair, "no pair of cells found whose dictionary order is reversed")
        #expect(first < second)
        let both = [first: measures, second: measures]
        let firstOnly = [first: measures]
        let secondOnly = [second: measures]

        // Replica A holds the first cell; replica B adds both (waiting for the first); then A adds the second.
        let replicaB = try await client.withTransaction { a -> Task<Void, any Error> in
            try await ReportingStore.add(firstOnly, on: a)
            let replicaB = Task { try await client.withTransaction { b in try await ReportingStore.add(both, on: b) } }
            // Wait (on a condition, bounded by the hang guard) until B, the only other session on this database,
            // is blocked on a lock A holds.
            while try await Self.blockedSessions(client) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            try await ReportingStore.add(secondOnly, on: a)
            // A commits as the closure returns; B then goes on.
            return replicaB
        }
        try await replicaB.value
        let counts = try await client.query(
            "SELECT service, n FROM reporting.cell_measures WHERE agency = 'IRS' AND measure = 'responses' ORDER BY service"
        )
        var byService: [String: Int] = [:]
        for row in counts.rows { byService[try row.require("service")] = try row.require("n") }
        #expect(byService == [first.service: 2, second.service: 2])
    }

    /// Sessions on this test's database waiting for a lock.
    private static func blockedSessions(_ client: PostgresClient) async throws -> Int {
        let rows = try await client.query(
            """
            SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
            WHERE NOT l.granted AND s.datname = current_database()
            """
        )
        return try rows.rows.first?.require("n") ?? 0
    }
}
