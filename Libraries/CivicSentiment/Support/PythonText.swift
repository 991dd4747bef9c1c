/// Byte-level re-implementations of the Python `str` behaviours VADER depends on.
///
/// Everything works on valid UTF-8 (what a Swift `String` stores). Equality is always
/// byte/code-point equality, never Swift `String` equality, which would apply canonical
/// equivalence (U+037E GREEK QUESTION MARK == ";", U+212A KELVIN SIGN == "K").
enum PythonText {
    /// The reference interpreter's Unicode database version (CPython 3.11, Unicode 14.0.0).
    /// Scalars assigned later are uncased there, so they are treated as uncased here too.
    static let unicodeVersion: Unicode.Version = (major: 14, minor: 0)

    /// Byte length of the Python-whitespace scalar starting at `index`, or 0.
    ///
    /// Python `str.isspace()` / `str.split()` (Unicode 14): U+0009–000D, U+001C–001F, U+0020,
    /// U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    @inline(__always)
    static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let b0 = bytes[index]
        if b0 < 0x80 {
            return (b0 == 0x20 || (b0 >= 0x09 && b0 <= 0x0D) || (b0 >= 0x1C && b0 <= 0x1F)) ? 1 : 0
        }
        switch b0 {
        case 0xC2:
            guard index + 1 < bytes.count else { return 0 }
            let b1 = bytes[index + 1]
            return (b1 == 0x85 || b1 == 0xA0) ? 2 : 0
        case 0xE1:
            guard index + 2 < bytes.count else { return 0 }
            return (bytes[index + 1] == 0x9A && bytes[index + 2] == 0x80) ? 3 : 0
        case 0xE2:
            guard index + 2 < bytes.count else { return 0 }
            let b1 = bytes[index + 1]
            let b2 = bytes[index + 2]
            if b1 == 0x80 {
                // U+2000–200A, U+2028, U+2029, U+202F
                return ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) ? 3 : 0
            }
            return (b1 == 0x81 && b2 == 0x9F) ? 3 : 0  // U+205F
        case 0xE3:
            guard index + 2 < bytes.count else { return 0 }
            return (bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80) ? 3 : 0  // U+3000
        default:
            return 0
        }
    }

    /// Whether a scalar is Python whitespace.
    static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
            0x3000:
            true
        default:
            false
        }
    }

    /// Membership in Python's `string.punctuation`: ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``.
    /// A 128-bit table: bit `b` of (low word for 0–63, high word for 64–127).
    @inline(__always)
    static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        let bits: UInt64 = byte < 64 ? 0xFC00_FFFE_0000_0000 : 0x7800_0001_F800_0001
        return byte < 0x80 && (bits &>> UInt64(byte)) & 1 != 0  // &>> shifts by byte % 64
    }

    /// Length in bytes of the UTF-8 sequence introduced by `lead`.
    @inline(__always)
    static func sequenceLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }

    /// Decodes the scalar starting at `index` of valid UTF-8.
    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(bytes[index])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 {
            return (((b0 & 0x1F) << 6) | (UInt32(bytes[index + 1]) & 0x3F), 2)
        }
        if b0 < 0xF0 {
            return (
                ((b0 & 0x0F) << 12) | ((UInt32(bytes[index + 1]) & 0x3F) << 6) | (UInt32(bytes[index + 2]) & 0x3F), 3
            )
        }
        return (
            ((b0 & 0x07) << 18) | ((UInt32(bytes[index + 1]) & 0x3F) << 12) | ((UInt32(bytes[index + 2]) & 0x3F) << 6)
                | (UInt32(bytes[index + 3]) & 0x3F), 4
        )
    }

    /// Per-scalar case flags as CPython's `_PyUnicode_TypeRecord` has them: `lowerOrTitle`
    /// (Unicode *Lowercase* or category Lt) and `upper` (Unicode *Uppercase*).
    ///
    /// Swift's own tables are newer than Unicode 14, so scalars assigned later are treated as
    /// uncased, and the few scalars whose *Lowercase* property changed after 14.0 are pinned to
    /// their 14.0 value. The oracle test checks every code point against CPython.
    @inline(__always)
    static func caseFlags(_ value: UInt32) -> (lowerOrTitle: Bool, upper: Bool) {
        switch value {
        case 0x0295: return (true, false)  // ʕ: Lowercase in 14.0, Other_Letter only later
        case 0x10FC, 0xA7F2, 0xA7F3, 0xA7F4, 0xAB69: return (false, false)  // modifier letters made Lowercase after 14.0
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return (false, false) }
        let properties = scalar.properties
        guard let age = properties.age,
            age.major < unicodeVersion.major
                || (age.major == unicodeVersion.major && age.minor <= unicodeVersion.minor)
        else {
            return (false, false)
        }
        let lowerOrTitle = properties.isLowercase || properties.generalCategory == .titlecaseLetter
        return (lowerOrTitle, properties.isUppercase)
    }

    /// Python `str.isupper()` over a byte range: no lowercase or titlecase scalar, and at
    /// least one uppercase scalar. Digits, punctuation and symbols are ignored.
    @inline(__always)
    static func isUpper(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var cased = false
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte >= 0x61 && byte <= 0x7A { return false }
                if byte >= 0x41 && byte <= 0x5A { cased = true }
                index += 1
            } else {
                let (value, length) = decodeScalar(bytes, at: index)
                let flags = caseFlags(value)
                if flags.lowerOrTitle { return false }
                if flags.upper { cased = true }
                index += length
            }
        }
        return cased
    }
}
