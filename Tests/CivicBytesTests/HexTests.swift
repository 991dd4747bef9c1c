import CivicBytes
import CivicTestTraits
import Testing

/// The one hex encoder: two digits per byte, lower-case unless asked otherwise.
@Suite(.hangGuard) struct HexTests {
    @Test func bytesBecomeTwoDigitsEach() {
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF], uppercase: true) == "000FA5FF")
        #expect(Hex.encode([UInt8]()) == "")
    }

    @Test func everyByteMatchesFormattedText() {
        for byte in UInt8.min...UInt8.max {
            let expected = (byte < 16 ? "0" : "") + String(byte, radix: 16)
            #expect(Hex.encode(CollectionOfOne(byte)) == expected)
            #expect(Hex.encode(CollectionOfOne(byte), uppercase: true) == expected.uppercased())
        }
    }
}
