/// The JSON-lines interface used by the CLI.
///
/// Input, one object per line: `{"id": "c1", "text": "…", "locale": "en-US"}` where `id` is a
/// string or a number (echoed exactly as written), `text` is required and `locale` is optional
/// (string or null). Other keys are ignored. Blank lines are skipped.
///
/// Output, one line per input line in the same order, with Python's default separators:
/// `{"id": "c1", "sentiment": {"neg": 0.0, "neu": 0.508, "pos": 0.492, "compound": 0.4404}, "emotions": {}}`
/// or, when not scored, `{"id": "c1", "sentiment": null, "unscored_reason": "non_english_locale", "emotions": {}}`.
/// Numbers are printed like Python's `repr` (`0.1`, `1.0`, `0.0`, `-0.0`).
extension CommentScorer {
    /// Parses one input line.
    /// - Throws: ``CivicSentimentError`` with code `malformedInput`.
    public static func parseJSONLine(_ line: String) throws(CivicSentimentError) -> CommentInput {
        let value: JSONText.Value
        do {
            value = try JSONText.parse(line)
        } catch {
            throw CivicSentimentError(
                code: .malformedInput,
                reason: "invalid JSON at byte \(error.offset): \(error.message)"
            )
        }
        guard case .object(let members) = value else {
            throw CivicSentimentError(code: .malformedInput, reason: "a line must be a JSON object")
        }
        let id: CommentID
        switch members["id"] {
        case .string(let text): id = .string(text)
        case .number(let text): id = .number(text)
        default:
            throw CivicSentimentError(code: .malformedInput, reason: "\"id\" must be a string or a number")
        }
        guard case .string(let text) = members["text"] else {
            throw CivicSentimentError(code: .malformedInput, reason: "\"text\" must be a string (id \(id))")
        }
        var locale: String?
        switch members["locale"] {
        case nil, .null?: locale = nil
        case .string(let tag)?: locale = tag
        default:
            throw CivicSentimentError(code: .malformedInput, reason: "\"locale\" must be a string or null (id \(id))")
        }
        return CommentInput(id: id, text: text, locale: locale)
    }

    /// Formats one result as an output line (without the trailing newline).
    public static func formatJSONLine(_ scored: ScoredComment) -> String {
        var out = "{\"id\": " + scored.id.jsonText + ", \"sentiment\": "
        if let s = scored.sentiment {
            out += "{\"neg\": " + JSONText.number(s.neg) + ", \"neu\": " + JSONText.number(s.neu)
            out += ", \"pos\": " + JSONText.number(s.pos) + ", \"compound\": " + JSONText.number(s.compound) + "}"
        } else {
            out += "null"
            if let reason = scored.unscoredReason {
                out += ", \"unscored_reason\": " + JSONText.quoted(reason.rawValue)
            }
        }
        out += ", \"emotions\": {"
        var first = true
        for emotion in Emotion.allCases {
            guard let signal = scored.emotions.signals[emotion] else { continue }
            if !first { out += ", " }
            first = false
            out += JSONText.quoted(emotion.rawValue) + ": {\"count\": \(signal.count), \"negated\": \(signal.negated)"
            out += ", \"intensity\": " + JSONText.number(signal.intensity) + ", \"terms\": ["
            out += signal.terms.map(JSONText.quoted).joined(separator: ", ") + "]}"
        }
        out += "}}"
        return out
    }

    /// Scores JSON lines in parallel and returns the output lines in input order.
    /// Blank input lines are skipped.
    /// - Throws: ``CivicSentimentError`` (`malformedInput`) naming the first bad line (1-based).
    public func scoreJSONLines(_ lines: [String]) async throws(CivicSentimentError) -> [String] {
        var inputs: [CommentInput] = []
        inputs.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                inputs.append(try Self.parseJSONLine(line))
            } catch {
                throw CivicSentimentError(code: .malformedInput, reason: "line \(index + 1): \(error.reason)", underlying: error)
            }
        }
        return await score(inputs).map(Self.formatJSONLine)
    }
}
