import CivicIdentity
import CivicModels
import CivicPostgres
import Foundation

extension IntakeStore {
    /// Redacts the comments of responses stored before intake redacted them (listed by migration 8 in
    /// `intake.unredacted_responses`), in transactions of `batchSize` rows, removing each from the list as it
    /// is rewritten; replicas starting together share the work (`SKIP LOCKED`). A payload that is not a
    /// readable event keeps its other fields and loses its comment and identity.
    /// - Returns: How many stored responses were rewritten.
    @discardableResult
    func redactStoredComments(batchSize: Int = 500) async throws -> Int {
        var rewritten = 0
        while true {
            let count = try await client.withTransaction { connection -> Int in
                let rows = try await connection.query(
                    """
                    SELECT u.agency, u.event_id, r.payload::text AS payload FROM intake.unredacted_responses u
                        LEFT JOIN intake.responses r USING (agency, event_id)
                        ORDER BY u.agency, u.event_id LIMIT $1 FOR UPDATE OF u SKIP LOCKED
                    """,
                    [max(1, batchSize)]
                ).rows
                for row in rows {
                    let agency = try row.require("agency", as: String.self)
                    let eventId = try row.require("event_id", as: String.self)
                    if let payload = try row.decode("payload", as: String.self) {
                        try await connection.query(
                            "UPDATE intake.responses SET payload = $3::json WHERE agency = $1 AND event_id = $2",
                            [agency, eventId, String(decoding: Self.redacted(payload: Array(payload.utf8)), as: UTF8.self)]
                        )
                    }
                    try await connection.query("DELETE FROM intake.unredacted_responses WHERE agency = $1 AND event_id = $2", [agency, eventId])
                }
                return rows.count
            }
            rewritten += count
            if count == 0 { return rewritten }
        }
    }

    /// `payload` (a stored response) with its comment redacted and no identity token.
    static func redacted(payload: [UInt8]) -> [UInt8] {
        if var event = try? CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(payload)) {
            event.identity = nil
            event.comment = event.comment.map { Encoded.redactor.redact($0).text }
            if let encoded = try? event.contractJSON() { return encoded }
        }
        guard var object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] else {
            return Array("{}".utf8)
        }
        object["identity"] = nil
        object["comment"] = (object["comment"] as? String).map { Encoded.redactor.redact($0).text }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map(Array.init) ?? Array("{}".utf8)
    }
}
