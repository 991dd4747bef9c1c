import CivicModels
import CivicRuntime
import Foundation

/// Validates the items of one kind of HTTP submission. Valid ones go to the topic of the agency the API key
/// belongs to (``CivicTopic/submitted(agency:)``).
///
/// ``SubmissionItemValidator`` is the one used, once per route (`POST /v1/responses` and `POST /v1/operations`);
/// ``SubmissionProcessor`` and ``ResponsesEndpoint`` serve both.
protocol HTTPItemValidator: Sendable {
    /// Decides one item.
    /// - Throws: when the decision needs a dependency that is down (the request is answered 503).
    func verdict(for item: [UInt8], in submission: SubmissionContext) async throws -> ItemVerdict

    /// Which of `agency`'s `eventIds` were received before `before` (the request's arrival); they are reported
    /// `duplicate`, and the stream processor records them as duplicate submissions without forwarding them.
    func alreadyReceived(_ eventIds: [String], agency: String, before: Date) async throws -> Set<String>
}

/// What a ``HTTPItemValidator`` knows about the request an item came in.
struct SubmissionContext: Sendable {
    /// The agency the API key belongs to; items for any other agency are refused.
    var agency: String
    /// The value for a missing `submitter`: a keyed hash of the respondent's address as a trusted proxy
    /// forwarded it, or `nil` (left missing) when no trusted proxy did (``ClientAddress``).
    var submitter: String?
    /// The request id.
    var requestId: String
    /// When the request arrived.
    var now: Date
    /// The request's W3C trace context, which every record it publishes continues (or starts).
    var trace = RequestTrace(traceparent: nil, tracestate: nil)
}

/// The decision on one item.
enum ItemVerdict: Sendable {
    /// Publish `value` (the item, possibly completed, for example with `submitter`) keyed by `eventId`.
    case valid(eventId: String, value: [UInt8])
    /// Refuse it.
    case rejected(ItemRefusal)
}

/// Why an item was refused: a ``Rejection`` of the validator, or an HTTP-only reason such as an agency the
/// API key may not submit for.
struct ItemRefusal: Sendable, Hashable {
    /// Machine-readable code.
    var code: RejectionCode
    /// The offending field, when one is to blame.
    var field: String?
    /// Human-readable reason naming the field.
    var reason: String
    /// The event id, when it could be read.
    var eventId: String?

    /// A refusal from the validator.
    init(_ rejection: Rejection) {
        code = rejection.code
        field = rejection.field
        reason = rejection.reason
        eventId = rejection.eventId
    }

    init(code: RejectionCode, field: String?, reason: String, eventId: String?) {
        self.code = code
        self.field = field
        self.reason = reason
        self.eventId = eventId
    }

    /// The refusal of an item for `agency` when the API key belongs to `permitted` (HTTP's 403, per item).
    static func forbiddenAgency(_ agency: String, permitted: String, eventId: String?) -> ItemRefusal {
        ItemRefusal(
            code: .forbiddenAgency,
            field: "agency",
            reason: "agency: this API key may submit only for \"\(permitted)\", not \"\(agency)\"",
            eventId: eventId
        )
    }
}
