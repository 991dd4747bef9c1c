import CivicModels
import CivicPostgres
import Foundation

/// The responses survey-intake flagged as spam, for an agency admin's review: what reporting stored of each
/// (the comment as identity-verify redacted it, never a submitter or identity token) and the reasons.
/// Flagged responses are never counted; deleted ones are not shown.
package struct SpamReviewQuery: Sendable {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// One flagged response.
    package struct FlaggedResponse: Codable, Sendable, Equatable {
        /// The event id.
        var eventId: String
        /// The service and channel it was about.
        var service: String
        var channel: String
        /// Its fiscal year and quarter.
        var fiscalYear: Int
        var quarter: Int
        /// When the respondent answered.
        var occurredAt: Date
        /// Why survey-intake flagged it.
        var reasons: [SpamReason]
        /// The comment, redacted (absent when there was none).
        var comment: String?
    }

    /// The newest `limit` flagged responses of `agency`, newest first.
    package func flagged(agency: String, limit: Int) async throws -> [FlaggedResponse] {
        let result = try await client.query(
            """
            SELECT event_id, service, channel, fiscal_year, fiscal_quarter, occurred_at,
                   coalesce(payload->'spam'->'reasons', '[]'::jsonb)::text AS reasons, payload->>'comment' AS comment
            FROM reporting.feedback
            WHERE agency = $1 AND spam_flagged AND deleted_at IS NULL
            ORDER BY occurred_at DESC, event_id
            LIMIT $2
            """,
            [agency, limit]
        )
        let decoder = JSONDecoder()
        return try result.rows.map { row in
            let reasons: String = try row.require("reasons")
            return FlaggedResponse(
                eventId: try row.require("event_id"),
                service: try row.require("service"),
                channel: try row.require("channel"),
                fiscalYear: try row.require("fiscal_year"),
                quarter: try row.require("fiscal_quarter"),
                occurredAt: try row.require("occurred_at"),
                // Stored from a scored event that decoded, so every reason is one of the contract's.
                reasons: try decoder.decode([SpamReason].self, from: Data(reasons.utf8)),
                comment: try row.decode("comment")
            )
        }
    }
}
