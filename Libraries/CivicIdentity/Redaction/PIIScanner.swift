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
    /// What a configuration asks for, worked out once per redactor rather than once per text.
    struct Plan: Sendable {
        /// Whether each kind (by ``PIIKind/index``) is wanted: an array read instead of a set look-up.
        let wanted: [Bool]
        /// Whether any kind of the main scan is wanted.
        let mainScan: Bool
        let contextWindow: Int

        init(_ configuration: PIIRedactor.Configuration) {
            wanted = PIIKind.allCases.map { configuration.kinds.contains($0) }
            mainScan = !configuration.kinds.isDisjoint(with: PIIScanner.mainScanKinds)
            contextWindow = configuration.contextWindowBytes
        }
    }

    private let bytes: [UInt8]
    private let count: Int
    private let wanted: [Bool]
    private let wantsMainScan: Bool
    private let contextWindow: Int

    init(bytes: [UInt8], configuration: PIIRedactor.Configuration) {
        self.init(bytes: bytes, plan: Plan(configuration))
    }

    init(bytes: [UInt8], plan: Plan) {
        self.bytes = bytes
        self.count = bytes.count
        self.wanted = plan.wanted
        self.wantsMainScan = plan.mainScan
        self.contextWindow = plan.contextWindow
    }

    /// Finds every match, sorted and non-overlapping.
    mutating func scan() -> [PIIMatch] {
        // Kinds found by passes of their own (e-mail around `@`, names after cues, IPv6 around `:`) come first;
        // the main scan fills the gaps between them.
        var early: [PIIMatch] = []
        if self.wants(.email) {
            early = self.scanEmails()
        }
        if self.wants(.name) {
            early = Self.merge(early, self.scanNames())
        }
        if self.wants(.ipAddress) {
            early = Self.merge(early, self.scanIPv6())
        }
        guard self.wantsMainScan else { return early }

        var matches: [PIIMatch] = []
        var nextEarly = 0
        var index = 0
        while index < self.count {
            if nextEarly < early.count, index >= early[nextEarly].start {
                matches.append(early[nextEarly])
                index = max(index, early[nextEarly].end)
                nextEarly += 1
                continue
            }
            let limit = nextEarly < early.count ? early[nextEarly].start : self.count
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
                if Self.isLetter(byte), self.leftBoundary(index), let match = self.matchWordLed(at: index), match.end <= limit {
                    matches.append(match)
                    index = match.end
                    continue
                }
                index += 1
                while index < self.count, Self.isWordByte(self.bytes[index]) { index += 1 }
            } else {
                index += 1
            }
        }
        while nextEarly < early.count {
            matches.append(early[nextEarly])
            nextEarly += 1
        }
        return matches
    }

    /// The kinds the main scan looks for.
    static let mainScanKinds: Set<PIIKind> = [
        .phone, .ssn, .card, .address, .dateOfBirth, .itin, .ein, .aNumber, .mbi, .vaClaim, .ipAddress,
    ]

    /// `first` and `second` (each sorted and non-overlapping) as one sorted list; a match overlapping an
    /// earlier one is dropped.
    private static func merge(_ first: [PIIMatch], _ second: [PIIMatch]) -> [PIIMatch] {
        guard !first.isEmpty else { return second }
        guard !second.isEmpty else { return first }
        var merged: [PIIMatch] = []
        merged.reserveCapacity(first.count + second.count)
        var (i, j) = (0, 0)
        while i < first.count || j < second.count {
            let next: PIIMatch
            if j >= second.count || (i < first.count && first[i].start <= second[j].start) {
                next = first[i]
                i += 1
            } else {
                next = second[j]
                j += 1
            }
            if let last = merged.last, next.start < last.end { continue }
            merged.append(next)
        }
        return merged
    }

    @inline(__always) private func wants(_ kind: PIIKind) -> Bool { self.wanted[kind.index] }

    // MARK: Numbers

    /// Tries every number-led kind at `start`, most specific first.
    private func matchNumber(at start: Int) -> PIIMatch? {
        if self.wants(.ssn), let end = self.matchSSN(at: start) {
            return PIIMatch(start: start, end: end, kind: .ssn)
        }
        if self.wants(.itin), let end = self.matchITIN(at: start) {
            return PIIMatch(start: start, end: end, kind: .itin)
        }
        if self.wants(.ein), let end = self.matchEIN(at: start) {
            return PIIMatch(start: start, end: end, kind: .ein)
        }
        if self.wants(.aNumber), let end = self.matchCuedDigits(at: start, Self.aNumberCues) {
            return PIIMatch(start: start, end: end, kind: .aNumber)
        }
        if self.wants(.vaClaim), let end = self.matchCuedDigits(at: start, Self.vaClaimCues) {
            return PIIMatch(start: start, end: end, kind: .vaClaim)
        }
        if self.wants(.dateOfBirth), let end = self.matchDate(at: start),
            self.hasCue(before: start, Self.birthCues, window: self.contextWindow + 20)
        {
            return PIIMatch(start: start, end: end, kind: .dateOfBirth)
        }
        if self.wants(.ipAddress), let end = self.matchIPv4(at: start) {
            return PIIMatch(start: start, end: end, kind: .ipAddress)
        }
        if self.wants(.mbi), let end = self.matchMBI(at: start) {
            return PIIMatch(start: start, end: end, kind: .mbi)
        }
        if self.wants(.phone), let end = self.matchPhone(at: start) {
            return PIIMatch(start: start, end: end, kind: .phone)
        }
        if self.wants(.card), let end = self.matchCard(at: start) {
            return PIIMatch(start: start, end: end, kind: .card)
        }
        if self.wants(.address), let end = self.matchAddress(at: start) {
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

    // MARK: Federal identifiers, dates of birth, IP addresses

    /// ITIN: `9XX-GG-SSSS` (or spaces) with a group IRS assigns to ITINs (50-65, 70-88, 90-92, 94-99); nine
    /// bare digits only after an ITIN cue.
    private func matchITIN(at start: Int) -> Int? {
        guard self.at(start) == UInt8(ascii: "9") else { return nil }
        let run = self.digitRun(at: start)
        let group: Int
        let end: Int
        if run == 3 {
            let separator = self.at(start + 3)
            guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: " "), self.digitRun(at: start + 4) == 2,
                self.at(start + 6) == separator, self.digitRun(at: start + 7) == 4
            else { return nil }
            group = self.number(at: start + 4, length: 2)
            end = start + 11
        } else if run == 9 {
            guard self.hasCue(before: start, Self.itinCues) else { return nil }
            group = self.number(at: start + 3, length: 2)
            end = start + 9
        } else {
            return nil
        }
        let assigned = (50...65).contains(group) || (70...88).contains(group) || (90...92).contains(group) || (94...99).contains(group)
        guard assigned, self.rightBoundary(end) else { return nil }
        return end
    }

    /// EIN: `XX-XXXXXXX` or nine digits, after an EIN cue (the shape alone is shared with case numbers).
    private func matchEIN(at start: Int) -> Int? {
        let run = self.digitRun(at: start)
        let end: Int
        if run == 2, self.at(start + 2) == UInt8(ascii: "-"), self.digitRun(at: start + 3) == 7 {
            end = start + 10
        } else if run == 9 {
            end = start + 9
        } else {
            return nil
        }
        guard self.rightBoundary(end), self.hasCue(before: start, Self.einCues) else { return nil }
        return end
    }

    /// Eight or nine bare digits after one of `cues` (A-numbers, VA claim numbers).
    private func matchCuedDigits(at start: Int, _ cues: [[UInt8]]) -> Int? {
        let run = self.digitRun(at: start)
        guard run == 8 || run == 9 else { return nil }
        let end = start + run
        guard self.rightBoundary(end), self.hasCue(before: start, cues) else { return nil }
        return end
    }

    /// A date: `M/D/YYYY`, `M-D-YY`, `M.D.YYYY` (one separator throughout), `YYYY-MM-DD`, or `D Month YYYY`.
    private func matchDate(at start: Int) -> Int? {
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
    private func matchMonthFirstDate(at start: Int) -> Int? {
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

    private static func isYear(_ value: Int) -> Bool { (1900...2099).contains(value) }

    /// `st`, `nd`, `rd` or `th` at `position`, not followed by a letter.
    private func isOrdinalSuffix(at position: Int) -> Bool {
        guard !Self.isLetter(self.at(position + 2)) else { return false }
        return Self.ordinalSuffixes.contains { self.matchesLowercased($0, at: position) }
    }

    private static let ordinalSuffixes: [[UInt8]] = ["st", "nd", "rd", "th"].map { Array($0.utf8) }
    private static let ofWord: [UInt8] = Array("of ".utf8)

    /// Whether `word` is a month name or abbreviation (compared in place, no allocation): its first three
    /// letters, packed in an integer, pick the month, then the rest is compared.
    private func isMonth(_ word: (start: Int, end: Int)) -> Bool {
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
    private func startsLikeAMonth(_ start: Int) -> Bool {
        let key = Int(self.at(start) | 0x20) << 16 | Int(self.at(start + 1) | 0x20) << 8 | Int(self.at(start + 2) | 0x20)
        return Self.monthKeys.contains(key)
    }

    /// The months' first three letters, packed, and each month's spellings.
    private static let monthKeys: [Int] = monthSpellings.map { Int($0[0][0]) << 16 | Int($0[0][1]) << 8 | Int($0[0][2]) }
    private static let monthSpellings: [[[UInt8]]] = [
        ["jan", "january"], ["feb", "february"], ["mar", "march"], ["apr", "april"], ["may"], ["jun", "june"], ["jul", "july"],
        ["aug", "august"], ["sep", "sept", "september"], ["oct", "october"], ["nov", "november"], ["dec", "december"],
    ].map { $0.map { Array($0.utf8) } }

    /// IPv4: four dotted numbers 0-255, not part of a longer dotted run.
    private func matchIPv4(at start: Int) -> Int? {
        var position = start
        for part in 0..<4 {
            let run = self.digitRun(at: position)
            guard run >= 1 && run <= 3, self.number(at: position, length: run) <= 255 else { return nil }
            position += run
            if part < 3 {
                guard self.at(position) == UInt8(ascii: "."), Self.isDigit(self.at(position + 1)) else { return nil }
                position += 1
            }
        }
        guard self.rightBoundary(position) else { return nil }
        return position
    }

    /// A Medicare Beneficiary Identifier: 11 characters, `C A AN N A AN N A A N N` (C: 1-9; A: a capital letter
    /// other than S, L, O, I, B, Z; N: a digit), optionally dashed after the 4th and 7th (`1EG4-TE5-MK73`).
    private func matchMBI(at start: Int) -> Int? {
        var position = start
        var dashed: Bool?
        for (offset, kind) in Self.mbiPattern.enumerated() {
            if offset == 4 || offset == 7 {
                let isDash = self.at(position) == UInt8(ascii: "-")
                guard dashed == nil || dashed == isDash else { return nil }
                dashed = isDash
                if isDash { position += 1 }
            }
            let byte = self.at(position)
            let isMBILetter = Self.isUpper(byte) && !Self.mbiExcludedLetters.contains(byte)
            switch kind {
            case 0: guard byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") else { return nil }
            case 1: guard isMBILetter else { return nil }
            case 2: guard isMBILetter || Self.isDigit(byte) else { return nil }
            default: guard Self.isDigit(byte) else { return nil }
            }
            position += 1
        }
        guard self.rightBoundary(position) else { return nil }
        return position
    }

    /// 0: a digit 1-9, 1: an MBI letter, 2: a letter or digit, 3: a digit.
    private static let mbiPattern = [0, 1, 2, 3, 1, 2, 3, 1, 1, 3, 3]
    private static let mbiExcludedLetters: Set<UInt8> = Set("SLOIBZ".utf8)

    /// Kinds that start with a letter: A-numbers (`A123456789`, `A-12345678`, `A# 123456789`), prefixed VA
    /// claim numbers (`C-12345678` after a cue) and month-first dates of birth.
    private func matchWordLed(at start: Int) -> PIIMatch? {
        let byte = self.at(start)
        if self.wants(.aNumber), byte == UInt8(ascii: "A"), let end = self.matchANumber(at: start) {
            return PIIMatch(start: start, end: end, kind: .aNumber)
        }
        if self.wants(.vaClaim), byte == UInt8(ascii: "C") || byte == UInt8(ascii: "c"),
            let end = self.matchPrefixedVAClaim(at: start)
        {
            return PIIMatch(start: start, end: end, kind: .vaClaim)
        }
        if self.wants(.dateOfBirth), let end = self.matchMonthFirstDate(at: start),
            self.hasCue(before: start, Self.birthCues, window: self.contextWindow + 20)
        {
            return PIIMatch(start: start, end: end, kind: .dateOfBirth)
        }
        return nil
    }

    private func matchANumber(at start: Int) -> Int? {
        var position = start + 1
        var separated = false
        if self.at(position) == UInt8(ascii: "-") || self.at(position) == UInt8(ascii: "#") {
            position += 1
            if self.at(position) == UInt8(ascii: " ") { position += 1 }
        } else if self.at(position) == UInt8(ascii: " ") {
            position += 1
            separated = true
        }
        let run = self.digitRun(at: position)
        guard run == 8 || run == 9, self.rightBoundary(position + run) else { return nil }
        // "A 12345678" with a bare space reads as an A-number only after a cue.
        guard !separated || self.hasCue(before: start, Self.aNumberCues) else { return nil }
        return position + run
    }

    private func matchPrefixedVAClaim(at start: Int) -> Int? {
        var position = start + 1
        if self.at(position) | 0x20 == UInt8(ascii: "s"), self.at(position + 1) | 0x20 == UInt8(ascii: "s"),
            self.at(position + 2) == UInt8(ascii: " ")
        {
            position += 3
        } else if self.at(position) == UInt8(ascii: "-") || self.at(position) == UInt8(ascii: " ") {
            position += 1
        }
        let run = self.digitRun(at: position)
        guard run == 8 || run == 9, self.rightBoundary(position + run), self.hasCue(before: start, Self.vaClaimCues) else { return nil }
        return position + run
    }

    /// IPv6 addresses, in a pass of their own: up to eight groups of 1-4 hex digits joined by `:`, with at
    /// most one `::` (then at least two groups), never glued to a word.
    private func scanIPv6() -> [PIIMatch] {
        // Every IPv6 address has at least two colons; most comments have none.
        var colons = 0
        for byte in self.bytes where byte == UInt8(ascii: ":") {
            colons += 1
            if colons == 2 { break }
        }
        guard colons >= 2 else { return [] }
        var matches: [PIIMatch] = []
        var index = 0
        while index < self.count {
            let byte = self.bytes[index]
            let previous = self.at(index - 1)
            let free = index == 0 || !(Self.isAlphanumeric(previous) || previous == UInt8(ascii: ":") || previous == UInt8(ascii: "."))
            if free, Self.isHex(byte) || (byte == UInt8(ascii: ":") && self.at(index + 1) == UInt8(ascii: ":")),
                let end = self.matchIPv6(at: index)
            {
                matches.append(PIIMatch(start: index, end: end, kind: .ipAddress))
                index = end
                continue
            }
            index += 1
            if Self.isAlphanumeric(byte) {
                while index < self.count, Self.isAlphanumeric(self.bytes[index]) { index += 1 }
            }
        }
        return matches
    }

    private func matchIPv6(at start: Int) -> Int? {
        var position = start
        var groups = 0
        var compressed = false
        var sawDigit = false
        if self.at(position) == UInt8(ascii: ":") {
            compressed = true
            position += 2
        }
        while groups < 8 {
            var run = 0
            while run < 5, Self.isHex(self.at(position + run)) {
                if Self.isDigit(self.at(position + run)) { sawDigit = true }
                run += 1
            }
            guard run <= 4 else { return nil }
            if run == 0 { break }
            groups += 1
            position += run
            guard self.at(position) == UInt8(ascii: ":") else { break }
            if self.at(position + 1) == UInt8(ascii: ":") {
                guard !compressed else { return nil }
                compressed = true
                position += 2
            } else if Self.isHex(self.at(position + 1)) {
                position += 1
            } else {
                break
            }
        }
        let complete = compressed ? groups >= 2 && groups <= 7 : groups == 8
        let next = self.at(position)
        guard complete, sawDigit, !Self.isAlphanumeric(next), next != UInt8(ascii: ":") else { return nil }
        return position
    }

    // MARK: Names after cues

    /// Names in a pass of their own: one to three capitalised words (or initials) after a cue such as
    /// `my name is`, `Mr.`, `Ms.`, `named`, `signed`.
    private func scanNames() -> [PIIMatch] {
        let cueStarts = Self.nameCueStarts
        var matches: [PIIMatch] = []
        var index = 0
        while index < self.count {
            let byte = self.bytes[index]
            guard Self.isLetter(byte), index == 0 || !Self.isAlphanumeric(self.bytes[index - 1]) else {
                index += 1
                continue
            }
            if cueStarts[Int(byte | 0x20)], let nameStart = self.afterNameCue(at: index),
                let end = self.nameEnd(at: nameStart)
            {
                matches.append(PIIMatch(start: nameStart, end: end, kind: .name))
                index = end
                continue
            }
            while index < self.count, Self.isLetter(self.bytes[index]) { index += 1 }
        }
        return matches
    }

    /// Where a name may start after the cue at `start`, if one is there.
    private func afterNameCue(at start: Int) -> Int? {
        for cue in Self.nameCuesByFirstByte[Int(self.at(start) | 0x20)] where self.matchesLowercased(cue, at: start) {
            var position = start + cue.count
            guard !Self.isLetter(self.at(position)) else { continue }
            if self.at(position) == UInt8(ascii: ".") || self.at(position) == UInt8(ascii: ",") || self.at(position) == UInt8(ascii: ":") {
                position += 1
            }
            var spaces = 0
            while spaces < 3, self.at(position) == UInt8(ascii: " ") || self.at(position) == 10 || self.at(position) == 13 {
                position += 1
                spaces += 1
            }
            guard spaces > 0, Self.isUpper(self.at(position)) else { continue }
            return position
        }
        return nil
    }

    /// The end of one to three capitalised name words or initials (`J.`) at `start`.
    private func nameEnd(at start: Int) -> Int? {
        var position = start
        var end: Int?
        for _ in 0..<3 {
            guard Self.isUpper(self.at(position)) else { break }
            if self.at(position + 1) == UInt8(ascii: "."), !Self.isLetter(self.at(position + 2)) {
                end = position + 2  // an initial
            } else {
                guard let word = self.word(at: position), word.end - word.start >= 2 else { break }
                var hasLower = false
                for offset in (word.start + 1)..<word.end where Self.isLower(self.at(offset)) { hasLower = true }
                guard hasLower, !Self.notNames.contains(self.lowercased(word)) else { break }
                end = word.end
            }
            guard let current = end, self.at(current) == UInt8(ascii: " "), Self.isUpper(self.at(current + 1)) else { break }
            position = current + 1
        }
        return end
    }

    private func matchesLowercased(_ word: [UInt8], at start: Int) -> Bool {
        guard start + word.count <= self.count else { return false }
        for (offset, expected) in word.enumerated() {
            let byte = self.bytes[start + offset]
            guard (Self.isUpper(byte) ? byte | 0x20 : byte) == expected else { return false }
        }
        return true
    }

    /// Whether one of `cues` (lower case) occurs as whole words in the `window` bytes before `start`.
    private func hasCue(before start: Int, _ cues: [[UInt8]], window: Int? = nil) -> Bool {
        let windowStart = max(0, start - (window ?? self.contextWindow))
        for cue in cues where cue.count <= start - windowStart {
            var offset = windowStart
            while offset + cue.count <= start {
                if self.matchesLowercased(cue, at: offset), offset == 0 || !Self.isAlphanumeric(self.at(offset - 1)),
                    !(Self.isLetter(cue[cue.count - 1]) && Self.isLetter(self.at(offset + cue.count)))
                {
                    return true
                }
                offset += 1
            }
        }
        return false
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
    @inline(__always) private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
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

    private static func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }

    private static let birthCues = bytes([
        "born", "birth", "birthday", "birthdate", "dob", "d.o.b", "bday", "b-day",
    ])

    private static let itinCues = bytes(["itin", "individual taxpayer", "taxpayer identification", "tax id", "tin"])

    private static let einCues = bytes([
        "ein", "fein", "employer identification", "employer id", "employer number", "tax id", "federal tax id",
    ])

    private static let aNumberCues = bytes([
        "a-number", "a number", "a#", "a #", "alien number", "alien registration", "alien #", "uscis number", "uscis #",
        "uscis no", "a-file", "registration number",
    ])

    private static let vaClaimCues = bytes([
        "va claim", "va file", "c-file", "c file", "claim number", "claim no", "claim #", "file number", "va number",
        "veterans affairs", "va case",
    ])

    /// Cues after which a capitalised word is a name (lower case; titles may take a period).
    private static let nameCues = bytes([
        "my name is", "my name's", "name is", "named", "i am called", "i am", "i'm", "signed", "sincerely", "regards", "mr", "mrs", "ms",
        "miss", "mx", "agent", "representative", "rep", "officer", "caseworker", "case worker", "specialist",
        "counselor", "supervisor",
    ])
    /// The name cues by their first byte (longest first, so `i am called` is tried before `i am`).
    private static let nameCueStarts: [Bool] = (0..<256).map { byte in nameCues.contains { $0.first == UInt8(byte) } }
    private static let nameCuesByFirstByte: [[[UInt8]]] = (0..<256).map { byte in
        nameCues.filter { $0.first == UInt8(byte) }.sorted { $0.count > $1.count }
    }

    /// Capitalised words that are not names after a cue.
    private static let notNames: Set<String> =
        stopWords.union(streetSuffixes).union(unitWords).union(directionals).union(monthNumbers.keys)
        .union([
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "it", "there", "here",
            "not", "we", "agency", "office", "service", "department", "irs", "ssa", "va", "usps", "uscis", "cms",
            "medicare", "medicaid", "social", "security", "administration", "federal", "government", "help",
            "thanks", "thank", "please", "sir", "madam", "yes", "ok", "okay", "very", "really", "who", "what",
            "supervisor", "manager", "team", "customer", "citizen", "veteran", "veterans",
            // Words people use to describe themselves after "I am" / "I'm".
            "american", "hispanic", "latino", "latina", "latinx", "asian", "black", "white", "native", "indian",
            "mexican", "canadian", "christian", "muslim", "jewish", "catholic", "deaf", "blind", "disabled",
            "retired", "sorry", "so", "still", "glad", "happy", "grateful", "thankful", "unable", "able",
        ])

    private static let monthNumbers: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

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
