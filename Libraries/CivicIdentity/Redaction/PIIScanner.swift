/// One detected span of PII, as byte offsets into the scanned text.
struct PIIMatch: Equatable {
    var start: Int
    var end: Int
    var kind: PIIKind
}

/// The byte-level scanner behind ``PIIRedactor``.
///
/// Every read goes through ``at(_:)``, which answers 0 outside the buffer, so no input can make
/// it read out of bounds; every matcher looks ahead a bounded distance, and the main loop skips a
/// whole digit or letter run after a failed attempt, which keeps the scan linear.
struct PIIScanner {
    private let bytes: [UInt8]
    private let count: Int
    private let kinds: Set<PIIKind>
    private let contextWindow: Int

    init(bytes: [UInt8], configuration: PIIRedactor.Configuration) {
        self.bytes = bytes
        self.count = bytes.count
        self.kinds = configuration.kinds
        self.contextWindow = configuration.contextWindowBytes
    }

    /// Finds every match, sorted and non-overlapping.
    mutating func scan() -> [PIIMatch] {
        var emails: [PIIMatch] = []
        if self.kinds.contains(.email) {
            emails = self.scanEmails()
        }
        let wantsNumbers = !self.kinds.isDisjoint(with: [.phone, .ssn, .card, .address])
        guard wantsNumbers else { return emails }

        var matches: [PIIMatch] = []
        var nextEmail = 0
        var index = 0
        while index < self.count {
            if nextEmail < emails.count, index >= emails[nextEmail].start {
                matches.append(emails[nextEmail])
                index = emails[nextEmail].end
                nextEmail += 1
                continue
            }
            let limit = nextEmail < emails.count ? emails[nextEmail].start : self.count
            let byte = self.bytes[index]
            if Self.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(") {
                if self.leftBoundary(index), let match = self.matchNumber(at: index), match.end <= limit {
                    matches.append(match)
                    index = match.end
                    continue
                }
                index += 1
                // After a digit, skip the rest of its run so a match never starts inside a longer
                // number or word. After "(" or "+" the digits that follow are still candidates.
                if Self.isDigit(byte) {
                    while index < self.count, Self.isWordByte(self.bytes[index]) { index += 1 }
                }
            } else if Self.isWordByte(byte) {
                index += 1
                while index < self.count, Self.isWordByte(self.bytes[index]) { index += 1 }
            } else {
                index += 1
            }
        }
        while nextEmail < emails.count {
            matches.append(emails[nextEmail])
            nextEmail += 1
        }
        return matches
    }

    // MARK: Numbers

    /// Tries every number-led kind at `start`, most specific first.
    private func matchNumber(at start: Int) -> PIIMatch? {
        if self.kinds.contains(.ssn), let end = self.matchSSN(at: start) {
            return PIIMatch(start: start, end: end, kind: .ssn)
        }
        if self.kinds.contains(.phone), let end = self.matchPhone(at: start) {
            return PIIMatch(start: start, end: end, kind: .phone)
        }
        if self.kinds.contains(.card), let end = self.matchCard(at: start) {
            return PIIMatch(start: start, end: end, kind: .card)
        }
        if self.kinds.contains(.address), let end = self.matchAddress(at: start) {
            return PIIMatch(start: start, end: end, kind: .address)
        }
        return nil
    }

