import CivicPostgres

extension ReportingStore {
    /// Fills the answer columns (migration 19) of at most `limit` responses stored before them, in one short
    /// transaction, skipping rows another transaction holds.
    ///
    /// The rows' `payload` is set to itself, so migration 19's trigger fills their columns with the very
    /// expressions it uses at ingest. No figure changes (the analyses read the same answers from `payload` until a
    /// row is filled), so no cell version moves.
    /// - Returns: The responses filled; 0 once none is left.
    package func fillAnswerColumns(limit: Int) async throws -> Int {
        let rows = try await client.query(
            """
            WITH pending AS (
                SELECT agency, event_id FROM reporting.feedback WHERE NOT answers_extracted
                ORDER BY agency, event_id LIMIT $1 FOR UPDATE SKIP LOCKED
            ), filled AS (
                UPDATE reporting.feedback f SET payload = f.payload FROM pending
                WHERE f.agency = pending.agency AND f.event_id = pending.event_id
                RETURNING 1
            )
            SELECT count(*) AS n FROM filled
            """,
            [max(1, limit)]
        )
        return try rows.first?.require("n") ?? 0
    }
}
