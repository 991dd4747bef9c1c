import CivicJSON
import Foundation

extension JSONWriter {
    /// A field holding `value` as the contract's RFC 3339 timestamp (``Timestamp``).
    mutating func field(_ key: StaticString, timestamp value: Date) {
        field(key) { writer in
            writer.bytes.append(UInt8(ascii: "\""))
            Timestamp.append(value, to: &writer.bytes)
            writer.bytes.append(UInt8(ascii: "\""))
        }
    }
}
