extension PostgresConnection {
    /// Runs a query through a server-side cursor and hands its rows to `body` in batches of at most
    /// `batchSize`, so a result of any size is read with memory bounded by one batch.
    ///
    /// The cursor lives in a transaction on this connection (`DECLARE ... NO SCROLL CURSOR`, then `FETCH`
    /// until the result is exhausted); if `body` throws, the transaction rolls back and the cursor closes.
    /// - Parameters:
    ///   - sql: A `SELECT` with `$1`, `$2`, ... placeholders.
    ///   - parameters: The placeholders' values, sent separately from the SQL text.
    ///   - batchSize: Rows per `FETCH`. Default: 1,000.
    ///   - body: Called once per non-empty batch, in result order.
    /// - Throws: ``PostgresError``, or whatever `body` throws.
    package func forEachBatch(
        _ sql: String,
        _ parameters: [(any PostgresEncodable)?] = [],
        batchSize: Int = 1_000,
        _ body: (PostgresRows) async throws -> Void
    ) async throws {
        let size = max(1, batchSize)
        try await withTransaction { connection in
            try await connection.query("DECLARE civic_batches NO SCROLL CURSOR FOR \(sql)", parameters)
            while true {
                let batch = try await connection.query("FETCH FORWARD \(size) FROM civic_batches")
                if batch.isEmpty { break }
                try await body(batch)
                if batch.count < size { break }
            }
            try await connection.query("CLOSE civic_batches")
        }
    }
}

extension PostgresClient {
    /// Runs ``PostgresConnection/forEachBatch(_:_:batchSize:_:)`` on a pooled connection held for the
    /// whole read.
    package func forEachBatch(
        _ sql: String,
        _ parameters: [(any PostgresEncodable)?] = [],
        batchSize: Int = 1_000,
        _ body: (PostgresRows) async throws -> Void
    ) async throws {
        try await withConnection { connection in
            try await connection.forEachBatch(sql, parameters, batchSize: batchSize, body)
        }
    }
}
