import CivicJSON
import Foundation
import Testing

/// The project's one JSON reader against Foundation's parser: the same documents accepted, the same strings
/// and numbers read, hostile nesting refused without exhausting the stack.
struct JSONScannerTests {
    @Test(arguments: [
        #"{"a": [1, -0.5e+3, true, false, null, {"b": "c"}], "d": {}}"#, #"[]"#, #""x""#, #"-0"#, #"1E9"#, #"{"\u00e9\ud83d\ude00": "\/\b\f\n\r\t"}"#,
        "  {\"a\":1}\n",
    ])
    func acceptsWhatFoundationAccepts(_ text: String) {
        var scanner = JSONScanner(Array(text.utf8))
        let read = scanner.skipValue() && scanner.isAtEnd()
        #expect(read, "\(text)")
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil)
    }

    @Test(arguments: [
        #"{"a" 1}"#, #"{"a": 1,}"#, #"[1 2]"#, #"01"#, #"1."#, #"-"#, #".5"#, #"1e"#, #""\x""#, #""\u12g4""#, "\"a\u{1}b\"", #"tru"#,
        #"{"a": 1"#, #"[1,]"#, #""\ud800""#, #"nul"#,
    ])
    func refusesWhatJSONRefuses(_ text: String) {
        var scanner = JSONScanner(Array(text.utf8))
        let read = scanner.skipValue() && scanner.isAtEnd()
        #expect(!read, "\(text)")
    }

    @Test func stringsAreUnescapedAndKeysWithoutEscapesAreSlicesOfTheInput() throws {
        let bytes = Array(#"{"plain": "a\"b\\c\u00e9\ud83d\ude00\n", "x": 1}"#.utf8)
        var scanner = JSONScanner(bytes)
        var values: [String: String] = [:]
        var plainKeyStart: Int?
        let complete = scanner.object { scanner, key in
            let name = String(decoding: key, as: UTF8.self)
            if name == "plain" {
                plainKeyStart = key.startIndex
                values[name] = scanner.string()
                return values[name] != nil
            }
            values[name] = scanner.numberText().map { String(decoding: $0, as: UTF8.self) }
            return true
        }
        #expect(complete)
        #expect(plainKeyStart == 2, "an unescaped key is a slice of the input")
        #expect(values == ["plain": "a\"b\\cé😀\n", "x": "1"])
    }

    @Test func aLoneSurrogateIsRefusedOrReplacedOnRequest() {
        var strict = JSONScanner(Array(#""a\udc00b""#.utf8))
        let refused = strict.string()
        #expect(refused == nil)
        var lenient = JSONScanner(Array(#""a\ud800\u0041""#.utf8))
        let replaced = lenient.string(replacingLoneSurrogates: true)
        #expect(replaced == "a\u{FFFD}A")
    }

    @Test func numbersKeepTheirTextAndIntegersArePlainOnly() {
        for (text, integer) in [("42", 42 as Int?), ("-7", -7), ("0", 0), ("1.50", nil), ("1e3", nil), ("-0", nil), ("1234567890123456789", nil)] {
            var number = JSONScanner(Array(text.utf8))
            let written = number.numberText().map { String(decoding: $0, as: UTF8.self) }
            #expect(written == text)
            var plain = JSONScanner(Array(text.utf8))
            let read = plain.integer()
            #expect(read == integer, "\(text)")
        }
    }

    @Test func hostileNestingIsRefusedWithoutExhaustingTheStack() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        var scanner = JSONScanner(deep)
        let readDeep = scanner.skipValue()
        #expect(!readDeep)
        let allowed = Array(repeating: UInt8(ascii: "["), count: 500) + Array(repeating: UInt8(ascii: "]"), count: 500)
        var shallow = JSONScanner(allowed)
        let readShallow = shallow.skipValue() && shallow.isAtEnd()
        #expect(readShallow)
    }
}
