import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Synchronization
import Testing

/// Statement and pool-wait timeouts against a real server: a statement past `statement_timeout` is
/// cancelled by the server with a retriable error and the connection stays usable; a task that finds every
/// connection leased gives up with a retriable `poolTimeout`, or at once when it is cancelled; the pool
/// serves again once a connection comes back.
@Suite(.hangGuard)
struct PostgresTimeoutTests {
    static let logger = Logger(label: "postgres-timeout-tests")

    private func client(_ configure: (inout PostgresConfiguration) -> Void) async throws -> PostgresClient {
        let url = try await TestPostgres.shared().makeDatabase(prefix: "timeouts")
        var configuration = PostgresConfiguration(connectionString: url)
        configure(&configuration)
        return PostgresClient(configuration: configuration, logger: Self.logger)
    }

    @Test func aStatementPastTheTimeoutIsCancelledRetriablyAndTheConnectionStaysUsable() async throws {
        let client = try await client {
            $0.statementTimeout = .milliseconds(200)
            $0.maximumConnections = 1
        }
        defer { client.close() }
        let error = try await #require(throws: PostgresError.self) { try await client.query("SELECT pg_sleep(5)") }
        #expect(error.sqlState == "57014", "\(error)")
        #expect(error.isRetriable && !error.isCausedByData)
        #expect(try await client.query("SELECT 1 AS one").first?.require("one", as: Int.self) == 1)
        // A transaction that must run longer lifts the limit for itself alone.
        try await client.withTransaction { connection in
            _ = try await connection.query("SET LOCAL statement_timeout = 0")
            _ = try await connection.query("SELECT pg_sleep(0.4)")
        }
        let setting = try await client.query("SHOW statement_timeout").first?.require("statement_timeout", as: String.self)
        #expect(setting == "200ms")
    }

    @Test func aTaskThatFindsEveryConnectionLeasedGivesUpRetriablyThenThePoolServesAgain() async throws {
        let client = try await client {
            $0.maximumConnections = 1
            $0.poolWaitTimeout = .milliseconds(300)
        }
        defer { client.close() }
        let leased = Mutex(false)
        let released = Mutex(false)
        let holding = Task {
            try await client.withConnection { _ in
                leased.withLock { $0 = true }
                while !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
        while !leased.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        let error = try await #require(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(error.code == .poolTimeout && error.isRetriable, "\(error)")

        // A waiting task that is cancelled stops waiting at once, whether it was cancelled before or while
        // it waited.
        let waiting = Task { try await client.query("SELECT 1") }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.query("SELECT 1")
        }
        await #expect(throws: CancellationError.self) { try await early.value }

        released.withLock { $0 = true }
        try await holding.value
        #expect(try await client.query("SELECT 2 AS two").first?.require("two", as: Int.self) == 2)
    }
}
