import CivicPostgres
import Foundation

/// An agency admin's decision on a response's spam verdict: "not spam" counts a flagged response from then
/// on, "spam" withdraws a counted one. The response's flag, the decision (who, when) and its audit entry are
/// written, and every aggregate recomputed, in one transaction; a replay of the event cannot undo it (the
/// stored row is kept as it is).
package struct SpamTriage: Sendable {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// The server cancels any statement of a decision that runs longer (`SET LOCAL statement_timeout`), and the
    /// decision is answered as failed with nothing changed. A decision touches one response and one cell's
    /// measure rows (a few dozen), so it is far below this.
    package static let statementTimeout: Duration = .seconds(5)

    /// What an admin decided.
    package enum Decision: String, Codable, Sendable, CaseIterable {
        /// The response is genuine: counted from now on.
        case notSpam = "not_spam"
        /// The response is spam: withdrawn from every figure.
        case spam
    }

    /// What ``decide(eventId:agency:decision:actor:note:requestId:)`` did.
    package struct Outcome: Codable, Sendable, Equatable {
        var eventId: String
        var decision: Decision
        /// Whether the response's verdict changed (deciding what it already is changes nothing).
        var changed: Bool
        /// Whether the response counts in the figures now.
        var counted: Bool
    }

    /// Applies `decision` to the agency's response `eventId`.
    /// - Returns: `nil` when the agency has no such response (or it was deleted).
    package func decide(
        eventId: String,
        agency: String,
        decision: Decision,
        actor: String,
        note: String?,
        requestId: String,
        at time: Date = Date()
    ) async throws -> Outcome? {
        try await client.withTransaction { connection in
            _ = try await connection.query("SET LOCAL statement_timeout = \(Self.statementTimeout.components.seconds * 1_000)")
            let current = try await connection.query(
                """
                SELECT spam_flagged, agency, service, channel, fiscal_year, fiscal_quarter, payload::text AS payload
                FROM reporting.feedback WHERE event_id = $1 AND agency = $2 AND deleted_at IS NULL FOR UPDATE
                """,
                [eventId, agency]
            )
            guard let row = current.first else { return nil }
            let flagged: Bool = try row.require("spam_flagged")
            let flag = decision == .spam
            let changed = flagged != flag
            if changed {
                _ = try await connection.query(
                    """
                    UPDATE reporting.feedback SET spam_flagged = $3, spam_decision = $4, spam_decided_by = $5, spam_decided_at = $6
                    WHERE event_id = $1 AND agency = $2
                    """,
                    [eventId, agency, flag, decision.rawValue, actor, time]
                )
                try await ReportingStore.recount(row, counted: !flag, on: connection)
            }
            var filter = ["eventId": eventId, "decision": decision.rawValue, "changed": String(changed)]
            if let note { filter["note"] = note }
            try await AuditTrail.record(
                AuditTrail.Entry(
                    actor: actor,
                    action: .spamDecision,
                    agency: agency,
                    target: "event:\(eventId)",
                    filter: filter,
                    rows: changed ? 1 : 0,
                    requestId: requestId
                ),
                on: connection
            )
            return Outcome(eventId: eventId, decision: decision, changed: changed, counted: !flag)
        }
    }
}
