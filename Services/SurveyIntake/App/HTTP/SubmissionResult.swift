import CivicJSON
import CivicModels

/// The body of a `202 Accepted` answer to `POST /v1/responses`: one result per submitted item, in order.
package struct SubmissionResult: Codable, Sendable, Hashable {
    /// The request id (also in the `X-Request-Id` header, and in `source.httpRequestId` of every rejection
    /// this request published to `cx.feedback.rejected.v1`).
    package var requestId: String
    /// One result per item, in the order submitted.
    package var results: [Item]

    /// What became of one submitted item.
    package struct Item: Codable, Sendable, Hashable {
        /// The item's position in the submitted array (0 for a single object).
        package var index: Int
        /// The item's `eventId`, when it could be read.
        package var eventId: String?
        /// What happened to it.
        package var status: Status
        /// Why it was rejected (`status == rejected`), for example `out_of_range` or `forbidden_agency`.
        package var code: String?
        /// The offending field as a dotted path, when one field is to blame.
        package var field: String?
        /// A human-readable reason naming the field.
        package var reason: String?

        /// Creates a result.
        package init(index: Int, eventId: String?, status: Status, code: String? = nil, field: String? = nil, reason: String? = nil) {
            self.index = index
            self.eventId = eventId
            self.status = status
            self.code = code
            self.field = field
            self.reason = reason
        }
    }

    /// What happened to one item.
    package enum Status: String, Codable, Sendable, Hashable, CaseIterable {
        /// Valid; published to the agency's `cx.feedback.submitted.v1.<agency>` and acknowledged by the broker.
        case accepted
        /// An item with this `eventId` was already received; it is not processed again.
        case duplicate
        /// Invalid or not permitted; published to `cx.feedback.rejected.v1` with its reason.
        case rejected
    }

    /// Creates a result body.
    package init(requestId: String, results: [Item]) {
        self.requestId = requestId
        self.results = results
    }

    /// The body as `JSONEncoder` with sorted keys and unescaped slashes writes it (the format of every
    /// answer), byte for byte, without building its value tree: this is written once per submission.
    func json() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { body in
            body.field("requestId", string: requestId)
            body.field("results", objects: results) { object, item in
                if let code = item.code { object.field("code", string: code) }
                if let eventId = item.eventId { object.field("eventId", string: eventId) }
                if let field = item.field { object.field("field", string: field) }
                object.field("index", integer: item.index)
                if let reason = item.reason { object.field("reason", string: reason) }
                object.field("status", string: item.status.rawValue)
            }
        }
        return writer.bytes
    }
}
