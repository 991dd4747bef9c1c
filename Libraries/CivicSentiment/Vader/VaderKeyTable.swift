/// A lowercased token of at most 24 ASCII bytes packed into three words, used as a lookup key.
///
/// Every lexicon key VADER can ever match is ASCII (the only non-ASCII keys, `:-Þ` and `:Þ`,
/// contain a capital and lookups use the lowercased token). Python `lower()` maps a non-ASCII
/// scalar to ASCII only for U+212A KELVIN SIGN (→ `k`); U+0130 gives `i` + U+0307, which is not
/// ASCII as a whole. So a token whose other scalars are not ASCII can never match any key.
struct VaderKey: Hashable, Sendable {
    static let maximumLength = 24

    var w0: UInt64 = 0
    var w1: UInt64 = 0
    var w2: UInt64 = 0
    var length: Int = 0

    /// Packs the Python-lowercased form of `bytes[start..<end]`, or returns nil when that
    /// form is not pure ASCII or is longer than ``maximumLength``.
    @inline(__always)
    static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> VaderKey? {
        var key = VaderKey()
        var index = start
        var length = 0
        while index < end {
            var byte = bytes[index]
            if byte >= 0x80 {
                // U+212A KELVIN SIGN is E2 84 AA and lowercases to "k".
                guard byte == 0xE2, index + 2 < end, bytes[index + 1] == 0x84, bytes[index + 2] == 0xAA else {
                    return nil
                }
                byte = 0x6B
                index += 3
            } else {
                if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
                index += 1
            }
            guard length < maximumLength else { return nil }
            let shift = UInt64((length & 7) << 3)
            switch length >> 3 {
            case 0: key.w0 |= UInt64(byte) << shift
            case 1: key.w1 |= UInt64(byte) << shift
            default: key.w2 |= UInt64(byte) << shift
            }
            length += 1
        }
        key.length = length
        return key
    }

    /// What ``asciiLowercased(_:from:length:)`` learns about a token while packing it.
    struct ASCIIPacking {
        var key: VaderKey
        /// The token has an ASCII capital letter.
        var hasUpper: Bool
        /// The token has an ASCII small letter.
        var hasLower: Bool
        /// The token contains an ASCII apostrophe (so it may contain `n't`).
        var hasApostrophe: Bool
    }

    /// Packs and lowercases an all-ASCII token of at most ``maximumLength`` bytes with SWAR
    /// arithmetic (eight bytes per step), also reporting capitals, small letters and apostrophes.
    @inline(__always)
    static func asciiLowercased(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, length: Int) -> ASCIIPacking {
        var key = VaderKey()
        key.length = length
        var seen = (upper: UInt64(0), lower: UInt64(0), apostrophe: UInt64(0))
        if length > 0 { key.w0 = lowercasedWord(bytes, at: start, count: min(length, 8), seen: &seen) }
        if length > 8 { key.w1 = lowercasedWord(bytes, at: start + 8, count: min(length - 8, 8), seen: &seen) }
        if length > 16 { key.w2 = lowercasedWord(bytes, at: start + 16, count: length - 16, seen: &seen) }
        // Padding bytes (zero) never look like an apostrophe: 0 ^ 0x27 != 0.
        return ASCIIPacking(
            key: key,
            hasUpper: seen.upper != 0,
            hasLower: seen.lower != 0,
            hasApostrophe: seen.apostrophe != 0
        )
    }

    /// Lowercases `count` (1...8) ASCII bytes packed into one word, accumulating the byte masks
    /// of capitals, small letters and apostrophes into `seen`.
    @inline(__always)
    private static func lowercasedWord(
        _ bytes: UnsafeBufferPointer<UInt8>,
        at offset: Int,
        count: Int,
        seen: inout (upper: UInt64, lower: UInt64, apostrophe: UInt64)
    ) -> UInt64 {
        let x = SWAR.load(bytes, at: offset, count: count)
        let letters = SWAR.asciiLetters(x)
        seen.upper |= letters.upper
        seen.lower |= letters.lower
        if SWAR.hasZeroByte(x ^ 0x2727_2727_2727_2727) { seen.apostrophe = 1 }
        return x | (letters.upper >> 2)  // 0x80 >> 2 == 0x20: 'A' | 0x20 == 'a'
    }

