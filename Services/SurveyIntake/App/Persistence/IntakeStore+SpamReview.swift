import CivicModels
import CivicPostgres
import Foundation

/// One flagged response as reviewers see it: no identity token (never stored), no submitter.
public struct FlaggedResponse: Codable, Sendable, Hashable {
    /// The agency's event id.
    public var eventId: String
    /// The agency.
    public var agency: String
    /// The service.
    public var service: String
    /// The channel.
    public var channel: String
    /// When the respondent answered.
    public var occurredAt: Date
    /// When survey-intake received it.
    public var receivedAt: Date
    /// Why it was flagged (`honeypot`, `source_rate`, `repeated_text`, `link_stuffing`).
    public var reasons: [String]
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
