import CivicModels
import CivicPostgres
import Foundation

/// One flagged response as reviewers see it: no identity token (never stored), no submitter.
package struct FlaggedResponse: Codable, Sendable, Hashable {
    /// The agency's event id.
    package var eventId: String
    /// The agency.
    package var agency: String
    /// The service.
    package var service: String
    /// The channel.
    package var channel: String
    /// When the respondent answered.
    package var occurredAt: Date
    /// When survey-intake received it.
    package var receivedAt: Date
    /// Why it was flagged (`honeypot`, `source_rate`, `repeated_text`, `link_stuffing`).
    package var reasons: [String]
}

extension IntakeStore {
    /// The agency's flagged responses, most recently received first.
    func flaggedResponses(agency: String, limit: Int) async throws -> [FlaggedResponse] {
        let rows = try await client.query(
            """
            SELECT event_id, agency, service, channel, occurred_at, received_at, array_to_string(spam_reasons, ',') AS reasons
            FROM intake.responses WHERE spam_flagged AND agency = $1
            ORDER BY received_at DESC, event_id LIMIT $2
            """,
            [agency, limit]
        )
        return try rows.rows.map { row in
            FlaggedResponse(
                eventId: try row.require("event_id"),
                agency: try row.require("agency"),
                service: try row.require("service"),
                channel: try row.require("channel"),
                occurredAt: try row.require("occurred_at"),
                receivedAt: try row.require("received_at"),
                reasons: (try row.decode("reasons", as: String.self) ?? "").split(separator: ",").map(String.init)
            )
        }
    }
}