    /// Packs an ASCII key from a lexicon file; nil when it is not pure ASCII or too long.
    static func exact<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> VaderKey? {
        guard bytes.count <= maximumLength, !bytes.isEmpty else { return nil }
        var key = VaderKey()
        for (length, byte) in bytes.enumerated() {
            guard byte < 0x80 else { return nil }
            let shift = UInt64((length & 7) << 3)
            switch length >> 3 {
            case 0: key.w0 |= UInt64(byte) << shift
            case 1: key.w1 |= UInt64(byte) << shift
            default: key.w2 |= UInt64(byte) << shift
            }
        }
        key.length = bytes.count
        return key
    }
}

/// Special words VADER's rules test by exact (lowercased) identity.
enum VaderWord: UInt8, Sendable {
    case none = 0
    case kind, of, no, or, nor, never, so, this, without, doubt, least, at, very, but
    // words of SPECIAL_CASES and the multi-word booster keys
    case the, shit, bomb, bad, ass, bus, stop, yeah, right, kiss, death, to, die, `for`, beating, heart
    case just, enough, sort
}

/// Everything the rules need to know about one lowercased word.
struct VaderWordInfo: Sendable {
    /// Lexicon valence, meaningful when ``inLexicon``.
    var valence: Double = 0
    /// Booster scalar (+0.293 or −0.293), meaningful when ``isBooster``.
    var booster: Double = 0
    var word: VaderWord = .none
    var inLexicon = false
    var isBooster = false
    /// In VADER's NEGATE list (the `n't` substring rule is applied per token separately).
    var isNegation = false
}

/// The compact per-word facts stored in the table (16 bytes).
struct VaderEntry: Sendable {
    static let inLexicon: UInt8 = 1
    static let isBooster: UInt8 = 2
    static let boosterNegative: UInt8 = 4
    static let isNegation: UInt8 = 8
    /// One of the words VADER's rules test by identity (``VaderWord`` other than `.none`).
    static let isRuleWord: UInt8 = 32

    var valence: Double
    var word: VaderWord
    var flags: UInt8
}

/// A read-only open-addressing hash table (linear probing, at most half full) from
/// ``VaderKey`` to the word facts the analyzer needs.
///
/// Each 32-byte slot holds the packed key (24 bytes), its length, the rule word and the flags,
/// so a probe reads one slot and follows no pointer; the token's starting value lives in a
/// parallel array. Lookups return a slot index, with an all-zero sentinel slot for absent keys,
/// so the caller builds its token the same way for hits and misses.
struct VaderKeyTable: Sendable {
    /// One table slot; `length == 0` marks an empty slot (keys are never empty).
    struct Slot: Sendable {
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var w2: UInt64 = 0
        var length: UInt8 = 0
        var word: VaderWord = .none
        /// ``VaderEntry`` flags, whose bits coincide with the analyzer's token flags.
        var flags: UInt8 = 0
    }

    /// A power-of-two number of slots, then the empty "absent" sentinel.
    private let slots: [Slot]
    /// Per slot: the token's starting value, the lexicon valence for lexicon words that are not
    /// boosters, else 0.
    private let valences: [Double]
    private let shift: UInt64
    /// Number of keys.
    let count: Int

    /// Builds the table from the merged word facts.
    init(_ words: [VaderKey: VaderWordInfo]) {
        var bits: UInt64 = 4
        while 1 << bits < words.count * 2 { bits += 1 }
        let capacity = 1 << bits
        let shift = 64 - bits
        var slots = [Slot](repeating: Slot(), count: capacity + 1)
        var valences = [Double](repeating: 0, count: capacity + 1)
        // Sorted insertion keeps the layout (and so probe lengths) the same in every process.
        let keys = words.keys.sorted { ($0.w0, $0.w1, $0.w2, $0.length) < ($1.w0, $1.w1, $1.w2, $1.length) }
        for key in keys {
            let info = words[key]!
            var flags: UInt8 = 0
            if info.inLexicon { flags |= VaderEntry.inLexicon }
            if info.isBooster {
                flags |= VaderEntry.isBooster
                if info.booster < 0 { flags |= VaderEntry.boosterNegative }
            }
            if info.isNegation { flags |= VaderEntry.isNegation }
            if info.word != .none { flags |= VaderEntry.isRuleWord }
            var index = Int(truncatingIfNeeded: Self.hash(key) &>> shift)
            while slots[index].length != 0 { index = (index + 1) & (capacity - 1) }
            slots[index] = Slot(
                w0: key.w0,
                w1: key.w1,
                w2: key.w2,
                length: UInt8(key.length),
                word: info.word,
                flags: flags
            )
            // Boosters never score, even when they are also lexicon words.
            valences[index] = info.inLexicon && !info.isBooster ? info.valence : 0
        }
        self.slots = slots
        self.valences = valences
        self.shift = shift
        self.count = words.count
    }

