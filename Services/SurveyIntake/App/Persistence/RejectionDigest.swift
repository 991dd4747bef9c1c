import CivicIdentity
import CivicModels
import Crypto

/// What survey-intake keeps of a rejected input in `intake.rejections`: its size, its SHA-256 digest (to match
/// it with a copy the submitter holds) and a short excerpt with identity credentials removed
/// (``CredentialScrubber``) and personal information redacted (``PIIRedactor``), never the bytes themselves.
/// The rejected topic carries the input for the integrator to fix and resend (see ``RejectedFeedback``).
struct RejectionDigest: Sendable, Equatable {
    /// The most bytes of the (scrubbed) input the excerpt is cut from: 512.
    static let excerptBytes = 512

    /// The input's size in bytes.
    var size: Int
    /// SHA-256 of the input as received.
    var sha256: [UInt8]
    /// The input's beginning, credentials removed and PII redacted; invalid UTF-8 is replaced by U+FFFD.
    var excerpt: String

    /// What is kept of `original`.
    init(_ original: [UInt8], redactor: PIIRedactor = IntakeStore.Encoded.redactor) {
        size = original.count
        sha256 = Array(SHA256.hash(data: original))
        // Scrubbed whole, then cut, so a credential cannot survive half-cut at the limit; cut at a character
        // boundary (the decoder replaces what a cut splits) and redacted after the cut so a redaction is never
        // cut into a fragment that escapes it.
        let scrubbed = CredentialScrubber.scrub(original)
        var end = min(scrubbed.count, Self.excerptBytes)
        while end > 0, end < scrubbed.count, scrubbed[end] & 0xC0 == 0x80 { end -= 1 }
        let text = RejectedFeedback.storable(String(decoding: scrubbed[..<end], as: UTF8.self))
        excerpt = redactor.redact(text).text
    }

    /// A rejection's text (field or reason, which may quote the input) as stored: credentials removed and PII
    /// redacted, like the excerpt.
    static func storable(_ text: String) -> String {
        IntakeStore.Encoded.redactor.redact(CredentialScrubber.scrub(text)).text
    }
}
