extension PostgresConnection {
    /// Runs a query through a server-side cursor and hands its rows to `body` in batches of at most
    /// `batchSize`, so a result of any size is read with memory bounded by two batches.
    ///
    /// The cursor lives in a transaction on this connection (`DECLARE ... NO SCROLL CURSOR`, then `FETCH`
    /// until the result is exhausted); if `body` throws, the transaction rolls back and the cursor closes.
    /// While `body` handles one batch, the next is fetched: the server computes and sends it meanwhile, so
    /// a reader that also works on each batch does not leave the server idle (and the other way round).
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
            let fetch = "FETCH FORWARD \(size) FROM civic_batches"
            var batch = try await connection.query(fetch)
            while !batch.isEmpty {
                // A short batch is the last: nothing more to fetch.
                let more = batch.count == size
                // Awaited (even when `body` throws) before the connection's next statement.
                async let next = more ? connection.query(fetch) : PostgresRows(columns: [], values: [], affectedRows: 0)
                try await body(batch)
                batch = try await next
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
