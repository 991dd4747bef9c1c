import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The database pool as a service of the group: it closes on graceful shutdown, after the components listed
/// after it (which use it) have stopped, and its connections are gone afterwards.
@Suite(.hangGuard)
struct PostgresClientServiceTests {
    static let logger = Logger(label: "postgres-service-tests")

    /// Uses the database while running and once more while stopping, as a stage finishing its batch does.
    final class DatabaseUser: Service, Sendable {
        let client: PostgresClient
        private let state = Mutex<(started: Bool, stoppedCleanly: Bool)>((false, false))

        init(client: PostgresClient) { self.client = client }

        var started: Bool { state.withLock { $0.started } }
        var stoppedCleanly: Bool { state.withLock { $0.stoppedCleanly } }

        func run() async throws {
            // Three statements at once open three connections.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await self.client.query("SELECT pg_sleep(0.1)") } }
                try await group.waitForAll()
            }
            state.withLock { $0.started = true }
            try? await gracefulShutdown()
            try await client.query("SELECT 1")
            state.withLock { $0.stoppedCleanly = true }
        }
    }

    @Test func gracefulShutdownClosesThePoolAfterItsUsers() async throws {
        let server = try await TestPostgres.shared()
        let url = try await server.makeDatabase(prefix: "pool_service")
        var configuration = PostgresConfiguration(connectionString: url)
        configuration.applicationName = "civic-pool-service-\(UUID().uuidString.prefix(8))"
        let name = configuration.applicationName
        let pool = PostgresClient(configuration: configuration, logger: Self.logger)
        let observer = PostgresClient(configuration: PostgresConfiguration(connectionString: url), logger: Self.logger)
        defer { observer.close() }
        let user = DatabaseUser(client: pool)
        // As CivicServiceRunner and PipelineStage assemble it: the pool first, so it stops last.
        let services: [any Service] = [PostgresClientService(client: pool), user]
        let group = ServiceGroup(
            configuration: .init(
                services: services.map {
                    .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
                },
                logger: Self.logger
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while !user.started { try await Task.sleep(for: .milliseconds(10)) }
            #expect(try await Self.connections(named: name, observer: observer) == 3)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(user.stoppedCleanly, "the pool closed before the component that uses it had stopped")
        let error = await #expect(throws: PostgresError.self) { try await pool.ping() }
        #expect(error?.code == .closed)
        // A backend ends shortly after its client said goodbye.
        let deadline = ContinuousClock.now + TestPatience.hang
        var open = try await Self.connections(named: name, observer: observer)
        while open > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            open = try await Self.connections(named: name, observer: observer)
        }
        #expect(open == 0, "the pool's connections are still open after shutdown")
    }

    private static func connections(named name: String, observer: PostgresClient) async throws -> Int {
        let rows = try await observer.query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1", [name])
        return try rows.first?.require("n", as: Int.self) ?? 0
    }
}
