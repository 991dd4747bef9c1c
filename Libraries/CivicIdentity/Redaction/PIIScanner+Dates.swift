/// Dates of birth: numeric and written-out dates after a birth cue.
extension PIIScanner {
    /// A date: `M/D/YYYY`, `M-D-YY`, `M.D.YYYY` (one separator throughout), `YYYY-MM-DD`, or `D Month YYYY`.
    func matchDate(at start: Int) -> Int? {
        let run = self.digitRun(at: start)
        if run == 4 {
            let separator = self.at(start + 4)
            guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") else { return nil }
            let monthRun = self.digitRun(at: start + 5)
            guard monthRun == 1 || monthRun == 2, self.at(start + 5 + monthRun) == separator else { return nil }
            let dayStart = start + 6 + monthRun
            let dayRun = self.digitRun(at: dayStart)
            guard dayRun == 1 || dayRun == 2 else { return nil }
            let end = dayStart + dayRun
            guard Self.isYear(self.number(at: start, length: 4)), (1...12).contains(self.number(at: start + 5, length: monthRun)),
                (1...31).contains(self.number(at: dayStart, length: dayRun)), self.rightBoundary(end)
            else { return nil }
            return end
        }
        guard run == 1 || run == 2 else { return nil }
        let separator = self.at(start + run)
        if separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".") {
            let secondStart = start + run + 1
            let secondRun = self.digitRun(at: secondStart)
            guard secondRun == 1 || secondRun == 2, self.at(secondStart + secondRun) == separator else { return nil }
            let yearStart = secondStart + secondRun + 1
            let yearRun = self.digitRun(at: yearStart)
            guard yearRun == 2 || (yearRun == 4 && Self.isYear(self.number(at: yearStart, length: 4))) else { return nil }
            let first = self.number(at: start, length: run)
            let second = self.number(at: secondStart, length: secondRun)
            // Month first as in the US; day first when the first cannot be a month.
            let valid = ((1...12).contains(first) && (1...31).contains(second)) || ((13...31).contains(first) && (1...12).contains(second))
            let end = yearStart + yearRun
            guard valid, self.rightBoundary(end) else { return nil }
            return end
        }
        // "3 March 1985", "3rd of March, 1985".
        guard (1...31).contains(self.number(at: start, length: run)) else { return nil }
        var position = start + run
        if self.isOrdinalSuffix(at: position) { position += 2 }
        guard self.at(position) == UInt8(ascii: " ") else { return nil }
        position += 1
        if self.matchesLowercased(Self.ofWord, at: position), Self.isLetter(self.at(position + 3)) { position += 3 }
        guard let month = self.word(at: position), self.isMonth(month) else { return nil }
        position = month.end
        if self.at(position) == UInt8(ascii: ".") { position += 1 }
        if self.at(position) == UInt8(ascii: ",") { position += 1 }
        guard self.at(position) == UInt8(ascii: " "), self.digitRun(at: position + 1) == 4,
            Self.isYear(self.number(at: position + 1, length: 4)), self.rightBoundary(position + 5)
        else { return nil }
        return position + 5
    }

    /// `Month D, YYYY` (full or abbreviated month, optional ordinal and comma).
    func matchMonthFirstDate(at start: Int) -> Int? {
        guard self.startsLikeAMonth(start), let month = self.word(at: start), self.isMonth(month) else { return nil }
        var position = month.end
        if self.at(position) == UInt8(ascii: ".") { position += 1 }
        guard self.at(position) == UInt8(ascii: " ") else { return nil }
        position += 1
        let dayRun = self.digitRun(at: position)
        guard dayRun == 1 || dayRun == 2, (1...31).contains(self.number(at: position, length: dayRun)) else { return nil }
        position += dayRun
        if self.isOrdinalSuffix(at: position) { position += 2 }
        if self.at(position) == UInt8(ascii: ",") { position += 1 }
        guard self.at(position) == UInt8(ascii: " "), self.digitRun(at: position + 1) == 4,
            Self.isYear(self.number(at: position + 1, length: 4)), self.rightBoundary(position + 5)
        else { return nil }
        return position + 5
    }

    static func isYear(_ value: Int) -> Bool { (1900...2099).contains(value) }

    /// `st`, `nd`, `rd` or `th` at `position`, not followed by a letter.
    func isOrdinalSuffix(at position: Int) -> Bool {
        guard !Self.isLetter(self.at(position + 2)) else { return false }
        return Self.ordinalSuffixes.contains { self.matchesLowercased($0, at: position) }
    }

    static let ordinalSuffixes: [[UInt8]] = ["st", "nd", "rd", "th"].map { Array($0.utf8) }
    static let ofWord: [UInt8] = Array("of ".utf8)

    /// Whether `word` is a month name or abbreviation (compared in place, no allocation): its first three
    /// letters, packed in an integer, pick the month, then the rest is compared.
    func isMonth(_ word: (start: Int, end: Int)) -> Bool {
        let length = word.end - word.start
        guard length >= 3 && length <= 9 else { return false }
        let key = Int(self.at(word.start) | 0x20) << 16 | Int(self.at(word.start + 1) | 0x20) << 8 | Int(self.at(word.start + 2) | 0x20)
        let keys = Self.monthKeys
        for (index, candidate) in keys.enumerated() where candidate == key {
            for spelling in Self.monthSpellings[index] where spelling.count == length && self.matchesLowercased(spelling, at: word.start) {
                return true
            }
        }
        return false
    }

    /// Whether the three letters at `start` begin a month's name (checked before the word is read).
    func startsLikeAMonth(_ start: Int) -> Bool {
        let key = Int(self.at(start) | 0x20) << 16 | Int(self.at(start + 1) | 0x20) << 8 | Int(self.at(start + 2) | 0x20)
        return Self.monthKeys.contains(key)
    }

    /// The months' first three letters, packed, and each month's spellings.
    static let monthKeys: [Int] = monthSpellings.map { Int($0[0][0]) << 16 | Int($0[0][1]) << 8 | Int($0[0][2]) }
    static let monthSpellings: [[[UInt8]]] = [
        ["jan", "january"], ["feb", "february"], ["mar", "march"], ["apr", "april"], ["may"], ["jun", "june"], ["jul", "july"],
        ["aug", "august"], ["sep", "sept", "september"], ["oct", "october"], ["nov", "november"], ["dec", "december"],
    ].map { $0.map { Array($0.utf8) } }
}
