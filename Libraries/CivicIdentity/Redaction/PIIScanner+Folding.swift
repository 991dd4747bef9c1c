import Foundation

/// Text folded for matching: PII is found however it is written (full-width forms, other scripts' digits,
/// unusual spaces and dashes), while every match still names the original bytes, so the redaction removes the
/// original span.
///
/// Each character outside ASCII that has an ASCII compatibility form is replaced by it: full-width forms
/// (`０`-`９`, `Ａ`-`ｚ`, `＠`, `－`, …) by arithmetic, decimal digits of every script (Arabic-Indic,
/// Devanagari, Bengali, Thai, …; Unicode `Nd`) by `0`-`9`, space separators (`Zs`, e.g. no-break and
/// ideographic spaces) by a space, dash punctuation (`Pd`) and the minus sign by `-`, and the compatibility
/// blocks NFKC maps to ASCII (small forms, super- and subscripts, letterlike symbols, enclosed alphanumerics,
/// mathematical alphanumerics) by their NFKC form. Every other byte is kept as it is.
struct FoldedText {
    /// The bytes the matchers read.
    let bytes: [UInt8]
    /// For each folded byte, where its original character starts in the original bytes.
    private let originalStarts: [Int]
    /// For each folded byte, where its original character ends in the original bytes.
    private let originalEnds: [Int]

    /// `original` folded, or `nil` when folding changes nothing (ASCII text, or no foldable character): the
    /// matchers then read the original bytes themselves.
    init?(_ original: [UInt8]) {
        guard original.contains(where: { $0 >= 0x80 }) else { return nil }
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var ends: [Int] = []
        bytes.reserveCapacity(original.count)
        starts.reserveCapacity(original.count)
        ends.reserveCapacity(original.count)
        var changed = false
        var index = 0
        while index < original.count {
            let lead = original[index]
            guard lead >= 0x80, let (scalar, length) = Self.decode(original, at: index) else {
                bytes.append(lead)
                starts.append(index)
                ends.append(index + 1)
                index += 1
                continue
            }
            if let ascii = Self.asciiForm(of: scalar) {
                changed = true
                for byte in ascii {
                    bytes.append(byte)
                    starts.append(index)
                    ends.append(index + length)
                }
            } else {
                for offset in 0..<length {
                    bytes.append(original[index + offset])
                    starts.append(index)
                    ends.append(index + length)
                }
            }
            index += length
        }
        guard changed else { return nil }
        self.bytes = bytes
        self.originalStarts = starts
        self.originalEnds = ends
    }

    /// `matches` (found in ``bytes``) as spans of the original bytes, whole characters, sorted and not overlapping.
    func original(_ matches: [PIIMatch]) -> [PIIMatch] {
        var result: [PIIMatch] = []
        result.reserveCapacity(matches.count)
        for match in matches where match.start < match.end && match.end <= self.bytes.count {
            let mapped = PIIMatch(start: self.originalStarts[match.start], end: self.originalEnds[match.end - 1], kind: match.kind)
            if let last = result.last, mapped.start < last.end { continue }
            result.append(mapped)
        }
        return result
    }

    /// The scalar at `index` and its length in bytes, or `nil` for an ill-formed sequence (kept byte by byte).
    private static func decode(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// The ASCII form of a non-ASCII scalar, if it has one.
    static func asciiForm(of scalar: Unicode.Scalar) -> [UInt8]? {
        let value = scalar.value
        if (0xFF01...0xFF5E).contains(value) { return [UInt8(truncatingIfNeeded: value - 0xFEE0)] }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .decimalNumber:
            guard let digit = properties.numericValue.flatMap({ UInt8(exactly: $0) }), digit <= 9 else { return nil }
            return [UInt8(ascii: "0") + digit]
        case .spaceSeparator:
            return [UInt8(ascii: " ")]
        case .dashPunctuation:
            return [UInt8(ascii: "-")]
        default:
            break
        }
        if value == 0x2212 { return [UInt8(ascii: "-")] }
        guard Self.compatibilityBlocks.contains(where: { $0.contains(value) }) else { return nil }
        let folded = Array(String(Character(scalar)).precomposedStringWithCompatibilityMapping.utf8)
        guard !folded.isEmpty, folded.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return folded
    }

    /// Blocks whose characters NFKC may map to ASCII letters, digits or punctuation.
    private static let compatibilityBlocks: [ClosedRange<UInt32>] = [
        0x2070...0x209F,  // superscripts and subscripts
        0x2100...0x214F,  // letterlike symbols
        0x2460...0x24FF,  // enclosed alphanumerics
        0xFE50...0xFE6F,  // small form variants (﹫, ﹒, …)
        0x1D400...0x1D7FF,  // mathematical alphanumeric symbols
    ]
}

extension PIIScanner {
    /// Every match in `original`, found on its folded form (``FoldedText``) and given as spans of the original
    /// bytes.
    static func matches(in original: [UInt8], plan: Plan) -> [PIIMatch] {
        guard let folded = FoldedText(original) else {
            var scanner = PIIScanner(bytes: original, plan: plan)
            return scanner.scan()
        }
        var scanner = PIIScanner(bytes: folded.bytes, plan: plan)
        return folded.original(scanner.scan())
    }

    /// ``matches(in:plan:)`` with a configuration.
    static func matches(in original: [UInt8], configuration: PIIRedactor.Configuration) -> [PIIMatch] {
        matches(in: original, plan: Plan(configuration))
    }
}
