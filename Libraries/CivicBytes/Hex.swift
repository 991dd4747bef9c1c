/// Hexadecimal text for bytes such as digests, key ids and percent-escapes: the project's one hex encoder.
///
/// `String(format: "%02x")` per byte goes through Foundation's format machinery and was the largest single
/// cost of intake's hot path (a spam fingerprint per response); this is a table look-up per nibble.
package enum Hex {
    private static let lowercaseDigits = Array("0123456789abcdef".utf8)
    private static let uppercaseDigits = Array("0123456789ABCDEF".utf8)

    /// `bytes` as hexadecimal, two characters per byte, lower-case unless `uppercase`.
    package static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, uppercase: Bool = false) -> String {
        let digits = uppercase ? uppercaseDigits : lowercaseDigits
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
