/// Kinds that start with a letter: Medicare Beneficiary Identifiers, A-numbers, prefixed VA claim numbers.
extension PIIScanner {
    /// A Medicare Beneficiary Identifier: 11 characters, `C A AN N A AN N A A N N` (C: 1-9; A: a capital letter
    /// other than S, L, O, I, B, Z; N: a digit), optionally dashed after the 4th and 7th (`1EG4-TE5-MK73`).
    func matchMBI(at start: Int) -> Int? {
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
    static let mbiPattern = [0, 1, 2, 3, 1, 2, 3, 1, 1, 3, 3]
    static let mbiExcludedLetters: Set<UInt8> = Set("SLOIBZ".utf8)

    /// Kinds that start with a letter: A-numbers (`A123456789`, `A-12345678`, `A# 123456789`), prefixed VA
    /// claim numbers (`C-12345678` after a cue) and month-first dates of birth.
    func matchWordLed(at start: Int) -> PIIMatch? {
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

    func matchANumber(at start: Int) -> Int? {
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

    func matchPrefixedVAClaim(at start: Int) -> Int? {
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
}
