/// Names after cues (`my name is`, `Mr.`, `signed`, ...), in a pass of their own.
extension PIIScanner {
    /// Names in a pass of their own: one to three capitalised words (or initials) after a cue such as
    /// `my name is`, `Mr.`, `Ms.`, `named`, `signed`; or, written in lower case (`my name is jane doe`) or after
    /// a weak cue (`this is`, `it's`, `thanks`), a known given name and up to two more words.
    func scanNames() -> [PIIMatch] {
        let cueStarts = Self.nameCueStarts
        var matches: [PIIMatch] = []
        var index = 0
        while index < self.count {
            let byte = self.bytes[index]
            guard Self.isLetter(byte), index == 0 || !Self.isAlphanumeric(self.bytes[index - 1]) else {
                index += 1
                continue
            }
            if cueStarts[Int(byte | 0x20)], let (nameStart, weak) = self.afterNameCue(at: index),
                let end = self.nameEnd(at: nameStart, weakCue: weak)
            {
                matches.append(PIIMatch(start: nameStart, end: end, kind: .name))
                index = end
                continue
            }
            while index < self.count, Self.isLetter(self.bytes[index]) { index += 1 }
        }
        return matches
    }

    /// Where a name may start after the cue at `start`, if one is there, and whether the cue is weak (a
    /// given name must follow it).
    func afterNameCue(at start: Int) -> (Int, Bool)? {
        for (cue, weak) in Self.nameCuesByFirstByte[Int(self.at(start) | 0x20)] where self.matchesLowercased(cue, at: start) {
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
            guard spaces > 0, Self.isLetter(self.at(position)) else { continue }
            return (position, weak)
        }
        return nil
    }

    /// The end of one to three name words at `start`: capitalised words or initials (`J.`) after a strong cue;
    /// a known given name first after a weak cue or in lower case, where lower-case words follow it
    /// (`jane doe`) unless they are common words.
    func nameEnd(at start: Int, weakCue: Bool) -> Int? {
        let lowerCase = Self.isLower(self.at(start))
        if weakCue || lowerCase {
            guard let first = self.word(at: start), Self.isLetter(self.at(first.end - 1)) else { return nil }
            let name = self.lowercased(first)
            guard Self.givenNames.contains(name), !(lowerCase && Self.ambiguousGivenNames.contains(name)) else { return nil }
            guard lowerCase else { return self.capitalisedNameEnd(at: start) }
            var end = first.end
            for _ in 0..<2 {
                guard self.at(end) == UInt8(ascii: " "), Self.isLower(self.at(end + 1)), let next = self.word(at: end + 1),
                    next.end - next.start >= 2, (next.start..<next.end).allSatisfy({ Self.isLower(self.at($0)) })
                else { break }
                let word = self.lowercased(next)
                guard !Self.notNames.contains(word), !Self.lowerCaseNotNames.contains(word) else { break }
                end = next.end
            }
            return end
        }
        return self.capitalisedNameEnd(at: start)
    }

    /// The end of one to three capitalised name words or initials (`J.`) at `start`.
    func capitalisedNameEnd(at start: Int) -> Int? {
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

    func matchesLowercased(_ word: [UInt8], at start: Int) -> Bool {
        guard start + word.count <= self.count else { return false }
        for (offset, expected) in word.enumerated() {
            let byte = self.bytes[start + offset]
            guard (Self.isUpper(byte) ? byte | 0x20 : byte) == expected else { return false }
        }
        return true
    }

    /// Whether one of `cues` (lower case) occurs as whole words in the `window` bytes before `start`.
    func hasCue(before start: Int, _ cues: [[UInt8]], window: Int? = nil) -> Bool {
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
}
