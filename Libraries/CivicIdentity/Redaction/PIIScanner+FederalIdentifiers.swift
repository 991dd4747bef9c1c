/// Federal identifiers written as digits: ITINs, EINs, and digits after a cue.
extension PIIScanner {
    /// ITIN: `9XX-GG-SSSS` (or spaces) with a group IRS assigns to ITINs (50-65, 70-88, 90-92, 94-99); nine
    /// bare digits only after an ITIN cue.
    func matchITIN(at start: Int) -> Int? {
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
    func matchEIN(at start: Int) -> Int? {
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
    func matchCuedDigits(at start: Int, _ cues: [[UInt8]]) -> Int? {
        let run = self.digitRun(at: start)
        guard run == 8 || run == 9 else { return nil }
        let end = start + run
        guard self.rightBoundary(end), self.hasCue(before: start, cues) else { return nil }
        return end
    }
}