    /// Multiplicative hash of the packed key; the table uses its top bits.
    @inline(__always)
    static func hash(_ key: VaderKey) -> UInt64 {
        shortHash(key.w0, length: key.length) ^ (key.w1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (key.w2 &* 0x1656_67B1_9E37_79F9)
    }

    /// ``hash(_:)`` of a key of at most 8 bytes (`w1 == w2 == 0`).
    @inline(__always)
    static func shortHash(_ w0: UInt64, length: Int) -> UInt64 {
        (w0 ^ (UInt64(truncatingIfNeeded: length) &<< 58)) &* 0x9E37_79B9_7F4A_7C15
    }

    /// A borrowed, pointer-based view of the table for a batch of lookups.
    ///
    /// Probe indices stay inside the table: they start at `hash >> shift`, below the
    /// power-of-two capacity, and advance modulo it; the table always has empty slots.
    struct View {
        fileprivate let slots: UnsafeBufferPointer<Slot>
        fileprivate let valences: UnsafeBufferPointer<Double>
        fileprivate let shift: UInt64

        /// The index of the all-zero "absent" sentinel slot.
        @inline(__always)
        var absent: Int { slots.count - 1 }

        /// The slot index of `key`, or ``absent``.
        @inline(__always)
        func slotIndex(_ key: VaderKey) -> Int {
            let mask = slots.count - 2
            var index = Int(truncatingIfNeeded: VaderKeyTable.hash(key) &>> shift)
            while true {
                let slot = slots[index]
                if slot.length == 0 { return absent }
                if slot.w0 == key.w0 && slot.w1 == key.w1 && slot.w2 == key.w2 && Int(slot.length) == key.length {
                    return index
                }
                index = (index + 1) & mask
            }
        }

        /// ``slotIndex(_:)`` for a key of at most 8 bytes packed in `w0`. A slot of the same
        /// length has `w1 == w2 == 0` too, so comparing `w0` and the length is enough.
        @inline(__always)
        func slotIndex(short w0: UInt64, length: Int) -> Int {
            let mask = slots.count - 2
            var index = Int(truncatingIfNeeded: VaderKeyTable.shortHash(w0, length: length) &>> shift)
            while true {
                let slot = slots[index]
                if slot.length == 0 { return absent }
                if slot.w0 == w0 && Int(slot.length) == length { return index }
                index = (index + 1) & mask
            }
        }

        /// The slot at `index` (the sentinel has no flags and word `.none`).
        @inline(__always)
        func slot(_ index: Int) -> Slot { slots[index] }

        /// The starting value of a token in slot `index`: its lexicon valence, or 0 for words
        /// outside the lexicon and for boosters.
        @inline(__always)
        func valence(_ index: Int) -> Double { valences[index] }
    }

    /// Runs `body` with a pointer-based view of the table.
    @inline(__always)
    func withView<Result>(_ body: (View) -> Result) -> Result {
        slots.withUnsafeBufferPointer { slots in
            valences.withUnsafeBufferPointer { valences in
                body(View(slots: slots, valences: valences, shift: shift))
            }
        }
    }

    /// The entry for `key`, if any (for tests and diagnostics).
    func lookup(_ key: VaderKey) -> VaderEntry? {
        withView { view in
            let index = view.slotIndex(key)
            guard index != view.absent else { return nil }
            let slot = view.slot(index)
            return VaderEntry(valence: view.valence(index), word: slot.word, flags: slot.flags)
        }
    }
}
