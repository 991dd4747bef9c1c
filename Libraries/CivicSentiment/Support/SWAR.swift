/// Eight-bytes-at-a-time helpers ("SIMD within a register") for scanning UTF-8 buffers.
///
/// Every load stays inside the buffer it is given; bytes are taken in little-endian order so that
/// byte `k` of a word is the `k`-th byte in memory on every platform.
enum SWAR {
    /// The high bit of every byte.
    static let high: UInt64 = 0x8080_8080_8080_8080
    /// 0x01 in every byte.
    static let ones: UInt64 = 0x0101_0101_0101_0101

    /// Loads the eight bytes at `offset`; requires `offset + 8 <= bytes.count`.
    @inline(__always)
    static func load8(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(
            littleEndian: UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped).loadUnaligned(
                fromByteOffset: offset,
                as: UInt64.self
            )
        )
    }

    /// Loads `count` (1...8) bytes from `offset` into the low bytes of a word, zero-padded.
    /// Requires `offset >= 0` and `offset + count <= bytes.count`; never reads outside `bytes`.
    @inline(__always)
    static func load(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int) -> UInt64 {
        let x = offset + 8 <= bytes.count ? load8(bytes, at: offset) : loadTail(bytes, at: offset, count: count)
        // Keep the low `count` bytes.
        let keep = count >= 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: count &<< 3)) &- 1
        return x & keep
    }

    /// ``load(_:at:count:)`` near the end of the buffer, where eight bytes are not available.
    @inline(never)
    private static func loadTail(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int) -> UInt64 {
        let total = bytes.count
        if total >= 8 {
            // Load the buffer's last eight bytes and shift the wanted ones down (by 8...56 bits).
            return load8(bytes, at: total - 8) &>> UInt64(truncatingIfNeeded: (offset + 8 - total) &<< 3)
        }
        var x: UInt64 = 0
        for k in 0..<count { x |= UInt64(bytes[offset + k]) &<< UInt64(truncatingIfNeeded: k &<< 3) }
        return x
    }

    /// 0x80 in exactly the bytes of `x` that are zero (no false positives).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & high
    }

    /// Number of flagged bytes in a mask that only has bits in ``high``.
    @inline(__always)
    static func byteCount(_ mask: UInt64) -> Int {
        Int(truncatingIfNeeded: ((mask &>> 7) &* ones) &>> 56)
    }

    /// Whether any byte of `x` is zero (exact as a yes/no answer).
    @inline(__always)
    static func hasZeroByte(_ x: UInt64) -> Bool {
        (x &- ones) & ~x & high != 0
    }

    /// 0x80 in the bytes of an ASCII word that are capital letters (`upper`) or small letters
    /// (`lower`). Exact for bytes below 0x80: no addition carries into the next byte.
    @inline(__always)
    static func asciiLetters(_ x: UInt64) -> (upper: UInt64, lower: UInt64) {
        let upper = ((x &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(x &+ 0x2525_2525_2525_2525)) & high  // 'A'...'Z'
        let lower = ((x &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(x &+ 0x0505_0505_0505_0505)) & high  // 'a'...'z'
        return (upper, lower)
    }

    /// 0x80 in the bytes of an ASCII word that are in Python's `string.punctuation`: graphic
    /// characters (0x21–0x7E) that are neither letters nor digits. `letters` is
    /// ``asciiLetters(_:)`` of the same word.
    @inline(__always)
    static func asciiPunctuation(_ x: UInt64, letters: (upper: UInt64, lower: UInt64)) -> UInt64 {
        let graphic = ((x &+ 0x5F5F_5F5F_5F5F_5F5F) & ~(x &+ 0x0101_0101_0101_0101)) & high  // 0x21...0x7E
        let digit = ((x &+ 0x5050_5050_5050_5050) & ~(x &+ 0x4646_4646_4646_4646)) & high  // '0'...'9'
        return graphic & ~(letters.upper | letters.lower | digit)
    }

    /// A mask of the low `count` bytes, for `count` in 0...7.
    @inline(__always)
    static func lowBytes(_ count: Int) -> UInt64 {
        (1 &<< UInt64(truncatingIfNeeded: count &<< 3)) &- 1
    }
}
