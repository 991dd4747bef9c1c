import Foundation

/// An input a stage could not accept, published to ``CivicTopic/rejected`` (the dead-letter topic) so nothing
/// is dropped silently: a validator's rejection, or a message a stage's failure policy set aside.
///
/// Its text (`field`, `reason`, `eventId`) never holds a NUL (each becomes `\u0000` written out), so every
/// stage and database can store it, and ``original`` keeps at most ``maximumOriginalBytes`` of the input, so
/// the record fits the broker's message limit however large the input was.
///
/// It carries what an integrator needs to fix and resend the input, minus any identity credential: the
/// original bytes pass ``CredentialScrubber`` (the value of `identity`, `idToken` and similar members, and
/// anything shaped like a JWT, are replaced) before they are kept, and the reason and event id pass it too.
package struct RejectedFeedback: Codable, Sendable, Hashable {
    /// ``SchemaVersion/rejected``.
    package var schema: String
    /// Machine-readable reason, for example `out_of_range`.
    package var code: RejectionCode
    /// The offending field as a dotted path, for example `answers.ease`, when one field is to blame.
    package var field: String?
    /// Human-readable reason naming the field, for example `answers.ease: 7 is outside 1...5`.
    package var reason: String
    /// Where the input came from.
    package var source: Source
    /// The original bytes with identity credentials removed (``CredentialScrubber``), base64-encoded: the
    /// first ``maximumOriginalBytes`` of them when the input was larger (``originalSize`` says how large).
    package var original: String
    /// The size of the input in bytes, when ``original`` holds only its beginning.
    package var originalSize: Int?
    /// The stage that set the input aside (`intake`, `identity`, `scorer`, `reporting`), when not intake's
    /// validation.
    package var stage: String?
    /// The event id, when it could be read.
    package var eventId: String?
    /// When it was rejected.
    package var rejectedAt: Date

    /// Where a rejected input came from: a topic position or an HTTP request.
    package struct Source: Codable, Sendable, Hashable {
        /// Source topic.
        package var topic: String?
        /// Source partition.
        package var partition: Int32?
        /// Source offset.
        package var offset: Int64?
        /// The HTTP request id, for input POSTed to survey-intake.
        package var httpRequestId: String?

        /// Creates a source.
        package init(topic: String? = nil, partition: Int32? = nil, offset: Int64? = nil, httpRequestId: String? = nil) {
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.httpRequestId = httpRequestId
        }
    }

    /// Creates a rejection.
    package init(
        code: RejectionCode,
        field: String?,
        reason: String,
        source: Source,
        original: [UInt8],
        eventId: String? = nil,
        stage: String? = nil,
        rejectedAt: Date
    ) {
        self.schema = SchemaVersion.rejected
        self.code = code
        self.field = field.map(Self.storable)
        self.reason = Self.storable(CredentialScrubber.scrub(reason))
        self.source = source
        // Scrubbed before it is cut, so no credential can survive half-cut at the limit.
        let scrubbed = CredentialScrubber.scrub(original)
        if scrubbed.count > Self.maximumOriginalBytes {
            self.original = Data(scrubbed.prefix(Self.maximumOriginalBytes)).base64EncodedString()
            self.originalSize = original.count
        } else {
            self.original = Data(scrubbed).base64EncodedString()
        }
        self.eventId = eventId.map { Self.storable(CredentialScrubber.scrub($0)) }
        self.stage = stage
        self.rejectedAt = rejectedAt
    }

    /// The most bytes of the input a rejection keeps: 256 KiB, a third of a megabyte once base64-encoded,
    /// well inside the broker's default 1 MB message limit.
    package static let maximumOriginalBytes = 256 * 1024

    /// `text` with each NUL written out as `\u0000`, which no database or stage refuses.
    package static func storable(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\\u0000") : text
    }
}
