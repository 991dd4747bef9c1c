import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Reading results in batches through a server-side cursor, against a real server.
@Suite(.hangGuard)
struct PostgresCursorTests {
    private func client() async throws -> PostgresClient {
        let url = try await TestPostgres.shared().makeDatabase(prefix: "cursor")
        return PostgresClient(configuration: PostgresConfiguration(connectionString: url), logger: Logger(label: "cursor-tests"))
    }

    @Test func batchesCoverEveryRowInOrderAndNoBatchIsLargerThanAsked() async throws {
        let client = try await client()
        var seen: [Int] = []
        var sizes: [Int] = []
        try await client.forEachBatch("SELECT n FROM generate_series(1, $1::int) AS n ORDER BY n", [2_503], batchSize: 500) { batch in
            sizes.append(batch.count)
            seen += try batch.rows.map { try $0.require("n", as: Int.self) }
        }
        #expect(seen == Array(1...2_503))
        #expect(sizes == [500, 500, 500, 500, 500, 3])
        // The connection is usable again (the cursor's transaction ended).
        #expect(try await client.query("SELECT 1 AS one").first?.require("one", as: Int.self) == 1)
    }

    @Test func anEmptyResultCallsNothingAndAnExactMultipleEndsCleanly() async throws {
        let client = try await client()
        var calls = 0
        try await client.forEachBatch("SELECT 1 AS n WHERE false") { _ in calls += 1 }
        #expect(calls == 0)
        var rows = 0
        try await client.forEachBatch("SELECT n FROM generate_series(1, 20) AS n", batchSize: 10) { batch in
            calls += 1
            rows += batch.count
        }
        #expect(rows == 20)
        #expect(calls == 2)
    }

    @Test func anErrorInTheBodyRollsBackAndTheConnectionRecovers() async throws {
        let client = try await client()
        struct Stop: Error {}
        await #expect(throws: Stop.self) {
            try await client.forEachBatch("SELECT n FROM generate_series(1, 100) AS n", batchSize: 10) { _ in throw Stop() }
        }
        let error = await #expect(throws: PostgresError.self) {
            try await client.forEachBatch("SELECT n FROM no_such_table") { _ in }
        }
        #expect(error?.code == .query)
        #expect(try await client.query("SELECT 2 AS two").first?.require("two", as: Int.self) == 2)
    }
}
