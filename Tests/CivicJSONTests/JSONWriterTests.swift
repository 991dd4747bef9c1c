import CivicJSON
import CivicTestTraits
import Foundation
import Testing

/// The project's one JSON writer: `JSONEncoder`'s escaping and numbers, compact fields, and the
/// pretty-printed documents of ``JSONValue/serialized()``.
@Suite(.hangGuard) struct JSONWriterTests {
    @Test func stringsAreEscapedAsJSONEncoderEscapesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for text in ["plain", "quote \" back \\ slash /", "\u{8}\u{C}\n\r\t\u{1}\u{1F}", "é😀", ""] {
            #expect(JSONString.quoted(text) == String(decoding: try encoder.encode(text), as: UTF8.self))
        }
    }

    @Test func fieldsAreWrittenInTheOrderGiven() {
        var writer = JSONWriter()
        writer.object { body in
            body.field("b", string: "x")
            body.field("a", integer: -3)
            body.field("n", number: 1.0)
            body.field("f", number: 0.25)
            body.field("t", bool: true)
            body.field("s", strings: ["p", "q"])
            body.field("o", objects: [1, 2]) { object, value in object.field("v", integer: value) }
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"b":"x","a":-3,"n":1,"f":0.25,"t":true,"s":["p","q"],"o":[{"v":1},{"v":2}]}"#)
    }

    @Test func dictionariesAreWrittenWithSortedKeys() {
        #expect(
            String(decoding: JSONWriter.object(strings: ["role": "admin", "label": "a/b", "agency": "IRS"]), as: UTF8.self)
                == #"{"agency":"IRS","label":"a/b","role":"admin"}"#
        )
        #expect(String(decoding: JSONWriter.object(numbers: ["joy": 0.5, "anger": 2]), as: UTF8.self) == #"{"anger":2,"joy":0.5}"#)
    }

    @Test func valuesArePrettyPrintedInInsertionOrder() {
        let value: JSONValue = [
            "title": "CivicPulse", "version": 2, "ratio": 0.5, "whole": .double(3), "empty": [:], "none": [], "list": [true, nil],
        ]
        let expected = """
            {
              "title": "CivicPulse",
              "version": 2,
              "ratio": 0.5,
              "whole": 3,
              "empty": {},
              "none": [],
              "list": [
                true,
                null
              ]
            }

            """
        #expect(String(decoding: value.serialized(), as: UTF8.self) == expected)
    }
}
