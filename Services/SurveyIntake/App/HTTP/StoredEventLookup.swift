import CivicPostgres
import Synchronization

/// Which event ids are already stored in one of intake's tables: the HTTP front door's `duplicate` answer.
///
/// Concurrent requests share look-ups. While one query runs, the ids asked for meanwhile wait and go
/// together in the next, so under load PostgreSQL sees one indexed query per round trip instead of one
/// per request, and a quiet service still answers at once (no timer).
final class StoredEventLookup: Sendable {
    /// The table looked in.
    enum Table: String, Sendable {
        case responses = "intake.responses"
        case operations = "intake.operations"
    }

    /// Most ids in one query; further waiting requests go in the next.
    static let maxIdsPerQuery = 5_000

    private struct Waiter {
        var ids: [String]
        var continuation: CheckedContinuation<Set<String>, any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var querying = false
    }

    private let client: PostgresClient
    private let table: Table
    private let state = Mutex(State())

    /// A look-up in `table`.
    init(client: PostgresClient, table: Table) {
        self.client = client
        self.table = table
    }

    /// Which of `ids` are stored.
    /// - Throws: ``PostgresError`` when the database cannot answer.
    func existing(_ ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let startsQuerying = state.withLock { state in
                state.waiting.append(Waiter(ids: ids, continuation: continuation))
                guard !state.querying else { return false }
                state.querying = true
                return true
            }
            if startsQuerying { Task { await self.drain() } }
        }
    }

    /// Answers waiting requests, a query at a time, until none wait.
    private func drain() async {
        while true {
            let waiters = state.withLock { state in
                var taken: [Waiter] = []
                var count = 0
                while let next = state.waiting.first, taken.isEmpty || count + next.ids.count <= Self.maxIdsPerQuery {
                    taken.append(state.waiting.removeFirst())
                    count += next.ids.count
                }
                if taken.isEmpty { state.querying = false }
                return taken
            }
            guard !waiters.isEmpty else { return }
            do {
                let stored = try await query(Array(Set(waiters.flatMap(\.ids))))
                for waiter in waiters { waiter.continuation.resume(returning: stored.intersection(waiter.ids)) }
            } catch {
                for waiter in waiters { waiter.continuation.resume(throwing: error) }
            }
        }
    }

    private func query(_ ids: [String]) async throws -> Set<String> {
        let rows = try await client.query(
            "SELECT event_id FROM \(table.rawValue) WHERE event_id = ANY($1::text[])",
            [PostgresTextArray(ids)]
        )
        return Set(try rows.rows.map { try $0.require("event_id", as: String.self) })
    }
}
