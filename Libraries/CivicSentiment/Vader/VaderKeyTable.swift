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
        var upperSeen: UInt64 = 0
        var lowerSeen: UInt64 = 0
        var apostropheSeen: UInt64 = 0
        @inline(__always)
        func word(_ offset: Int) -> UInt64 {
            let remaining = length - offset
            if remaining <= 0 { return 0 }
            let x = SWAR.load(bytes, at: start + offset, count: min(remaining, 8))
            let upper = ((x &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(x &+ 0x2525_2525_2525_2525)) & SWAR.high  // 'A'...'Z'
            let lower = ((x &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(x &+ 0x0505_0505_0505_0505)) & SWAR.high  // 'a'...'z'
            upperSeen |= upper
            lowerSeen |= lower
            apostropheSeen |= SWAR.zeroBytes(x ^ 0x2727_2727_2727_2727)
            return x | (upper >> 2)
        }
        key.w0 = word(0)
        key.w1 = word(8)
        key.w2 = word(16)
        // Padding bytes (zero) never look like an apostrophe: 0 ^ 0x27 != 0.
        return ASCIIPacking(key: key, hasUpper: upperSeen != 0, hasLower: lowerSeen != 0, hasApostrophe: apostropheSeen != 0)
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

    var valence: Double
    var word: VaderWord
    var flags: UInt8
}

