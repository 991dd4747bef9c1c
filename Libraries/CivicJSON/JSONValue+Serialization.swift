extension JSONValue {
    /// The value as pretty-printed UTF-8 JSON: two-space indentation, keys in insertion order, `/` unescaped,
    /// non-ASCII kept as UTF-8, a final newline. Strings and numbers are written by ``JSONWriter``, as in
    /// every other JSON the project writes. The same value always gives the same bytes.
    package func serialized() -> [UInt8] {
        var writer = JSONWriter()
        writer.pretty(self, indent: 0)
        writer.bytes.append(UInt8(ascii: "\n"))
        return writer.bytes
    }
}

extension JSONWriter {
    /// `value` pretty-printed, its nested lines indented by `indent + 2` spaces.
    fileprivate mutating func pretty(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bool(value)
        case .int(let value): bytes.append(contentsOf: String(value).utf8)
        case .double(let value): number(value)
        case .string(let value): string(value)
        case .array(let elements):
            guard !elements.isEmpty else {
                bytes.append(contentsOf: "[]".utf8)
                return
            }
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent: indent + 2)
                pretty(element, indent: indent + 2)
            }
            newline(indent: indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else {
                bytes.append(contentsOf: "{}".utf8)
                return
            }
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent: indent + 2)
                string(member.key)
                bytes.append(contentsOf: ": ".utf8)
                pretty(member.value, indent: indent + 2)
            }
            newline(indent: indent)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func newline(indent: Int) {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }
}
