import Foundation

/// An input survey-intake could not accept, published to ``CivicTopic/rejected`` so nothing is dropped silently.
public struct RejectedFeedback: Codable, Sendable, Hashable {
    /// ``SchemaVersion/rejected``.
    public var schema: String
    /// Machine-readable reason, for example `out_of_range`.
    public var code: RejectionCode
    /// The offending field as a dotted path, for example `answers.ease`, when one field is to blame.
    public var field: String?
    /// Human-readable reason naming the field, for example `answers.ease: 7 is outside 1...5`.
    public var reason: String
    /// Where the input came from.
    public var source: Source
    /// The original bytes, base64-encoded.
    public var original: String
    /// The event id, when it could be read.
    public var eventId: String?
    /// When it was rejected.
    public var rejectedAt: Date

    /// Where a rejected input came from: a topic position or an HTTP request.
    public struct Source: Codable, Sendable, Hashable {
        /// Source topic.
        public var topic: String?
        /// Source partition.
        public var partition: Int32?
        /// Source offset.
        public var offset: Int64?
        /// The HTTP request id, for input POSTed to survey-intake.
        public var httpRequestId: String?

        /// Creates a source.
        public init(topic: String? = nil, partition: Int32? = nil, offset: Int64? = nil, httpRequestId: String? = nil) {
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.httpRequestId = httpRequestId
        }
    }

    /// Creates a rejection.
    public init(
        code: RejectionCode,
        field: String?,
        reason: String,
        source: Source,
        original: [UInt8],
        eventId: String? = nil,
        rejectedAt: Date
    ) {
        self.schema = SchemaVersion.rejected
        self.code = code
        self.field = field
        self.reason = reason
        self.source = source
        self.original = Data(original).base64EncodedString()
        self.eventId = eventId
        self.rejectedAt = rejectedAt
    }
}
