/// Splits a comment into lower-case words and clause breaks, byte by byte (no allocation beyond the words).
///
/// Letters are ASCII letters (lower-cased) and any non-ASCII byte except the typographic punctuation of
/// U+2000-U+206F; an apostrophe inside a word is dropped (`didn't` is `didnt`). A word with a digit is dropped
/// (amounts, dates, case numbers), as is a redaction placeholder such as `[EMAIL]` or `[VA_CLAIM]`, which
/// identity-verify writes in place of PII. `. , ; : ! ? ( ) " —` and line breaks end a clause: n-grams and
/// negation never cross one.
struct CommentWords {
    /// The words, in order.
    private(set) var words: [String] = []
    /// Whether each word starts a clause.
    private(set) var startsClause: [Bool] = []

    private var buffer: [UInt8] = []

    init() {
        words.reserveCapacity(64)
        startsClause.reserveCapacity(64)
        buffer.reserveCapacity(32)
    }

    /// Replaces the words with those of `text`.
    mutating func split(_ text: String) {
        words.removeAll(keepingCapacity: true)
        startsClause.removeAll(keepingCapacity: true)
        buffer.removeAll(keepingCapacity: true)
        var text = text
        text.withUTF8 { bytes in scan(bytes) }
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var clause = true
        var hasDigit = false
        var index = 0
        let count = bytes.count
        func flush(_ this: inout CommentWords) {
            if !this.buffer.isEmpty {
                if !hasDigit && this.buffer.count <= 40 {
                    this.words.append(String(decoding: this.buffer, as: UTF8.self))
                    this.startsClause.append(clause)
                    clause = false
                }
                this.buffer.removeAll(keepingCapacity: true)
            }
            hasDigit = false
        }
        while index < count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                buffer.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                buffer.append(byte | 0x20)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                buffer.append(byte)
                hasDigit = true
            case UInt8(ascii: "'"):
                break
            case UInt8(ascii: "["):
                // A redaction placeholder: `[` upper-case letters or `_` `]`.
                var end = index + 1
                while end < count, end - index <= 24, bytes[end] == UInt8(ascii: "_") || (bytes[end] >= 65 && bytes[end] <= 90) {
                    end += 1
                }
                flush(&self)
                if end < count, end > index + 1, bytes[end] == UInt8(ascii: "]") { index = end }
            case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80:
                // U+2000-U+203F: the right single quotation mark is an apostrophe; dashes and quotes end a clause.
                if bytes[index + 2] != 0x99 {
                    flush(&self)
                    clause = true
                }
                index += 2
            case 0x80...0xFF:
                buffer.append(byte)
            case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
                UInt8(ascii: "?"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "\n"):
                flush(&self)
                clause = true
            default:
                flush(&self)
            }
            index += 1
        }
        flush(&self)
    }
}
