/// E-mail addresses spelled out to dodge filters (`jane dot doe at agency dot gov`, `jane(at)agency(dot)gov`,
/// `jane [at] agency [dot] gov`), in a pass of their own around each "at".
///
/// An address is a local part (labels of `[A-Za-z0-9._%+-]` joined by dots), an at-marker and a domain of at
/// least two labels joined by dots, whose last label is a known top-level domain. A dot is `.`, the word `dot`
/// or a bracketed `(dot)`, `[dot]`, `{dot}`, `<dot>`; an at-marker is `@`, a bracketed `(at)`, `[at]`, `{at}`,
/// `<at>`, or the plain word `at`. Precision comes first, because a false positive destroys a comment an
/// analyst needs: the plain word `at` ("at the office") counts only when the local part has a dot of its own
/// (`jane dot doe at …`), an e-mail cue (`email`, `write`, `contact`, `reach`, …) comes shortly before, or the
/// domain is a known mail provider; a local part or first domain label that is a common word (`me`, `the`,
/// `this`) is never an address. `@` with real dots only is the plain e-mail matcher's.
extension PIIScanner {
    /// An at-marker: its bytes and whether it is the plain word `at`.
    struct AtMarker {
        var start: Int
        var end: Int
        var isWord: Bool
    }

    func scanSpelledEmails() -> [PIIMatch] {
        var matches: [PIIMatch] = []
        var floor = 0
        var index = 0
        while index < self.count {
            if let marker = self.atMarker(at: index), let match = self.matchSpelledEmail(around: marker, floor: floor) {
                matches.append(match)
                floor = match.end
                index = match.end
                continue
            }
            index += 1
        }
        return matches
    }

    /// The at-marker starting at `index`, if one does.
    func atMarker(at index: Int) -> AtMarker? {
        let byte = self.at(index)
        if byte == UInt8(ascii: "@") { return AtMarker(start: index, end: index + 1, isWord: false) }
        if let end = self.bracketedWord(Self.atWord, at: index) { return AtMarker(start: index, end: end, isWord: false) }
        if byte | 0x20 == UInt8(ascii: "a"), self.at(index + 1) | 0x20 == UInt8(ascii: "t"), self.at(index - 1) == UInt8(ascii: " "),
            self.at(index + 2) == UInt8(ascii: " "), index > 0
        {
            return AtMarker(start: index, end: index + 2, isWord: true)
        }
        return nil
    }

    func matchSpelledEmail(around marker: AtMarker, floor: Int) -> PIIMatch? {
        var spelled = marker.isWord || self.at(marker.start) != UInt8(ascii: "@")

        // Domain, rightwards: labels joined by dots; the address ends after the last label that is a known TLD.
        var position = self.skipSpaces(from: marker.end, limit: 2)
        guard let first = self.domainLabel(at: position) else { return nil }
        let firstWord = self.lowercasedWord(from: position, to: first)
        guard !Self.stopWords.contains(firstWord) else { return nil }
        position = first
        var labels = 1
        var end: Int?
        var domainSpelled = false
        while labels < 8, let (afterDot, dotSpelled) = self.dotMarker(at: position), let labelEnd = self.domainLabel(at: afterDot) {
            labels += 1
            domainSpelled = domainSpelled || dotSpelled
            if Self.knownTopLevelDomains.contains(self.lowercasedWord(from: afterDot, to: labelEnd)) {
                end = labelEnd
                spelled = spelled || domainSpelled
            }
            position = labelEnd
        }
        guard let end, self.rightEmailBoundary(end) else { return nil }

        // Local part, leftwards: labels joined by dots, at most 64 bytes.
        var start = self.skipSpacesBackwards(from: marker.start, limit: marker.isWord ? 0 : 2)
        guard start > floor else { return nil }
        var localLabels = 0
        var localHasDot = false
        var localSpelled = false
        while start > floor, marker.start - start < 64 {
            var labelStart = start
            while labelStart > floor, Self.isEmailLocalByte(self.at(labelStart - 1)) { labelStart -= 1 }
            while labelStart < start, self.at(labelStart) == UInt8(ascii: ".") { labelStart += 1 }
            guard labelStart < start else { break }
            localLabels += 1
            if (labelStart..<start).contains(where: { self.at($0) == UInt8(ascii: ".") }) { localHasDot = true }
            start = labelStart
            guard let beforeDot = self.dotMarkerBackwards(endingAt: start, floor: floor), beforeDot > floor,
                Self.isEmailLocalByte(self.at(beforeDot - 1)), self.at(beforeDot - 1) != UInt8(ascii: ".")
            else { break }
            localHasDot = true
            localSpelled = true
            start = beforeDot
        }
        guard localLabels > 0, start < marker.start, start == 0 || !Self.isAlphanumeric(self.at(start - 1)) else { return nil }
        // Something must be spelled out: `@` with real dots only is the plain matcher's.
        guard spelled || localSpelled else { return nil }
        let localWord = self.lowercasedWord(from: start, to: self.localEnd(from: start))
        if localLabels == 1, Self.notNames.contains(localWord) || localWord == firstWord { return nil }

        if marker.isWord {
            // "at" as a plain word: only with a spelled dot, and a dotted local part, a mail provider or a cue.
            guard domainSpelled || localSpelled else { return nil }
            let provider = Self.mailProviders.contains(firstWord)
            guard localHasDot || provider || self.hasCue(before: start, Self.emailCues, window: 48) else { return nil }
        }
        return PIIMatch(start: start, end: end, kind: .email)
    }

