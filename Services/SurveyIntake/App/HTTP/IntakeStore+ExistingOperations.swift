import CivicPostgres

extension IntakeStore {
    /// Which of `eventIds` are already stored in `intake.operations` (one indexed look-up).
    func existingOperationIds(_ eventIds: [String]) async throws -> Set<String> {
        guard !eventIds.isEmpty else { return [] }
        let rows = try await client.query(
            "SELECT event_id FROM intake.operations WHERE event_id = ANY($1::text[])",
            [PostgresTextArray(eventIds)]
        )
        return Set(try rows.rows.map { try $0.require("event_id", as: String.self) })
    }
}
