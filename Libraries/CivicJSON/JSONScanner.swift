/// A cursor over JSON bytes (RFC 8259) for the code that reads JSON without building a tree: the fast path of
/// submitted responses, the repeated-key check, the split of a batch into its items' exact bytes, and the
/// JSON lines of `civicctl score`. The one JSON reader of the project; ``JSONWriter`` is the one writer.
///
/// Every reading method skips the whitespace before what it reads, consumes it and returns it, or returns
/// `nil` (or `false`) having consumed an unspecified part of it: a caller that gives up on `nil` does not
/// need to rewind. Strings are checked as JSON says (no raw control characters, valid escapes); the bytes
/// are expected to be valid UTF-8.
package struct JSONScanner {
    /// The document.
    package let bytes: [UInt8]
    /// The position of the next byte to read.
    package var index: Int

    /// Values nested deeper than this are refused by ``skipValue()``, so hostile nesting cannot exhaust
    /// the stack.
    package static let maximumDepth = 512

    /// A scanner at `index` of `bytes`.
    package init(_ bytes: [UInt8], at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    // MARK: - Structure

    /// Moves past spaces, tabs, line feeds and carriage returns.
    package mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Whether only whitespace is left.
    package mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    /// The next byte after whitespace, not consumed.
    package mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Consumes `byte` if it is next (after whitespace).
    package mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `null` if it is next.
    package mutating func null() -> Bool {
        literal("null")
    }

    /// A `true` or `false` literal.
    package mutating func bool() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        skipWhitespace()
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { $0.elementsEqual(bytes[index..<index + count]) }
        if matches { index += count }
        return matches
    }

    /// Reads an object, calling `member` after each key with the scanner at its value; `member` reads the
    /// value and returns `false` to give up. `false` for anything but a complete object.
    /// - Parameter readingKeysLeniently: Whether a key's lone surrogate escape reads as U+FFFD
    ///   (``stringBytes(replacingLoneSurrogates:)``).
    package mutating func object(
        readingKeysLeniently: Bool = false,
        _ member: (inout JSONScanner, _ key: ArraySlice<UInt8>) -> Bool
    ) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = stringBytes(replacingLoneSurrogates: readingKeysLeniently), consume(UInt8(ascii: ":")), member(&self, key)
            else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// Reads an array, calling `element` with the scanner at each element; `element` reads it and returns
    /// `false` to give up. `false` for anything but a complete array.
    package mutating func array(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    /// Moves past one complete, valid value of any kind; `false` when there is none.
    package mutating func skipValue() -> Bool {
        skipValue(depth: 0)
    }

    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < Self.maximumDepth, let next = peek() else { return false }
        switch next {
        case UInt8(ascii: "{"): return object { scanner, _ in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return array { $0.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): return stringBytes() != nil
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return bool() != nil
        case UInt8(ascii: "n"): return null()
        default: return numberText() != nil
        }
    }

    // MARK: - Strings

    /// A string, unescaped.
    /// - Parameter replacingLoneSurrogates: Whether a `\u` escape of half a surrogate pair reads as U+FFFD
    ///   (as lenient parsers do) instead of making the string unreadable.
    package mutating func string(replacingLoneSurrogates: Bool = false) -> String? {
        stringBytes(replacingLoneSurrogates: replacingLoneSurrogates).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A string's UTF-8, unescaped: a slice of ``bytes`` when it has no escape (no copy).
    package mutating func stringBytes(replacingLoneSurrogates: Bool = false) -> ArraySlice<UInt8>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var start = index
        var decoded: [UInt8]?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                guard var decoded else { return bytes[start..<index] }
                decoded.append(contentsOf: bytes[start..<index])
                return decoded[...]
            }
            guard byte >= 0x20 else { return nil }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            var output = decoded ?? []
            output.append(contentsOf: bytes[start..<index])
            index += 1
            guard index < bytes.count else { return nil }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard let scalar = unicodeEscape(replacingLoneSurrogates: replacingLoneSurrogates) else { return nil }
                output.append(contentsOf: String(Character(scalar)).utf8)
            default: return nil
            }
            decoded = output
            start = index
        }
        return nil
    }

    /// The scalar of `XXXX` (after `\u`), joining a surrogate pair written as two escapes.
    private mutating func unicodeEscape(replacingLoneSurrogates: Bool) -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if high < 0xD800 || high > 0xDFFF { return Unicode.Scalar(high) }
        let replacement: Unicode.Scalar? = replacingLoneSurrogates ? "\u{FFFD}" : nil
        guard high <= 0xDBFF, index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        else { return replacement }
        let afterHigh = index
        index += 2
        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else {
            // The second escape is read again as a character of its own.
            index = afterHigh
            return replacement
        }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: - Numbers

    /// A number's text exactly as written (`-0`, `1.50`, `1e3`), checked against JSON's grammar.
    package mutating func numberText() -> ArraySlice<UInt8>? {
        skipWhitespace()
        let start = index
        func digits(_ scanner: inout JSONScanner) -> Int {
            let begin = scanner.index
            while scanner.index < scanner.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(scanner.bytes[scanner.index]) {
                scanner.index += 1
            }
            return scanner.index - begin
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            return nil
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { return nil }
        }
        return bytes[start..<index]
    }

    /// A plain integer (`-?[1-9][0-9]*` or `0`, at most 18 digits, no `-0`); `nil` for anything else,
    /// including a number with a fraction or an exponent.
    package mutating func integer() -> Int? {
        skipWhitespace()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            // Past 18 digits the value could overflow.
            guard index - start < 18 else { return nil }
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        let digits = index - start
        guard digits >= 1, !(digits > 1 && bytes[start] == UInt8(ascii: "0")), !(negative && value == 0) else { return nil }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
        return negative ? -value : value
    }
}
