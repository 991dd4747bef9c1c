/// The project's one JSON writer: appends JSON text to ``bytes`` in the order it is given, with
/// `JSONEncoder`'s formatting: strings escaped as it escapes them (`\b \t \n \f \r`, other controls as
/// `\u00XX`, slashes left alone), numbers as Swift prints them without a trailing `.0`.
///
/// It writes compact objects field by field (``FeedbackEvent/contractJSON()``, ``JSONString/quoted(_:)``,
/// survey-intake's HTTP answers, keys given in sorted order there too) and, through
/// ``JSONValue/serialized()``, the pretty-printed contract documents. ``JSONScanner`` is the one reader.
package struct JSONWriter {
    /// What has been written.
    package var bytes: [UInt8] = []
    private var needsComma = false

    /// An empty writer.
    package init() {}

    /// Opens an object: the fields that follow are its members until ``end()``.
    package mutating func begin() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the object ``begin()`` opened.
    package mutating func end() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// A nested object, its fields written by `body`.
    package mutating func object(_ body: (inout JSONWriter) -> Void) {
        begin()
        body(&self)
        end()
    }

    /// A field whose value `value` writes.
    package mutating func field(_ key: StaticString, _ value: (inout JSONWriter) -> Void) {
        writeKey(key)
        value(&self)
        needsComma = true
    }

    /// A string field.
    package mutating func field(_ key: StaticString, string value: String) {
        writeKey(key)
        string(value)
    }

    /// An array of objects, each written by `write`.
    package mutating func field<Element>(_ key: StaticString, objects values: [Element], _ write: (inout JSONWriter, Element) -> Void) {
        writeKey(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            object { write(&$0, value) }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An integer field.
    package mutating func field(_ key: StaticString, integer value: Int) {
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A number field.
    package mutating func field(_ key: StaticString, number value: Double) {
        writeKey(key)
        number(value)
    }

    /// A `true` or `false` field.
    package mutating func field(_ key: StaticString, bool value: Bool) {
        writeKey(key)
        bool(value)
    }

    /// A field holding an array of strings.
    package mutating func field(_ key: StaticString, strings values: [String]) {
        writeKey(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A field holding an object of integers, keys sorted by their UTF-8 bytes.
    package mutating func field(_ key: StaticString, integers values: [String: Int]) {
        writeKey(key)
        dictionary(values) { $0.bytes.append(contentsOf: String($1).utf8) }
    }

    /// A field holding an object of numbers, keys sorted by their UTF-8 bytes.
    package mutating func field(_ key: StaticString, numbers values: [String: Double]) {
        writeKey(key)
        dictionary(values) { $0.number($1) }
    }

    /// `values` as one JSON object, keys sorted by their UTF-8 bytes.
    package static func object(numbers values: [String: Double]) -> [UInt8] {
        var writer = JSONWriter()
        writer.dictionary(values) { $0.number($1) }
        return writer.bytes
    }

    /// `values` as one JSON object of strings, keys sorted by their UTF-8 bytes.
    package static func object(strings values: [String: String]) -> [UInt8] {
        var writer = JSONWriter()
        writer.dictionary(values) { $0.string($1) }
        return writer.bytes
    }

    private mutating func dictionary<Value>(_ values: [String: Value], _ write: (inout JSONWriter, Value) -> Void) {
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

    // MARK: - Values

    /// `value` as Swift prints it, without a trailing `.0` (`1`, `0.5`, `1e+16`).
    package mutating func number(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// `true` or `false`.
    package mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
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
