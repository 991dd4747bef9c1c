/// Payment card numbers: issuer prefixes, digit groupings and the Luhn check.
extension PIIScanner {
    func matchCard(at start: Int) -> Int? {
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
    static func isCardGrouping(_ lengths: [Int]) -> Bool {
        let total = lengths.reduce(0, +)
        guard total >= 13 && total <= 19 else { return false }
        if lengths == [4, 6, 5] || lengths == [4, 6, 4] { return true }
        guard let last = lengths.last, last >= 1 && last <= 4 else { return false }
        return lengths.dropLast().allSatisfy { $0 == 4 }
    }

    func luhn(groups: [(start: Int, length: Int)]) -> Bool {
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
}
