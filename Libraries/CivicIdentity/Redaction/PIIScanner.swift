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
///
/// This file holds the scan itself; each kind or family of kinds has a file of its own (`PIIScanner+Email`,
/// `+Phone`, `+SSN`, `+Cards`, `+Addresses`, `+Names`, `+Dates`, `+IPAddresses`, `+FederalIdentifiers`,
/// `+LetterLed`), beside the number-led dispatch (`+NumberLed`), the boundaries and byte classes
/// (`+Boundaries`) and the word lists (`+WordLists`).
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

    let bytes: [UInt8]
    let count: Int
    let wanted: [Bool]
    let wantsMainScan: Bool
    let contextWindow: Int

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
        // Kinds found by passes of their own (e-mail around `@` and spelled out, names after cues, IPv6 around `:`)
        // come first;
        // the main scan fills the gaps between them.
        var early: [PIIMatch] = []
        if self.wants(.email) {
            early = Self.merge(self.scanSpelledEmails(), self.scanEmails())
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

    @inline(__always) func wants(_ kind: PIIKind) -> Bool { self.wanted[kind.index] }
}
