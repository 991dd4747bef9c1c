import CivicModels
import CivicPostgres

extension ErasedEvents {
    /// `rows` without those of the `erased` events, in order (`rows` itself when none is erased): what a
    /// write path stores and forwards once it has found its batch's tombstones.
    package static func excluding<Row>(_ erased: Set<EventKey>, from rows: [Row], key: (Row) -> EventKey) -> [Row] {
        erased.isEmpty ? rows : rows.filter { !erased.contains(key($0)) }
    }

    /// Stores a batch except its erased events, in one transaction of `client`: takes the write paths'
    /// lock, finds which of the rows' events are erased, and hands the other rows, when there are any, to
    /// `store` on the transaction's connection.
    /// - Returns: The keys of the batch's erased events, which the caller does not forward either.
    package func store<Row>(
        _ rows: [Row],
        key: (Row) -> EventKey,
        in client: PostgresClient,
        _ store: ([Row], PostgresConnection) async throws -> Void
    ) async throws -> Set<EventKey> {
        guard !rows.isEmpty else { return [] }
        return try await client.withTransaction { connection in
            let erased = try await lockAndFind(rows.map(key), on: connection)
            let kept = Self.excluding(erased, from: rows, key: key)
            if !kept.isEmpty { try await store(kept, connection) }
            return erased
        }
    }
}