    /// The end of a domain label (`[A-Za-z0-9-]`, 1-63 bytes, not starting or ending with `-`) at `index`.
    func domainLabel(at index: Int) -> Int? {
        guard Self.isAlphanumeric(self.at(index)) else { return nil }
        var end = index
        while end - index < 64, Self.isAlphanumeric(self.at(end)) || self.at(end) == UInt8(ascii: "-") { end += 1 }
        guard end - index <= 63, self.at(end - 1) != UInt8(ascii: "-") else { return nil }
        return end
    }

    /// After a dot at `index` (`.`, ` dot `, or `(dot)` and the like with up to two spaces around): where the
    /// next label starts, and whether the dot was spelled.
    func dotMarker(at index: Int) -> (Int, Bool)? {
        if self.at(index) == UInt8(ascii: "."), Self.isAlphanumeric(self.at(index + 1)) { return (index + 1, false) }
        let afterSpaces = self.skipSpaces(from: index, limit: 2)
        if let end = self.bracketedWord(Self.dotWord, at: afterSpaces) { return (self.skipSpaces(from: end, limit: 2), true) }
        if afterSpaces == index + 1, self.matchesLowercased(Self.dotWord, at: afterSpaces), self.at(afterSpaces + 3) == UInt8(ascii: " "),
            Self.isAlphanumeric(self.at(afterSpaces + 4))
        {
            return (afterSpaces + 4, true)
        }
        return nil
    }

    /// Before the local label starting at `index`: where a spelled dot (` dot `, `(dot)`, …) starts on the left,
    /// that is the end of the label before it.
    func dotMarkerBackwards(endingAt index: Int, floor: Int) -> Int? {
        // " dot "
        if index - 5 >= floor, self.at(index - 1) == UInt8(ascii: " "), self.matchesLowercased(Self.dotWord, at: index - 4),
            self.at(index - 5) == UInt8(ascii: " ")
        {
            return index - 5
        }
        // "(dot)" with up to two spaces either side
        var end = index
        var spaces = 0
        while spaces < 2, end > floor, self.at(end - 1) == UInt8(ascii: " ") {
            end -= 1
            spaces += 1
        }
        guard end - 5 >= floor, self.bracketedWord(Self.dotWord, at: end - 5) == end else { return nil }
        var start = end - 5
        spaces = 0
        while spaces < 2, start > floor, self.at(start - 1) == UInt8(ascii: " ") {
            start -= 1
            spaces += 1
        }
        return start
    }

    /// The end of `(word)`, `[word]`, `{word}` or `<word>` at `index`, case-insensitive.
    func bracketedWord(_ word: [UInt8], at index: Int) -> Int? {
        let open = self.at(index)
        let close: UInt8
        switch open {
        case UInt8(ascii: "("): close = UInt8(ascii: ")")
        case UInt8(ascii: "["): close = UInt8(ascii: "]")
        case UInt8(ascii: "{"): close = UInt8(ascii: "}")
        case UInt8(ascii: "<"): close = UInt8(ascii: ">")
        default: return nil
        }
        guard self.matchesLowercased(word, at: index + 1), self.at(index + 1 + word.count) == close else { return nil }
        return index + 2 + word.count
    }

    func skipSpaces(from index: Int, limit: Int) -> Int {
        var position = index
        while position - index < limit, self.at(position) == UInt8(ascii: " ") { position += 1 }
        return position
    }

    func skipSpacesBackwards(from index: Int, limit: Int) -> Int {
        var position = index
        while index - position < limit, position > 0, self.at(position - 1) == UInt8(ascii: " ") { position -= 1 }
        // The plain word "at" has its one space before it.
        if limit == 0, position > 0, self.at(position - 1) == UInt8(ascii: " ") { position -= 1 }
        return position
    }

    /// The end of the run of local-part bytes at `start`.
    func localEnd(from start: Int) -> Int {
        var end = start
        while end < self.count, Self.isEmailLocalByte(self.at(end)) { end += 1 }
        return end
    }

    /// The bytes `start..<end`, lower-cased, as a string (short words only).
    func lowercasedWord(from start: Int, to end: Int) -> String {
        guard end > start, end - start <= 64 else { return "" }
        var word: [UInt8] = []
        for index in start..<end {
            let byte = self.at(index)
            word.append(Self.isUpper(byte) ? byte | 0x20 : byte)
        }
        return String(decoding: word, as: UTF8.self)
    }

    func rightEmailBoundary(_ end: Int) -> Bool {
        !Self.isAlphanumeric(self.at(end)) && self.at(end) != UInt8(ascii: "@")
    }

    static let atWord: [UInt8] = Array("at".utf8)
    static let dotWord: [UInt8] = Array("dot".utf8)

    /// Words shortly before a spelled-out address that say it is one.
    static let emailCues = bytes([
        "email", "e-mail", "mail", "write", "reach", "contact", "address", "message", "inbox", "send", "reply",
        "user name", "username", "login", "account",
    ])

    /// Domains people spell out after a plain `at` (first label, lower case).
    static let mailProviders: Set<String> = [
        "gmail", "yahoo", "outlook", "hotmail", "icloud", "aol", "proton", "protonmail", "comcast", "verizon", "att",
        "live", "msn", "me", "mac",
    ]

    /// Top-level domains a spelled-out address may end with (lower case).
    static let knownTopLevelDomains: Set<String> = [
        "com", "org", "net", "gov", "edu", "mil", "us", "io", "co", "info", "biz", "me", "uk", "ca", "de", "fr", "au",
        "in", "mx", "es", "it", "nl", "jp", "cn", "br", "ch", "se", "ie", "nz", "app", "dev", "email", "mail",
    ]
}
