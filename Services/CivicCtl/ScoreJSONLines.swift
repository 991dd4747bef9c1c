import CivicJSON
import CivicModels
import CivicSentiment

/// The JSON-lines format of `civicctl score`, read with the project's JSON reader (``CivicJSON/JSONScanner``)
/// and scored through the scorer's positional batch API.
///
/// Input, one object per line: `{"id": "c1", "text": "…", "locale": "en-US"}` where `id` is a string or a
/// number (echoed exactly as written), `text` is required and `locale` is optional (string or null). Other
/// keys are ignored; blank lines are skipped.
///
/// Output, one line per input line in the same order, with Python's default separators:
/// `{"id": "c1", "sentiment": {"neg": 0.0, "neu": 0.508, "pos": 0.492, "compound": 0.4404}, "emotions": {}}`
/// or, when not scored, `{"id": "c1", "sentiment": null, "unscored_reason": "non_english_locale", "emotions": {}}`.
/// Numbers are printed like Python's `repr` (`0.1`, `1.0`, `0.0`, `-0.0`).
enum ScoreJSONLines {
    /// One input line.
    struct Input: Equatable {
        /// The `id` as JSON text, exactly as written (a quoted string is re-quoted).
        var id: String
        var text: String
        var locale: String?
    }

    /// An input line that cannot be read, with its 1-based line number.
    struct LineError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// Reads one line.
    /// - Throws: The reason, as text.
    static func parse(_ line: [UInt8]) throws(LineError) -> Input {
        var scanner = JSONScanner(line)
        var id: String?
        var text: String?
        var locale: String??
        var problem = "invalid JSON: expected one object"
        let complete = scanner.object { scanner, key in
            switch String(decoding: key, as: UTF8.self) {
            case "id":
                if scanner.peek() == UInt8(ascii: "\"") {
                    id = scanner.string().map(JSONString.quoted)
                } else {
                    id = scanner.numberText().map { String(decoding: $0, as: UTF8.self) }
                }
                if id == nil { problem = "\"id\" must be a string or a number" }
                return id != nil
            case "text":
                text = scanner.string()
                if text == nil { problem = "\"text\" must be a string" }
                return text != nil
            case "locale":
                if scanner.null() {
                    locale = .some(nil)
                } else {
                    locale = scanner.string().map { .some($0) }
                }
                if locale == nil { problem = "\"locale\" must be a string or null" }
                return locale != nil
            default:
                guard scanner.skipValue() else {
                    problem = "invalid JSON"
                    return false
                }
                return true
            }
        }
        guard complete, scanner.isAtEnd() else { throw LineError(line: 0, reason: "\(problem) (at byte \(scanner.index))") }
        guard let id else { throw LineError(line: 0, reason: "\"id\" must be a string or a number") }
        guard let text else { throw LineError(line: 0, reason: "\"text\" must be a string (id \(id))") }
        return Input(id: id, text: text, locale: locale ?? nil)
    }

    /// One output line (without its newline).
    static func format(id: String, _ score: CommentScore) -> String {
        var out = "{\"id\": " + id + ", \"sentiment\": "
        if let sentiment = score.sentiment {
            out += "{\"neg\": \(sentiment.neg), \"neu\": \(sentiment.neu), \"pos\": \(sentiment.pos), \"compound\": \(sentiment.compound)}"
        } else {
            out += "null"
            if let reason = score.unscoredReason { out += ", \"unscored_reason\": " + JSONString.quoted(reason.rawValue) }
        }
        out += ", \"emotions\": {"
        var first = true
        for emotion in Emotion.allCases {
            guard let signal = score.emotions.signals[emotion] else { continue }
            if !first { out += ", " }
            first = false
            out += JSONString.quoted(emotion.rawValue) + ": {\"count\": \(signal.count), \"negated\": \(signal.negated)"
            out += ", \"intensity\": \(signal.intensity), \"terms\": [" + signal.terms.map(JSONString.quoted).joined(separator: ", ") + "]}"
        }
        return out + "}}"
    }

    /// Scores `lines` in parallel and returns the output lines in input order; blank lines are skipped.
    /// - Parameter firstLine: The 1-based number of `lines[0]` in the whole input, for error messages.
    /// - Throws: ``LineError`` naming the first unreadable line.
    static func score(_ lines: [[UInt8]], firstLine: Int, with scorer: CommentScorer) async throws(LineError) -> [String] {
        var inputs: [Input] = []
        inputs.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) { continue }
            do {
                inputs.append(try parse(line))
            } catch {
                throw LineError(line: firstLine + offset, reason: error.reason)
            }
        }
        let scores = await scorer.scores(inputs.map(\.text), locales: inputs.map(\.locale))
        return zip(inputs, scores).map { format(id: $0.id, $1) }
    }
}
