import CivicPostgres
import Foundation

/// PostgreSQL's own account of where its time went, from `pg_stat_statements`, for the benchmarks.
///
/// Off unless `BENCH_PG_STATEMENTS=1` and the server preloads the module, which the test server does when
/// started with `CIVIC_TEST_POSTGRES_OPTIONS='-c shared_preload_libraries=pg_stat_statements'`.
package struct StatementStatistics: Sendable {
    let postgres: PostgresClient

    /// Statistics read through `postgres`.
    package init(postgres: PostgresClient) { self.postgres = postgres }

    /// Whether the run asked for them (`BENCH_PG_STATEMENTS=1`).
    package static var isRequested: Bool { ProcessInfo.processInfo.environment["BENCH_PG_STATEMENTS"] == "1" }

    /// Creates the extension in this database and clears what earlier cases recorded.
    package func reset() async throws {
        try await postgres.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        try await postgres.query("SELECT pg_stat_statements_reset()")
    }

    /// The statements that took the most time since ``reset()``, one line each.
    package func top(_ limit: Int = 10) async throws -> [String] {
        let rows = try await postgres.query(
            """
            SELECT calls, total_exec_time AS total_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $1
            """,
            [limit]
        )
        return try rows.rows.map { row in
            let calls: Int = try row.require("calls")
            let total: Double = try row.require("total_ms")
            let count: Int = try row.require("rows")
            let query: String = try row.require("query")
            return String(format: "    pg %9.1f ms %7d calls %9d rows  ", total, calls, count) + query
        }
    }
}
