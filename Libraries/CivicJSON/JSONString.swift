/// JSON string literals with RFC 8259 escaping, for code that writes JSON text directly (log lines,
/// streamed export rows) instead of building a tree per line.
package enum JSONString {
    /// `text` as a quoted JSON string.
    package static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.bytes.reserveCapacity(text.utf8.count + 2)
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
