import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// Erasing responses (an ``ErasureRequest``: a respondent's request, a test submission, a mistaken upload)
/// and purging old rows (the retention schedule), keeping the figures right.
///
/// An erased event's rows go and only its key stays, as a tombstone, so no replay can bring it back; every
/// aggregate is recomputed without it in the same transaction. A purged row goes too, but its measures are
/// kept first in `reporting.retained_measures`: purging never changes a figure.
extension ReportingStore {
    /// What ``erase(_:)`` did.
    package struct DeletionSummary: Sendable, Equatable, CustomStringConvertible {
        /// Event ids whose rows were deleted.
        package var deleted: [String]
        /// Event ids that were already erased (nothing changed for them).
        package var alreadyDeleted: [String]
        /// Event ids reporting has not stored (tombstoned all the same, so they never arrive).
        package var unknown: [String]
        /// The rebuild that removed them from the aggregates, when rows were deleted.
        package var rebuild: RebuildSummary?

        package init(deleted: [String], alreadyDeleted: [String], unknown: [String], rebuild: RebuildSummary?) {
            self.deleted = deleted
            self.alreadyDeleted = alreadyDeleted
            self.unknown = unknown
            self.rebuild = rebuild
        }

        package var description: String {
            "deleted \(deleted.count), already deleted \(alreadyDeleted.count), unknown \(unknown.count)"
                + (unknown.isEmpty ? "" : " (\(unknown.joined(separator: ", ")))") + (rebuild.map { "; \($0)" } ?? "")
        }
    }

    /// Deletes the request's events from reporting's tables, writes their tombstones and recomputes every
    /// aggregate without them, in one transaction. Applying the same request again changes nothing.
    package func erase(_ request: ErasureRequest, at time: Date = Date()) async throws -> DeletionSummary {
        try await client.withTransaction { connection in
            let ids = Array(Set(request.eventIds)).sorted()
            let keys = ids.map { EventKey(agency: request.agency, eventId: $0) }
            let before = try await Self.erased.lockAndFind(keys, on: connection)
            let erasure = try await Self.erased.erase(
                keys,
                from: Self.erasedTables,
                cause: .request,
                requestId: request.requestId,
                at: time,
                on: connection
            )
            let deleted = erasure.events.map(\.eventId)
            let known = Set(deleted).union(before.map(\.eventId))
            return DeletionSummary(
                deleted: deleted.sorted(),
                alreadyDeleted: ids.filter {
                    before.contains(EventKey(agency: request.agency, eventId: $0))
                        && !erasure.events.contains(EventKey(agency: request.agency, eventId: $0))
                },
                unknown: ids.filter { !known.contains($0) },
                rebuild: deleted.isEmpty ? nil : try await Self.rebuild(on: connection)
            )
        }
    }
}

extension ReportingStore {
    /// What reporting's retention schedule purges: responses and operational events as respondent-level
    /// records (their measures kept first), the audit trail as audit entries.
    package static let retention = RetentionPurge(
        rules: [
            RetentionRule(.responses, table: "reporting.feedback", timestampColumn: "stored_at", event: erasedTables[0]),
            RetentionRule(.responses, table: "reporting.operations", timestampColumn: "stored_at", event: erasedTables[1]),
            RetentionRule(.responses, table: "reporting.follow_ups", timestampColumn: "opened_at", event: erasedTables[2]),
            RetentionRule(.audit, table: AuditTrail.table, timestampColumn: "at", purgeFunction: AuditTrail.purgeFunction),
        ],
        erased: erased,
        beforeDeleting: { rule, cutoff, connection in
            switch rule.table {
            case "reporting.feedback", "reporting.operations":
                // The purged rows' measures are kept, so the figures (and any later rebuild) stay the same.
                var summary = RebuildSummary()
                let cells = try await measures(
                    of: cutoff,
                    feedback: rule.table == "reporting.feedback",
                    operations: rule.table == "reporting.operations",
                    on: connection,
                    summary: &summary
                )
                try await add(cells, to: "reporting.retained_measures", on: connection)
                // The figures stay, but the purged comments leave the themes and key drivers of their quarters.
                if rule.table == "reporting.feedback" { try await CellVersions.bump(cells.keys, on: connection) }
            default:
                break
            }
        }
    )
}
