import CivicModels
import Crypto
import Foundation

/// Decides whether a survey response is spam, from the response itself and from how often its submitter and
/// its comment text were seen for the same agency (``SpamLedger`` keeps those counts in PostgreSQL).
///
/// Each signal is a machine-readable reason in ``SpamAssessment/reasons``:
/// - `honeypot`: the hidden form field holds anything at all, whitespace included (people never see it, so
///   they leave it exactly empty; `""` is not filled in);
/// - `source_rate`: more than ``Configuration/sourceLimit`` responses from one `submitter` within the window;
/// - `repeated_text`: the same normalised comment seen ``Configuration/repeatThreshold`` times or more
///   within the window (comments shorter than ``Configuration/repeatMinimumCharacters`` are not compared);
/// - `link_stuffing`: ``Configuration/linkLimit`` or more URLs, or URLs making up most of the comment.
package struct SpamDetector: Sendable {
    /// Thresholds and windows of the spam signals.
    package struct Configuration: Sendable {
        /// Most responses from one `submitter` for one agency within ``sourceWindowSeconds``; the next one is
        /// flagged `source_rate`. Default: 20. (`CIVIC_INTAKE_SPAM_SOURCE_LIMIT`)
        package var sourceLimit: Int = 20
        /// The `source_rate` window, in seconds of receipt time. Default: 3600. (`CIVIC_INTAKE_SPAM_SOURCE_WINDOW_S`)
        package var sourceWindowSeconds: Int = 3_600
        /// How many times (counting this one) the same normalised comment may be seen for one agency within
        /// ``repeatWindowSeconds`` before it is flagged `repeated_text`. Default: 3.
        /// (`CIVIC_INTAKE_SPAM_REPEAT_THRESHOLD`)
        package var repeatThreshold: Int = 3
        /// The `repeated_text` window, in seconds of receipt time. Default: 86400. (`CIVIC_INTAKE_SPAM_REPEAT_WINDOW_S`)
        package var repeatWindowSeconds: Int = 86_400
        /// Normalised comments shorter than this many characters ("thanks", "great service") are never counted
        /// as repeated. Default: 20. (`CIVIC_INTAKE_SPAM_REPEAT_MIN_CHARS`)
        package var repeatMinimumCharacters: Int = 20
        /// A comment with this many URLs or more is flagged `link_stuffing`; so is one whose URLs make up
        /// more than half of its non-space characters. Default: 3. (`CIVIC_INTAKE_SPAM_LINK_LIMIT`)
        package var linkLimit: Int = 3

        /// Creates a configuration with the documented defaults.
        package init() {}
    }

    /// The machine-readable reasons, the contract's ``SpamReason``.
    package typealias Reason = SpamReason

    /// What the ledger counted for one response, this response included.
    package struct Counts: Sendable, Hashable {
        /// Responses from the same submitter for the same agency within the source window.
        package var fromSubmitter: Int
        /// Responses with the same normalised comment for the same agency within the repeat window.
        package var sameText: Int

        /// Creates counts.
        package init(fromSubmitter: Int, sameText: Int) {
            self.fromSubmitter = fromSubmitter
            self.sameText = sameText
        }
    }

    /// The thresholds.
    package var configuration: Configuration

    /// Creates a detector.
    package init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// The verdict for `event` given the ledger's `counts`.
    package func assess(_ event: FeedbackEvent, counts: Counts) -> SpamAssessment {
        var reasons: [Reason] = []
        if let honeypot = event.honeypot, !honeypot.isEmpty {
            reasons.append(.honeypot)
        }
        if counts.fromSubmitter > configuration.sourceLimit { reasons.append(.sourceRate) }
        if counts.sameText >= configuration.repeatThreshold { reasons.append(.repeatedText) }
        if let comment = event.comment, isLinkStuffed(comment) { reasons.append(.linkStuffing) }
        return SpamAssessment(flagged: !reasons.isEmpty, reasons: reasons)
    }

    /// The SHA-256 of the comment folded for comparison (lower case, letters and digits only, single
    /// spaces), or `nil` when the folded comment is too short to count as repeated text.
    package func textFingerprint(_ comment: String?) -> [UInt8]? {
        guard let comment else { return nil }
        let folded = Self.fold(comment)
        guard folded.count >= configuration.repeatMinimumCharacters else { return nil }
        return Array(SHA256.hash(data: Data(folded.utf8)))
    }

    /// Lower-cased letters and digits, every run of anything else collapsed to one space, trimmed.
    static func fold(_ text: String) -> String {
        foldASCII(text) ?? foldCharacters(text)
    }

    /// ``fold(_:)`` by `Character`, for any text.
    static func foldCharacters(_ text: String) -> String {
        var output = ""
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingSpace, !output.isEmpty { output.append(" ") }
                pendingSpace = false
                output.append(character)
            } else {
                pendingSpace = true
            }
        }
        return output
    }

    /// ``fold(_:)`` of an all-ASCII text, byte by byte (where letters are `A-Z a-z`, numbers `0-9`, and no
    /// character spans bytes); `nil` for any other text. Most comments are ASCII, and folding them by
    /// `Character` was the largest cost of storing a response.
    private static func foldASCII(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { utf8 -> String? in
            var output: [UInt8] = []
            output.reserveCapacity(utf8.count)
            var pendingSpace = false
            for byte in utf8 {
                guard byte < 0x80 else { return nil }
                let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9")) {
                    if pendingSpace, !output.isEmpty { output.append(UInt8(ascii: " ")) }
                    pendingSpace = false
                    output.append(lower)
                } else {
                    pendingSpace = true
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Whether `comment` has ``Configuration/linkLimit`` URLs or more, or URLs are most of its text.
    func isLinkStuffed(_ comment: String) -> Bool {
        let links = Self.links(in: comment)
        guard !links.isEmpty else { return false }
        if links.count >= configuration.linkLimit { return true }
        let linkCharacters = links.reduce(0) { $0 + $1.count }
        let textCharacters = comment.reduce(0) { $0 + ($1.isWhitespace ? 0 : 1) }
        return linkCharacters * 2 > textCharacters
    }

    /// Whether `text` has `http` or `www` in any case: most comments have neither, and then splitting and
    /// lower-casing every word is wasted.
    private static func mayContainLink(_ text: String) -> Bool {
        var previous: (UInt8, UInt8, UInt8) = (0, 0, 0)
        for byte in text.utf8 {
            let lower = byte | 0x20  // ASCII letters to lower case; other bytes do not matter here
            if (previous.0, previous.1, previous.2, lower) == (0x68, 0x74, 0x74, 0x70) { return true }  // http
            if (previous.1, previous.2, lower) == (0x77, 0x77, 0x77) { return true }  // www
            previous = (previous.1, previous.2, lower)
        }
        return false
    }

    /// The whitespace-separated words that are URLs (`http://`, `https://` or `www.`).
    static func links(in text: String) -> [Substring] {
        guard mayContainLink(text) else { return [] }
        return text.split(whereSeparator: \.isWhitespace).filter { word in
            let lower = word.lowercased()
            return lower.contains("http://") || lower.contains("https://") || lower.hasPrefix("www.")
        }
    }
}