    private func matchSSN(at start: Int) -> Int? {
        let run = self.digitRun(at: start)
        if run == 3 {
            let separator = self.at(start + 3)
            guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: " "),
                self.digitRun(at: start + 4) == 2,
                self.at(start + 6) == separator,
                self.digitRun(at: start + 7) == 4
            else { return nil }
            let end = start + 11
            guard self.isValidSSN(area: start, group: start + 4, serial: start + 7), self.rightBoundary(end) else {
                return nil
            }
            return end
        }
        if run == 9 {
            let end = start + 9
            guard self.isValidSSN(area: start, group: start + 3, serial: start + 5),
                self.rightBoundary(end),
                self.hasContext(before: start, Self.ssnWords)
            else { return nil }
            return end
        }
        return nil
    }

    /// SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000.
    private func isValidSSN(area: Int, group: Int, serial: Int) -> Bool {
        let areaValue = self.number(at: area, length: 3)
        let groupValue = self.number(at: group, length: 2)
        let serialValue = self.number(at: serial, length: 4)
        return areaValue != 0 && areaValue != 666 && areaValue < 900 && groupValue != 0 && serialValue != 0
    }

    private func matchPhone(at start: Int) -> Int? {
        var position = start
        var hasCountryCode = false
        var hasPlus = false
        if self.at(position) == UInt8(ascii: "+") {
            guard self.at(position + 1) == UInt8(ascii: "1") else { return nil }
            hasPlus = true
            hasCountryCode = true
            position += 2
            if Self.isPhoneSeparator(self.at(position)) { position += 1 }
        } else if self.at(position) == UInt8(ascii: "1"), self.digitRun(at: position) == 1,
            Self.isPhoneSeparator(self.at(position + 1)),
            Self.isDigit(self.at(position + 2)) || self.at(position + 2) == UInt8(ascii: "(")
        {
            hasCountryCode = true
            position += 2
        }

        // Ten digits in one run: E.164 (+1NXXNXXXXXX), or after a phone word.
        if self.at(position) != UInt8(ascii: "(") {
            let run = self.digitRun(at: position)
            if run == 10 || (run == 11 && !hasCountryCode && self.at(position) == UInt8(ascii: "1")) {
                let digits = run == 11 ? position + 1 : position
                let end = position + run
                guard self.isNANP(area: digits, exchange: digits + 3), self.rightBoundary(end) else { return nil }
                guard (hasPlus && run == 10) || self.hasContext(before: start, Self.phoneWords) else { return nil }
                return end
            }
        }

        let area: Int
        var firstSeparator: UInt8 = 0
        if self.at(position) == UInt8(ascii: "(") {
            guard self.digitRun(at: position + 1) == 3, self.at(position + 4) == UInt8(ascii: ")") else { return nil }
            area = position + 1
            position += 5
            if self.at(position) == UInt8(ascii: " ") { position += 1 }
        } else {
            guard self.digitRun(at: position) == 3 else { return nil }
            area = position
            firstSeparator = self.at(position + 3)
            guard Self.isPhoneSeparator(firstSeparator) else { return nil }
            position += 4
        }
        guard self.digitRun(at: position) == 3 else { return nil }
        let exchange = position
        position += 3
        let secondSeparator = self.at(position)
        guard Self.isPhoneSeparator(secondSeparator) else { return nil }
        if firstSeparator != 0 {
            // Same separator twice, or the common "202 555-0143".
            guard
                secondSeparator == firstSeparator
                    || (firstSeparator == UInt8(ascii: " ") && secondSeparator == UInt8(ascii: "-"))
            else { return nil }
        }
        position += 1
        guard self.digitRun(at: position) == 4 else { return nil }
        position += 4
        guard self.isNANP(area: area, exchange: exchange), self.rightBoundary(position) else { return nil }
        return position
    }

    /// North American Numbering Plan: area code and exchange both start with 2-9.
    private func isNANP(area: Int, exchange: Int) -> Bool {
        self.at(area) >= UInt8(ascii: "2") && self.at(exchange) >= UInt8(ascii: "2")
    }

    private func matchCard(at start: Int) -> Int? {
        let first = self.at(start)
        guard first >= UInt8(ascii: "2") && first <= UInt8(ascii: "6") else { return nil }
        let run = self.digitRun(at: start)
        if run >= 13 {
            let end = start + run
            guard run <= 19, self.rightBoundary(end), self.luhn(groups: [(start, run)]) else { return nil }
            return end
        }
        guard run == 4 else { return nil }
        let separator = self.at(start + 4)
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { return nil }

        // Collect up to six groups joined by the same separator.
        var groups: [(start: Int, length: Int)] = [(start, 4)]
        var position = start + 4
        var total = 4
        while groups.count < 6, self.at(position) == separator {
            let length = self.digitRun(at: position + 1)
            guard length > 0, total + length <= 19 else { break }
            groups.append((position + 1, length))
            total += length
            position += 1 + length
        }
        // Longest acceptable prefix of groups wins.
        var used = groups.count
        while used >= 3 {
            let prefix = Array(groups[0..<used])
            let last = prefix[used - 1]
            let end = last.start + last.length
            if Self.isCardGrouping(prefix.map(\.length)), self.rightBoundary(end), self.luhn(groups: prefix) {
                return end
            }
            used -= 1
        }
        return nil
    }

    /// 4-4-4-4 style (every group 4 but the last, which is 1-4; 13-19 digits), or 4-6-5 / 4-6-4.
    private static func isCardGrouping(_ lengths: [Int]) -> Bool {
        let total = lengths.reduce(0, +)
        guard total >= 13 && total <= 19 else { return false }
        if lengths == [4, 6, 5] || lengths == [4, 6, 4] { return true }
        guard let last = lengths.last, last >= 1 && last <= 4 else { return false }
        return lengths.dropLast().allSatisfy { $0 == 4 }
    }

    private func luhn(groups: [(start: Int, length: Int)]) -> Bool {
        var digits: [Int] = []
        digits.reserveCapacity(19)
        for group in groups {
            for offset in 0..<group.length {
                digits.append(Int(self.at(group.start + offset) &- UInt8(ascii: "0")))
            }
        }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            if position % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    // MARK: Addresses

    private func matchAddress(at start: Int) -> Int? {
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
    private func extendAfterSuffix(_ end: Int) -> Int {
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
    private func unitDesignatorLength(at position: Int) -> Int {
        var length = 0
        var digits = 0
        while length < 7, Self.isAlphanumeric(self.at(position + length)) {
            if Self.isDigit(self.at(position + length)) { digits += 1 }
            length += 1
        }
        guard length >= 1 && length <= 6, digits > 0 || length == 1 else { return 0 }
        return length
    }

    private enum WordStyle {
        case capitalised, lower, upper, neutral
    }

    private static func compatible(_ established: WordStyle?, _ next: WordStyle) -> Bool {
        guard let established, next != .neutral else { return true }
        switch (established, next) {
        case (.capitalised, .capitalised), (.lower, .lower), (.upper, .upper): return true
        // One-letter and all-caps abbreviations ("N", "NW") sit fine in a capitalised address.
        case (.capitalised, .upper), (.upper, .capitalised): return true
        default: return false
        }
    }

    private func style(of word: (start: Int, end: Int)) -> WordStyle {
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
    private func word(at position: Int) -> (start: Int, end: Int)? {
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

    private func wordEndsCleanly(_ end: Int) -> Bool {
        let byte = self.at(end)
        return !Self.isAlphanumeric(byte)
    }

    private func lowercased(_ word: (start: Int, end: Int)) -> String {
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

    // MARK: E-mail

    private func scanEmails() -> [PIIMatch] {
        var matches: [PIIMatch] = []
        var floor = 0
        var index = 0
        while index < self.count {
            guard self.bytes[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            if let match = self.matchEmail(at: index, floor: floor) {
                matches.append(match)
                floor = match.end
                index = match.end
            } else {
                index += 1
            }
        }
        return matches
    }

    private func matchEmail(at atSign: Int, floor: Int) -> PIIMatch? {
        // Local part, leftwards, at most 64 bytes.
        var start = atSign
        while start > floor, atSign - start < 64, Self.isEmailLocalByte(self.at(start - 1)) { start -= 1 }
        while start < atSign, self.at(start) == UInt8(ascii: ".") { start += 1 }
        guard start < atSign, self.leftEmailBoundary(start) else { return nil }

        // Domain, rightwards: labels of [A-Za-z0-9-] joined by single dots, at most 253 bytes.
        var end = atSign + 1
        var lastDot = -1
        var labelStart = end
        var labels = 0
        while end - atSign <= 253 {
            let byte = self.at(end)
            if Self.isAlphanumeric(byte) || byte == UInt8(ascii: "-") {
                end += 1
            } else if byte == UInt8(ascii: "."), end > labelStart, Self.isAlphanumeric(self.at(end + 1)) {
                guard self.at(end - 1) != UInt8(ascii: "-") else { return nil }
                labels += 1
                lastDot = end
                end += 1
                labelStart = end
            } else {
                break
            }
        }
        guard labels >= 1, lastDot > atSign else { return nil }
        // Top-level domain: 2 or more letters only.
        let tldLength = end - lastDot - 1
        guard tldLength >= 2 else { return nil }
        var index = lastDot + 1
        while index < end {
            guard Self.isLetter(self.at(index)) else { return nil }
            index += 1
        }
        guard self.at(atSign + 1) != UInt8(ascii: "-") else { return nil }
        return PIIMatch(start: start, end: end, kind: .email)
    }

    private func leftEmailBoundary(_ start: Int) -> Bool {
        start == 0 || !Self.isEmailLocalByte(self.at(start - 1)) || self.at(start - 1) == UInt8(ascii: ".")
    }

    // MARK: Context and boundaries

    /// Whether one of `words` (lower case ASCII) occurs in the window before `start`.
    private func hasContext(before start: Int, _ words: [[UInt8]]) -> Bool {
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
    private func leftBoundary(_ start: Int) -> Bool {
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
    private func rightBoundary(_ end: Int) -> Bool {
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
    private func at(_ index: Int) -> UInt8 {
        index >= 0 && index < self.count ? self.bytes[index] : 0
    }

    /// How many ASCII digits start at `index` (capped at 64).
    private func digitRun(at index: Int) -> Int {
        var length = 0
        while length < 64, Self.isDigit(self.at(index + length)) { length += 1 }
        return length
    }

    private func number(at index: Int, length: Int) -> Int {
        var value = 0
        for offset in 0..<length {
            value = value * 10 + Int(self.at(index + offset) &- UInt8(ascii: "0"))
        }
        return value
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
    @inline(__always) private static func isUpper(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }
    @inline(__always) private static func isLower(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }
    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool {
        isUpper(byte) || isLower(byte)
    }
    @inline(__always) private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLetter(byte)
    }
    /// ASCII letters, digits and `_` (non-ASCII bytes count as separators, so emoji and accents
    /// next to a number do not protect it from redaction).
    @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_")
    }
    @inline(__always) private static func isPhoneSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: " ")
    }
    @inline(__always) private static func isEmailLocalByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    // MARK: Word lists

    private static let ssnWords: [[UInt8]] = ["ssn", "social security", "soc sec", "ss#", "ss #", "social sec"].map {
        Array($0.utf8)
    }

    private static let phoneWords: [[UInt8]] = [
        "phone", "call", "cell", "mobile", "tel", "fax", "text", "contact", "number is", "reach me",
    ].map { Array($0.utf8) }

    private static let streetSuffixes: Set<String> = [
        "st", "street", "ave", "av", "avenue", "rd", "road", "blvd", "boulevard", "ln", "lane", "dr", "drive",
        "ct", "court", "pl", "place", "way", "ter", "terrace", "pkwy", "parkway", "cir", "circle", "hwy",
        "highway", "sq", "square", "trl", "trail", "pike", "aly", "alley", "row", "loop", "plz", "plaza",
        "expy", "expressway", "fwy", "freeway", "tpke", "turnpike",
    ]

    private static let directionals: Set<String> = [
        "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west",
    ]

    private static let postDirectionals: Set<String> = ["n", "s", "e", "w", "ne", "nw", "se", "sw"]

    private static let unitWords: Set<String> = [
        "apt", "apartment", "suite", "ste", "unit", "rm", "room", "fl", "floor",
    ]

    private static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "from", "with", "by",
        "about", "as", "is", "was", "were", "are", "be", "been", "it", "its", "my", "our", "your", "their",
        "his", "her", "i", "we", "you", "they", "he", "she", "me", "us", "them", "this", "that", "these",
        "those", "per", "than", "not", "no", "so", "very", "just", "only", "also", "after", "before", "when",
        "then", "all", "any", "some", "many", "much", "more", "less", "most", "other", "different", "same",
        "few", "every", "each", "both", "over", "under", "into", "out", "up", "down", "off", "again",
        "still", "even", "too", "has", "have", "had", "do", "did", "does", "got", "get", "went", "go",
        "said", "told", "called", "waited", "took", "made", "saw", "met", "including", "like", "until",
        "times", "time", "hours", "hour", "hrs", "minutes", "minute", "mins", "min", "seconds", "days",
        "day", "weeks", "week", "months", "month", "years", "year", "people", "persons", "calls", "emails",
        "forms", "form", "pages", "page", "dollars", "cents", "percent", "items", "questions", "attempts",
        "tries", "visits", "steps", "fee", "fees", "letters", "documents", "copies", "agents", "staff",
        "doctors", "offices", "office", "stars", "points", "am", "pm",
    ]
}
