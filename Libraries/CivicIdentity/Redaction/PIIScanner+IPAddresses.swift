/// IP addresses: dotted IPv4 in the main scan, IPv6 in a pass of its own.
extension PIIScanner {
    /// IPv4: four dotted numbers 0-255, not part of a longer dotted run.
    func matchIPv4(at start: Int) -> Int? {
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

    /// IPv6 addresses, in a pass of their own: up to eight groups of 1-4 hex digits joined by `:`, with at
    /// most one `::` (then at least two groups), never glued to a word.
    func scanIPv6() -> [PIIMatch] {
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

    func matchIPv6(at start: Int) -> Int? {
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
}
