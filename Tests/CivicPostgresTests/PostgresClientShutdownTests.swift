import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Synchronization
import Testing

/// Closing the pool against a real server: its connections end, leased ones when their lease ends, and the
/// client refuses new work with a typed error.
@Suite(.hangGuard)
struct PostgresClientShutdownTests {
    static let logger = Logger(label: "postgres-shutdown-tests")

    /// A pool named for this test (its connections are found by `application_name`), and a second client
    /// that watches them.
    private func clients() async throws -> (pool: PostgresClient, observer: PostgresClient, name: String) {
        let server = try await TestPostgres.shared()
        let url = try await server.makeDatabase(prefix: "shutdown")
        var configuration = PostgresConfiguration(connectionString: url)
        configuration.applicationName = "civic-shutdown-\(UUID().uuidString.prefix(8))"
        return (
            PostgresClient(configuration: configuration, logger: Self.logger),
            PostgresClient(configuration: PostgresConfiguration(connectionString: url), logger: Self.logger),
            configuration.applicationName
        )
    }

    @Test func shutdownWaitsForALeasedConnectionThenClosesEveryConnection() async throws {
        let (pool, observer, name) = try await clients()
        defer { observer.close() }
        // Three statements at once open three connections.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await pool.query("SELECT pg_sleep(0.1)") } }
            try await group.waitForAll()
        }
        #expect(try await PostgresActivity.connections(named: name, observer: observer) == 3)

        let leased = Gate()
        let release = Gate()
        let shutDown = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await pool.withConnection { connection in
                    try await connection.query("SELECT 1")
                    leased.open()
                    await release.wait()
                    // The pool is closed by now, and this lease still works.
                    try await connection.query("SELECT 1")
                }
            }
            await leased.wait()
            group.addTask {
                await pool.shutdown()
                shutDown.open()
            }
            // New work is refused at once; the lease keeps its connection.
            while true {
                do {
                    try await pool.query("SELECT 1")
                    try await Task.sleep(for: .milliseconds(10))
                } catch let error as PostgresError {
                    #expect(error.code == .closed)
                    break
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            #expect(!shutDown.isOpen, "shutdown returned while a connection was still leased")
            #expect(try await PostgresActivity.settle(named: name, at: 1, observer: observer), "the idle connections stayed open")
            release.open()
            try await group.waitForAll()
        }
        #expect(shutDown.isOpen)
        #expect(try await PostgresActivity.settle(named: name, at: 0, observer: observer), "connections stayed open")
        let error = await #expect(throws: PostgresError.self) { try await pool.ping() }
        #expect(error?.code == .closed)
    }

    @Test func closingFailsTasksWaitingForAConnection() async throws {
        let server = try await TestPostgres.shared()
        var configuration = PostgresConfiguration(connectionString: try await server.makeDatabase(prefix: "shutdown"))
        configuration.maximumConnections = 1
        let pool = PostgresClient(configuration: configuration, logger: Self.logger)
        let leased = Gate()
        let release = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await pool.withConnection { _ in
                    leased.open()
                    await release.wait()
                }
            }
            await leased.wait()
            let waiting = Task { try await pool.ping() }
            try await Task.sleep(for: .milliseconds(100))
            pool.close()
            let error = await #expect(throws: PostgresError.self) { try await waiting.value }
            #expect(error?.code == .closed)
            release.open()
            try await group.waitForAll()
        }
        await pool.shutdown()
    }
}

/// What `pg_stat_activity` shows of a client's connections.
enum PostgresActivity {
    /// The server's connections whose `application_name` is `name`.
    static func connections(named name: String, observer: PostgresClient) async throws -> Int {
        let rows = try await observer.query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1", [name])
        return try rows.first?.require("n", as: Int.self) ?? 0
    }

    /// Whether `count` are left within a few seconds (a backend ends shortly after its client said goodbye).
    static func settle(named name: String, at count: Int, observer: PostgresClient) async throws -> Bool {
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if try await connections(named: name, observer: observer) == count { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}

/// A one-shot signal between tasks.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Whether ``open()`` was called.
    var isOpen: Bool { state.withLock { $0.open } }

    /// Lets every waiter (and every later one) through.
    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the gate is open.
    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }
}
