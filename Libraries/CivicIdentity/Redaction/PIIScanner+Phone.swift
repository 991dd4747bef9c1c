/// Telephone numbers (North American Numbering Plan, with or without a country code).
extension PIIScanner {
    func matchPhone(at start: Int) -> Int? {
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
    func isNANP(area: Int, exchange: Int) -> Bool {
        self.at(area) >= UInt8(ascii: "2") && self.at(exchange) >= UInt8(ascii: "2")
    }
}
