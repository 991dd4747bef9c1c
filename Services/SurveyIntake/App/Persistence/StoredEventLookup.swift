import CivicModels
import CivicPostgres
import Foundation
import Synchronization

/// Which of an agency's event ids were stored in one of intake's tables before a given time: the HTTP front
/// door's `duplicate` answer. An event is its agency and its id: another agency's id is never found.
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
        var agency: String
        var ids: [String]
        var before: Date
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

    /// Which of `agency`'s `ids` were received (stamped `received_at`) before `before`: a request asks for the
    /// ones stored before it arrived, so its own items, which the stream processor may store while the request
    /// is still publishing, are never taken for earlier submissions.
    /// - Throws: ``PostgresError`` when the database cannot answer.
    func existing(_ ids: [String], agency: String, receivedBefore before: Date) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let startsQuerying = state.withLock { state in
                state.waiting.append(Waiter(agency: agency, ids: ids, before: before, continuation: continuation))
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
                let stored = try await query(
                    Array(Set(waiters.flatMap { waiter in waiter.ids.map { EventKey(agency: waiter.agency, eventId: $0) } }))
                )
                for waiter in waiters {
                    waiter.continuation.resume(
                        returning: Set(
                            waiter.ids.filter { id in stored[EventKey(agency: waiter.agency, eventId: id)].map { $0 < waiter.before } ?? false }
                        )
                    )
                }
            } catch {
                for waiter in waiters { waiter.continuation.resume(throwing: error) }
            }
        }
    }

    /// The receipt times of those of `keys` that are stored.
    private func query(_ keys: [EventKey]) async throws -> [EventKey: Date] {
        let rows = try await client.query(
            """
            SELECT t.agency, t.event_id, t.received_at FROM \(table.rawValue) t
                JOIN unnest($1::text[], $2::text[]) AS k (agency, event_id)
                ON t.agency = k.agency COLLATE "C" AND t.event_id = k.event_id COLLATE "C"
            """,
            [PostgresTextArray(keys.map(\.agency)), PostgresTextArray(keys.map(\.eventId))]
        )
        var stored: [EventKey: Date] = [:]
        for row in rows.rows {
            stored[EventKey(agency: try row.require("agency"), eventId: try row.require("event_id"))] = try row.require("received_at", as: Date.self)
        }
        return stored
    }
}
