/// The single-code-point emoji keys of `emoji_utf8_lexicon.txt` and VADER's replacement step.
///
/// Keys live in a small open-addressing table of `scalar << 32 | (index + 1)` words; the
/// descriptions are stored back to back in one byte array. Multi-scalar keys are not stored:
/// the reference replaces emoji one code point at a time, so they never match.
struct VaderEmojiTable: Sendable {
    private let slots: [UInt64]  // 0 = empty
    private let shift: UInt64
    private let bytes: [UInt8]  // all descriptions, back to back
    private let offsets: [Int]  // description i is bytes[offsets[i]..<offsets[i + 1]]
    /// The smallest key, for a fast reject.
    let smallestScalar: UInt32

    /// Number of keys.
    var count: Int { offsets.count - 1 }

    init(_ entries: [(scalar: UInt32, bytes: [UInt8])]) {
        var capacity = 16
        var bits: UInt64 = 4
        while capacity < entries.count * 4 {
            capacity <<= 1
            bits += 1
        }
        var slots = [UInt64](repeating: 0, count: capacity)
        var bytes: [UInt8] = []
        var offsets = [0]
        let shift = 64 - bits
        for (index, entry) in entries.enumerated() {
            var slot = Self.home(entry.scalar, shift: shift)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = UInt64(entry.scalar) << 32 | UInt64(index + 1)
            bytes.append(contentsOf: entry.bytes)
            offsets.append(bytes.count)
        }
        self.slots = slots
        self.shift = shift
        self.bytes = bytes
        self.offsets = offsets
        smallestScalar = entries.map(\.scalar).min() ?? UInt32.max
    }

    @inline(__always)
    private static func home(_ scalar: UInt32, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(scalar) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The description index of `scalar`, or nil when it is not a key.
    @inline(__always)
    func index(of scalar: UInt32) -> Int? {
        guard scalar >= smallestScalar else { return nil }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Self.home(scalar, shift: shift)
            while true {
                let value = slots[slot]
                if value == 0 { return nil }
                if UInt32(truncatingIfNeeded: value >> 32) == scalar { return Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1 }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Length in bytes of `text` after VADER's emoji replacement, or nil when no scalar is
    /// replaced. `text` must be valid UTF-8.
    ///
    /// Python walks the code points with a flag "last emitted char was U+0020", initially true;
    /// an emoji emits its description, preceded by one space unless the flag is set, and clears
    /// the flag. The flag is set exactly when the emoji is at offset 0 or follows a literal space
    /// (a replaced emoji ends in a continuation byte, never 0x20).
    func replacedLength(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        var length = text.count
        var replaced = false
        var index = 0
        while let (scalar, scalarLength) = Self.nextNonASCII(text, from: &index) {
            if let key = self.index(of: scalar) {
                replaced = true
                length += offsets[key + 1] - offsets[key] - scalarLength
                if index > 0 && text[index - 1] != 0x20 { length += 1 }
            }
            index += scalarLength
        }
        return replaced ? length : nil
    }

    /// Writes the replaced form of `text` into `output`, which must hold exactly
    /// `replacedLength(text)` bytes. Text between emoji is copied in bulk.
    func replace(_ text: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) {
        var written = 0
        bytes.withUnsafeBufferPointer { descriptions in
            var index = 0
            var copiedUpTo = 0  // text[copiedUpTo..<index] is still to be copied
            while let (scalar, scalarLength) = Self.nextNonASCII(text, from: &index) {
                if let key = self.index(of: scalar) {
                    Self.copy(UnsafeBufferPointer(rebasing: text[copiedUpTo..<index]), to: output, at: &written)
                    if index > 0 && text[index - 1] != 0x20 {
                        precondition(written < output.count, "emoji replacement overflow")
                        output[written] = 0x20
                        written += 1
                    }
                    Self.copy(
                        UnsafeBufferPointer(rebasing: descriptions[offsets[key]..<offsets[key + 1]]),
                        to: output,
                        at: &written
                    )
                    copiedUpTo = index + scalarLength
                }
                index += scalarLength
            }
            Self.copy(UnsafeBufferPointer(rebasing: text[copiedUpTo..<text.count]), to: output, at: &written)
        }
        precondition(written == output.count, "emoji replacement length mismatch")
    }

    /// Copies `source` into `output` at `offset`, advancing it; traps rather than overflow.
    @inline(__always)
    private static func copy(
        _ source: UnsafeBufferPointer<UInt8>,
        to output: UnsafeMutableBufferPointer<UInt8>,
        at offset: inout Int
    ) {
        precondition(offset + source.count <= output.count, "emoji replacement overflow")
        if let from = source.baseAddress, !source.isEmpty {
            output.baseAddress.unsafelyUnwrapped.advanced(by: offset).update(from: from, count: source.count)
        }
        offset += source.count
    }

    /// Advances `index` to the next non-ASCII scalar (skipping ASCII eight bytes at a time) and
    /// decodes it; nil at the end of the text.
    @inline(__always)
    private static func nextNonASCII(_ text: UnsafeBufferPointer<UInt8>, from index: inout Int) -> (UInt32, Int)? {
        let count = text.count
        while index + 8 <= count && SWAR.load8(text, at: index) & SWAR.high == 0 { index += 8 }
        while index < count && text[index] < 0x80 { index += 1 }
        guard index < count else { return nil }
        return PythonText.decodeScalar(text, at: index)
    }
}
