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

    /// Packs and lowercases an all-ASCII token of at most ``maximumLength`` bytes with SWAR
    /// arithmetic, also reporting whether it has ASCII upper- and lowercase letters.
    @inline(__always)
    static func asciiLowercased(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, length: Int
    ) -> (key: VaderKey, hasUpper: Bool, hasLower: Bool) {
        var key = VaderKey()
        key.length = length
        var upperSeen: UInt64 = 0
        var lowerSeen: UInt64 = 0
        @inline(__always)
        func word(_ offset: Int) -> UInt64 {
            let remaining = length - offset
            if remaining <= 0 { return 0 }
            var x: UInt64
            if start + offset + 8 <= bytes.count {
                // Load 8 bytes (reading past the token but inside the buffer) and mask the tail.
                x = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + start + offset).loadUnaligned(as: UInt64.self)
                if remaining < 8 { x &= (1 << UInt64(remaining << 3)) &- 1 }
            } else {
                x = 0
                for k in 0..<min(remaining, 8) { x |= UInt64(bytes[start + offset + k]) << UInt64(k << 3) }
            }
            let high: UInt64 = 0x8080_8080_8080_8080
            let upper = ((x &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(x &+ 0x2525_2525_2525_2525)) & high  // 'A'...'Z'
            let lower = ((x &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(x &+ 0x0505_0505_0505_0505)) & high  // 'a'...'z'
            upperSeen |= upper
            lowerSeen |= lower
            return x | (upper >> 2)
        }
        key.w0 = word(0)
        key.w1 = word(8)
        key.w2 = word(16)
        return (key, upperSeen != 0, lowerSeen != 0)
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

    @inline(__always)
    var tableHash: Int {
        var h = w0 &* 0x9E37_79B9_7F4A_7C15
        h ^= (w1 &+ UInt64(length)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= w2 &* 0x1656_67B1_9E37_79F9
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
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

/// An open-addressing hash table from ``VaderKey`` to ``VaderEntry``, built once.
///
/// The probe array holds 8-byte slots (entry index + hash tag) so that probing touches little
/// memory; keys and entries live in dense arrays and are read only when a tag matches.
struct VaderKeyTable: Sendable {
    private var slots: [UInt64]  // 0 = empty, else (tag << 32) | (entryIndex + 1)
    private var keys: [VaderKey] = []
    private var entries: [VaderEntry] = []
    private let mask: Int

    var count: Int { entries.count }

    init(minimumCapacity: Int) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Updates the entry for `key`, inserting a default one first when absent.
    mutating func update(_ key: VaderKey, _ body: (inout VaderWordInfo) -> Void) {
        let hash = key.tableHash
        let tag = UInt64(UInt32(truncatingIfNeeded: hash >> 32))
        var slot = hash & mask
        while slots[slot] != 0 {
            let index = Int(truncatingIfNeeded: slots[slot] & 0xFFFF_FFFF) - 1
            if keys[index] == key {
                var info = Self.info(entries[index])
                body(&info)
                entries[index] = Self.entry(info)
                return
            }
            slot = (slot + 1) & mask
        }
        var info = VaderWordInfo()
        body(&info)
        keys.append(key)
        entries.append(Self.entry(info))
        slots[slot] = (tag << 32) | UInt64(entries.count)
        precondition(entries.count * 2 <= slots.count, "VaderKeyTable over half full")
    }

    private static func entry(_ info: VaderWordInfo) -> VaderEntry {
        var flags: UInt8 = 0
        if info.inLexicon { flags |= VaderEntry.inLexicon }
        if info.isBooster {
            flags |= VaderEntry.isBooster
            if info.booster < 0 { flags |= VaderEntry.boosterNegative }
        }
        if info.isNegation { flags |= VaderEntry.isNegation }
        return VaderEntry(valence: info.valence, word: info.word, flags: flags)
    }

    private static func info(_ entry: VaderEntry) -> VaderWordInfo {
        var info = VaderWordInfo()
        info.valence = entry.valence
        info.word = entry.word
        info.inLexicon = entry.flags & VaderEntry.inLexicon != 0
        info.isBooster = entry.flags & VaderEntry.isBooster != 0
        info.booster =
            entry.flags & VaderEntry.boosterNegative != 0 ? VaderLexicon.boosterDecrement : VaderLexicon.boosterIncrement
        info.isNegation = entry.flags & VaderEntry.isNegation != 0
        return info
    }

    /// The entry for `key`, if any.
    @inline(__always)
    func lookup(_ key: VaderKey) -> VaderEntry? {
        let hash = key.tableHash
        let tag = UInt64(UInt32(truncatingIfNeeded: hash >> 32))
        return slots.withUnsafeBufferPointer { slots in
            var slot = hash & mask
            while true {
                let value = slots[slot]
                if value == 0 { return nil }
                if value >> 32 == tag {
                    let index = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1
                    let candidate = keys.withUnsafeBufferPointer { $0[index] }
                    if candidate.w0 == key.w0 && candidate.w1 == key.w1 && candidate.w2 == key.w2
                        && candidate.length == key.length
                    {
                        return entries.withUnsafeBufferPointer { $0[index] }
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }
}
