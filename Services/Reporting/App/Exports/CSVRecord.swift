/// Encodes CSV records as RFC 4180 prescribes: fields separated by commas, records ended by CRLF, and a
/// field that holds a comma, a double quote, a CR or an LF enclosed in double quotes with each double
/// quote doubled.
enum CSVRecord {
    /// One record, CRLF included, appended to `output`.
    static func append(_ fields: [String], to output: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            let bytes = field.utf8
            let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
            guard needsQuotes else {
                output.append(contentsOf: bytes)
                continue
            }
            output.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { output.append(byte) }
                output.append(byte)
            }
            output.append(UInt8(ascii: "\""))
        }
        output.append(contentsOf: [13, 10])
    }

    /// One record as a string, CRLF included.
    static func line(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        append(fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
