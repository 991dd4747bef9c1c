/// Street addresses: a house number, street words in one style, a suffix and an optional unit.
extension PIIScanner {
    func matchAddress(at start: Int) -> Int? {
        let run = self.digitRun(at: start)
        guard run >= 1 && run <= 6, self.at(start) != UInt8(ascii: "0") else { return nil }
        var position = start + run
        // An optional letter glued to the number: "221B Baker Street".
        if Self.isLetter(self.at(position)), self.at(position + 1) == UInt8(ascii: " ") {
            position += 1
        }
        guard self.at(position) == UInt8(ascii: " ") else { return nil }
        position += 1

        var nameWords = 0
        var style: WordStyle?
        var sawDirectional = false
        for _ in 0..<6 {
            guard let word = self.word(at: position) else { return nil }
            let lowered = self.lowercased(word)
            if nameWords > 0, Self.streetSuffixes.contains(lowered) {
                let wordStyle = self.style(of: word)
                guard Self.compatible(style, wordStyle) else { return nil }
                var end = self.extendAfterSuffix(word.end)
                if end == word.end, self.at(end) == UInt8(ascii: ".") {
                    // "St. Suite 200": the abbreviation's period belongs to the address only when
                    // the address goes on after it; a sentence's final period stays in the text.
                    let extended = self.extendAfterSuffix(end + 1)
                    if extended > end + 1 { end = extended }
                }
                return self.rightBoundary(end) ? end : nil
            }
            if nameWords == 0, !sawDirectional, Self.directionals.contains(lowered) {
                sawDirectional = true
            } else {
                guard !Self.stopWords.contains(lowered), nameWords < 4 else { return nil }
                let wordStyle = self.style(of: word)
                guard Self.compatible(style, wordStyle) else { return nil }
                if wordStyle != .neutral { style = style ?? wordStyle }
                nameWords += 1
            }
            position = word.end
            if self.at(position) == UInt8(ascii: ".") { position += 1 }
            guard self.at(position) == UInt8(ascii: " ") else { return nil }
            position += 1
        }
        return nil
    }

    /// After the suffix: an optional directional ("NW"), then an optional unit ("Apt 4B", "#12").
    func extendAfterSuffix(_ end: Int) -> Int {
        var end = end
        if self.at(end) == UInt8(ascii: " "), let word = self.word(at: end + 1),
            Self.postDirectionals.contains(self.lowercased(word)), self.wordEndsCleanly(word.end)
        {
            end = word.end
            if self.at(end) == UInt8(ascii: ".") { end += 1 }
        }
        var position = end
        if self.at(position) == UInt8(ascii: ",") { position += 1 }
        guard self.at(position) == UInt8(ascii: " ") else { return end }
        position += 1
        if self.at(position) == UInt8(ascii: "#") {
            let length = self.unitDesignatorLength(at: position + 1)
            return length > 0 ? position + 1 + length : end
        }
        guard let word = self.word(at: position), Self.unitWords.contains(self.lowercased(word)) else { return end }
        position = word.end
        if self.at(position) == UInt8(ascii: ".") { position += 1 }
        if self.at(position) == UInt8(ascii: " ") { position += 1 }
        if self.at(position) == UInt8(ascii: "#") { position += 1 }
        let length = self.unitDesignatorLength(at: position)
        return length > 0 ? position + length : end
    }

    /// A unit designator such as `4B`, `200`, `B`: 1-6 letters or digits, at least one digit or a single letter.
    func unitDesignatorLength(at position: Int) -> Int {
        var length = 0
        var digits = 0
        while length < 7, Self.isAlphanumeric(self.at(position + length)) {
            if Self.isDigit(self.at(position + length)) { digits += 1 }
            length += 1
        }
        guard length >= 1 && length <= 6, digits > 0 || length == 1 else { return 0 }
        return length
    }

    enum WordStyle {
        case capitalised, lower, upper, neutral
    }

    static func compatible(_ established: WordStyle?, _ next: WordStyle) -> Bool {
        guard let established, next != .neutral else { return true }
        switch (established, next) {
        case (.capitalised, .capitalised), (.lower, .lower), (.upper, .upper): return true
        // One-letter and all-caps abbreviations ("N", "NW") sit fine in a capitalised address.
        case (.capitalised, .upper), (.upper, .capitalised): return true
        default: return false
        }
    }

    func style(of word: (start: Int, end: Int)) -> WordStyle {
        let first = self.at(word.start)
        if Self.isDigit(first) { return .neutral }  // ordinal such as "5th"
        if Self.isLower(first) { return .lower }
        var allUpper = true
        var index = word.start + 1
        while index < word.end {
            if Self.isLower(self.at(index)) { allUpper = false }
            index += 1
        }
        return allUpper && word.end - word.start > 1 ? .upper : .capitalised
    }

    /// A street-name word at `position`: letters (with inner `'` or `-`), or an ordinal like `5th`;
    /// at most 24 bytes.
    func word(at position: Int) -> (start: Int, end: Int)? {
        let first = self.at(position)
        if Self.isDigit(first) {
            let run = self.digitRun(at: position)
            guard run <= 4 else { return nil }
            let suffix = self.lowercased((position + run, position + run + 2))
            guard ["st", "nd", "rd", "th"].contains(suffix), !Self.isAlphanumeric(self.at(position + run + 2)) else {
                return nil
            }
            return (position, position + run + 2)
        }
        guard Self.isLetter(first) else { return nil }
        var end = position + 1
        while end - position <= 24 {
            let byte = self.at(end)
            if Self.isLetter(byte) {
                end += 1
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "-"), Self.isLetter(self.at(end + 1)) {
                end += 2
            } else {
                break
            }
        }
        guard end - position <= 24 else { return nil }
        return (position, end)
    }

    func wordEndsCleanly(_ end: Int) -> Bool {
        let byte = self.at(end)
        return !Self.isAlphanumeric(byte)
    }

    func lowercased(_ word: (start: Int, end: Int)) -> String {
        var scalars: [UInt8] = []
        scalars.reserveCapacity(word.end - word.start)
        var index = word.start
        while index < word.end {
            let byte = self.at(index)
            scalars.append(Self.isUpper(byte) ? byte | 0x20 : byte)
            index += 1
        }
        return String(decoding: scalars, as: UTF8.self)
    }
}
