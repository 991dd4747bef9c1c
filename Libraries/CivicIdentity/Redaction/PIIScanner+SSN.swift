/// Social Security numbers.
extension PIIScanner {
    func matchSSN(at start: Int) -> Int? {
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
    func isValidSSN(area: Int, group: Int, serial: Int) -> Bool {
        let areaValue = self.number(at: area, length: 3)
        let groupValue = self.number(at: group, length: 2)
        let serialValue = self.number(at: serial, length: 4)
        return areaValue != 0 && areaValue != 666 && areaValue < 900 && groupValue != 0 && serialValue != 0
    }
}
