import CivicBytes
import CivicTestTraits
import Testing

/// The one constant-time comparison: equal bytes only, any collection of bytes.
@Suite(.hangGuard) struct ConstantTimeTests {
    @Test func equalOnlyForTheSameBytes() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equal([UInt8](), [UInt8]()))
    }

    @Test func comparesTextByItsUTF8() {
        #expect(ConstantTime.equal("état".utf8, "état".utf8))
        #expect(!ConstantTime.equal("état".utf8, "etat".utf8))
    }
}
