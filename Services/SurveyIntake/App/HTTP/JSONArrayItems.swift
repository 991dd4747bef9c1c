/// Splits a JSON array into the exact bytes of each element, so each item of a batch is validated, and if
/// rejected kept, as the client sent it.
enum JSONArrayItems {
    /// The byte ranges of the top-level elements of `bytes`, whitespace trimmed; `nil` when `bytes` is not an
    /// array. Expects bytes that already parsed as JSON (strings and nesting are tracked, not re-validated).
    static func split(_ bytes: [UInt8]) -> [Range<Int>]? {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        var items: [Range<Int>] = []
        var depth = 0
        var inString = false
        var start: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                if start == nil { start = index }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if start == nil { start = index }
                depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
            case UInt8(ascii: "]"):
                if depth == 0 {
                    if let begin = start { items.append(begin..<trimmedEnd(bytes, begin, index)) }
                    return items
                }
                depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                if let begin = start { items.append(begin..<trimmedEnd(bytes, begin, index)) }
                start = nil
            default:
                if start == nil, !isWhitespace(byte) { start = index }
            }
            index += 1
        }
        return items
    }

    private static func trimmedEnd(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return end
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
