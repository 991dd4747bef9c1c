/// Finds the first object key that appears twice in the same JSON object.
///
/// Foundation's JSON parsers keep one of the values silently, so a response with `"trust"` twice could be
/// counted either way; intake refuses it instead. The scanner runs on bytes that already parsed as JSON,
/// walks them once, and compares keys by their decoded code points (so `"a"` and `"\u0061"` are the same
/// key, as JSON says).
///
/// It runs on every submission, so it allocates little: a key without escapes is compared as a slice of the
/// input, small objects are searched linearly, and the dotted path is only spelled out for a duplicate.
enum DuplicateKeyScanner {
    /// Objects with more keys than this are checked through a hash set instead of a linear search.
    private static let linearSearchLimit = 16

    private struct Frame {
        var isObject: Bool
        var expectingKey = false
        /// The key this object or array is the value of, for the dotted path.
        var name: ArraySlice<UInt8>?
        var keys: [ArraySlice<UInt8>] = []
        var keySet: Set<ArraySlice<UInt8>>?

        /// Records `key`; `false` if the object already has it.
        mutating func insert(_ key: ArraySlice<UInt8>) -> Bool {
            if var keySet {
                self.keySet = nil  // keep the set uniquely referenced while it is mutated
                let inserted = keySet.insert(key).inserted
                self.keySet = keySet
                return inserted
            }
            if keys.contains(key) { return false }
            keys.append(key)
            if keys.count > DuplicateKeyScanner.linearSearchLimit {
                keySet = Set(keys)
                keys = []
            }
            return true
        }
    }

    /// The dotted path of the first repeated key (for example `answers.trust`), or `nil` when every key
    /// is unique within its object.
    static func firstDuplicate(in bytes: [UInt8]) -> String? {
        var stack: [Frame] = []
        var pendingName: ArraySlice<UInt8>?
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(Frame(isObject: true, expectingKey: true, name: pendingName))
                pendingName = nil
                index += 1
            case UInt8(ascii: "["):
                stack.append(Frame(isObject: false, name: pendingName))
                pendingName = nil
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                index += 1
            case UInt8(ascii: ","):
                if !stack.isEmpty, stack[stack.count - 1].isObject { stack[stack.count - 1].expectingKey = true }
                pendingName = nil
                index += 1
            case UInt8(ascii: "\""):
                let (key, next) = string(in: bytes, from: index + 1)
                index = next
                guard !stack.isEmpty, stack[stack.count - 1].isObject, stack[stack.count - 1].expectingKey else { continue }
                if !stack[stack.count - 1].insert(key) {
                    return (stack.compactMap(\.name) + [key]).map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
                }
                stack[stack.count - 1].expectingKey = false
                pendingName = key
            default:
                index += 1
            }
        }
        return nil
    }

    /// The JSON string whose body starts at `start` (after its opening quote), as its decoded UTF-8: a slice
    /// of `bytes` when it has no escapes. Also returns the index after the closing quote.
    private static func string(in bytes: [UInt8], from start: Int) -> (ArraySlice<UInt8>, Int) {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return (bytes[start..<index], index + 1)
            case UInt8(ascii: "\\"):
                let (decoded, next) = decodeEscaped(bytes, from: start)
                return (decoded[...], next)
            default: index += 1
            }
        }
        return (bytes[start..<index], index)
    }

    /// Decodes a JSON string body that has escapes, starting after its opening quote; returns its UTF-8 and
    /// the index after the closing quote.
    private static func decodeEscaped(_ bytes: [UInt8], from start: Int) -> ([UInt8], Int) {
        var output: [UInt8] = []
        var index = start
        var pendingHighSurrogate: UInt32?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return (output, index + 1) }
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(8)
            case UInt8(ascii: "f"): output.append(12)
            case UInt8(ascii: "n"): output.append(10)
            case UInt8(ascii: "r"): output.append(13)
            case UInt8(ascii: "t"): output.append(9)
            case UInt8(ascii: "u"):
                guard index + 4 <= bytes.count, let unit = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
                else { return (output, index) }
                index += 4
                if (0xD800...0xDBFF).contains(unit) {
                    pendingHighSurrogate = unit
                    continue
                }
                var scalarValue = unit
                if (0xDC00...0xDFFF).contains(unit), let high = pendingHighSurrogate {
                    scalarValue = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                }
                pendingHighSurrogate = nil
                output.append(contentsOf: Array(String(Unicode.Scalar(scalarValue).map(Character.init) ?? "\u{FFFD}").utf8))
            default: output.append(escape)  // \" \\ \/
            }
        }
        return (output, index)
    }
}
