import CivicPostgres
import Foundation

/// Deleting responses from every figure and export: an agency withdraws a response (a respondent's request,
/// a test submission, a mistaken upload). The row stays, marked deleted with its reason, so the deletion is
/// auditable and a replay of the event cannot bring it back; every aggregate is recomputed without it in the
/// same transaction.
extension ReportingStore {
    /// What ``delete(eventIds:reason:)`` did.
    public struct DeletionSummary: Sendable, Equatable, CustomStringConvertible {
        /// Event ids newly marked deleted.
        public var deleted: [String]
        /// Event ids that were already deleted (nothing changed for them).
        public var alreadyDeleted: [String]
        /// Event ids reporting has not stored.
        public var unknown: [String]
        /// The rebuild that removed them from the aggregates.
        public var rebuild: RebuildSummary

        public var description: String {
            "deleted \(deleted.count), already deleted \(alreadyDeleted.count), unknown \(unknown.count)"
                + (unknown.isEmpty ? "" : " (\(unknown.joined(separator: ", ")))") + "; \(rebuild)"
        }
    }

    /// Marks the agency's responses deleted and recomputes every aggregate without them, in one transaction.
    /// - Parameters:
    ///   - eventIds: The responses' event ids.
    ///   - agency: Whose responses they are (another agency's with the same ids are left alone).
    ///   - reason: Why, kept with each row for the audit trail.
    func delete(eventIds: [String], agency: String, reason: String, at time: Date = Date()) async throws -> DeletionSummary {
        try await client.withTransaction { connection in
            let ids = Array(Set(eventIds)).sorted()
            let existing = try await connection.query(
                """
                SELECT event_id, deleted_at IS NOT NULL AS deleted FROM reporting.feedback
                WHERE agency = $2 AND event_id = ANY($1::text[]) FOR UPDATE
                """,
                [PostgresTextArray(ids), agency]
            )
            var state: [String: Bool] = [:]
            for row in existing.rows { state[try row.require("event_id")] = try row.require("deleted", as: Bool.self) }
            let fresh = ids.filter { state[$0] == false }
            if !fresh.isEmpty {
                try await connection.query(
                    "UPDATE reporting.feedback SET deleted_at = $2, deletion_reason = $3 WHERE agency = $4 AND event_id = ANY($1::text[])",
                    [PostgresTextArray(fresh), time, reason, agency]
                )
            }
            return DeletionSummary(
                deleted: fresh,
                alreadyDeleted: ids.filter { state[$0] == true },
                unknown: ids.filter { state[$0] == nil },
                rebuild: try await Self.rebuild(on: connection)
            )
        }
    }
}
