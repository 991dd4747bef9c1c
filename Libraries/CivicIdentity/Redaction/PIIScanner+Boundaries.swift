/// Context cues, word boundaries and the byte classes every matcher reads with.
extension PIIScanner {
    /// Whether one of `words` (lower case ASCII) occurs in the window before `start`.
    func hasContext(before start: Int, _ words: [[UInt8]]) -> Bool {
        let windowStart = max(0, start - self.contextWindow)
        guard start > windowStart else { return false }
        var window: [UInt8] = []
        window.reserveCapacity(start - windowStart)
        for index in windowStart..<start {
            let byte = self.at(index)
            window.append(Self.isUpper(byte) ? byte | 0x20 : byte)
        }
        for word in words where word.count <= window.count {
            var offset = 0
            while offset + word.count <= window.count {
                if window[offset..<(offset + word.count)].elementsEqual(word) { return true }
                offset += 1
            }
        }
        return false
    }

    /// A match may start at `start` unless glued to a preceding word or number
    /// (`A1`, `x-1`, `2024/1`, `v1.2`).
    func leftBoundary(_ start: Int) -> Bool {
        guard start > 0 else { return true }
        let previous = self.at(start - 1)
        if Self.isWordByte(previous) || previous == UInt8(ascii: "@") { return false }
        if previous == UInt8(ascii: "-") || previous == UInt8(ascii: ".") || previous == UInt8(ascii: "/") {
            return start < 2 || !Self.isWordByte(self.at(start - 2))
        }
        return true
    }

    /// A match may end at `end` unless it runs on into a word or number
    /// (`…6789a`, `…6789-1`, `…6789.5`, `…6789@`).
    func rightBoundary(_ end: Int) -> Bool {
        guard end < self.count else { return true }
        let next = self.at(end)
        if Self.isWordByte(next) || next == UInt8(ascii: "@") { return false }
        let after = self.at(end + 1)
        if next == UInt8(ascii: "-") || next == UInt8(ascii: "/") {
            return !Self.isWordByte(after)
        }
        if next == UInt8(ascii: ".") || next == UInt8(ascii: ",") {
            return !Self.isDigit(after)
        }
        return true
    }

    // MARK: Bytes

    /// The byte at `index`, or 0 outside the buffer.
    @inline(__always)
    func at(_ index: Int) -> UInt8 {
        index >= 0 && index < self.count ? self.bytes[index] : 0
    }

    /// How many ASCII digits start at `index` (capped at 64).
    func digitRun(at index: Int) -> Int {
        var length = 0
        while length < 64, Self.isDigit(self.at(index + length)) { length += 1 }
        return length
    }

    func number(at index: Int, length: Int) -> Int {
        var value = 0
        for offset in 0..<length {
            value = value * 10 + Int(self.at(index + offset) &- UInt8(ascii: "0"))
        }
        return value
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool {
        isUpper(byte) || isLower(byte)
    }
    @inline(__always) static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLetter(byte)
    }
    /// ASCII letters, digits and `_` (non-ASCII bytes count as separators, so emoji and accents
    /// next to a number do not protect it from redaction).
    @inline(__always) static func isWordByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_")
    }
    @inline(__always) static func isPhoneSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: " ")
    }
    @inline(__always) static func isEmailLocalByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }
}
