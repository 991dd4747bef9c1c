/// E-mail addresses, in a pass of their own around each `@`.
extension PIIScanner {
    func scanEmails() -> [PIIMatch] {
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

    func matchEmail(at atSign: Int, floor: Int) -> PIIMatch? {
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

    func leftEmailBoundary(_ start: Int) -> Bool {
        start == 0 || !Self.isEmailLocalByte(self.at(start - 1)) || self.at(start - 1) == UInt8(ascii: ".")
    }
}
