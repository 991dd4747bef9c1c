import Foundation

/// Writes one JSON object's fields, in the order given, with `JSONEncoder`'s formatting: strings escaped
/// as it escapes them (`\b \t \n \f \r`, other controls as `\u00XX`, slashes left alone), numbers as
/// Swift prints them without a trailing `.0`. It writes ``FeedbackEvent/contractJSON()`` and
/// ``JSONString/quoted(_:)``, and survey-intake's HTTP answers (keys given in sorted order there too).
package struct JSONObjectWriter {
    /// What has been written.
    package var bytes: [UInt8] = []
    private var needsComma = false

    /// An empty writer.
    package init() {}

    mutating func begin() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func end() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// A nested object, its fields written by `body`.
    package mutating func object(_ body: (inout JSONObjectWriter) -> Void) {
        begin()
        body(&self)
        end()
    }

    mutating func field(_ key: StaticString, _ value: (inout JSONObjectWriter) -> Void) {
        writeKey(key)
        value(&self)
        needsComma = true
    }

    package mutating func field(_ key: StaticString, string value: String) {
        writeKey(key)
        string(value)
    }

    mutating func field(_ key: StaticString, timestamp value: Date) {
        writeKey(key)
        bytes.append(UInt8(ascii: "\""))
        Timestamp.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// An array of objects, each written by `write`.
    package mutating func field<Element>(_ key: StaticString, objects values: [Element], _ write: (inout JSONObjectWriter, Element) -> Void) {
        writeKey(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            object { write(&$0, value) }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    package mutating func field(_ key: StaticString, integer value: Int) {
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ key: StaticString, number value: Double) {
        writeKey(key)
        number(value)
    }

    mutating func field(_ key: StaticString, bool value: Bool) {
        writeKey(key)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    mutating func field(_ key: StaticString, strings values: [String]) {
        writeKey(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func field(_ key: StaticString, integers values: [String: Int]) {
        writeKey(key)
        dictionary(values) { $0.bytes.append(contentsOf: String($1).utf8) }
    }

    mutating func field(_ key: StaticString, numbers values: [String: Double]) {
        writeKey(key)
        dictionary(values) { $0.number($1) }
    }

    /// `values` as one JSON object, keys sorted by their UTF-8 bytes.
    package static func object(numbers values: [String: Double]) -> [UInt8] {
        var writer = JSONObjectWriter()
        writer.dictionary(values) { $0.number($1) }
        return writer.bytes
    }

    private mutating func dictionary<Value>(_ values: [String: Value], _ write: (inout JSONObjectWriter, Value) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        for (index, key) in values.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(key)
            bytes.append(UInt8(ascii: ":"))
            if let value = values[key] { write(&self, value) }
        }
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    private mutating func writeKey(_ key: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = true
    }

    private mutating func number(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `value` as a quoted JSON string.
    package mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
