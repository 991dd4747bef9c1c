import CivicTime
import Foundation

/// A value that can be sent as a query parameter. Parameters travel separately from the SQL text
/// (`PQexecParams`), so no value is ever interpolated into a statement.
package protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
}

/// A value that can be read from a result column in PostgreSQL's text output format.
package protocol PostgresDecodable: Sendable {
    /// Parses the text form; returns `nil` if it is not a valid value of this type.
    init?(postgresText: String)
}

extension String: PostgresEncodable, PostgresDecodable {
    package var postgresText: String { self }
    package init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresEncodable, PostgresDecodable {
    package var postgresText: String { String(self) }
    package init?(postgresText: String) { self.init(postgresText) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    package var postgresText: String { String(self) }
    package init?(postgresText: String) { self.init(postgresText) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    package var postgresText: String { String(self) }
    package init?(postgresText: String) { self.init(postgresText) }
}

extension Double: PostgresEncodable, PostgresDecodable {
    package var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return "\(self)"
    }
    package init?(postgresText: String) {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(postgresText)
        }
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    package var postgresText: String { self ? "t" : "f" }
    package init?(postgresText: String) {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    package var postgresText: String { uuidString.lowercased() }
    package init?(postgresText: String) { self.init(uuidString: postgresText) }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// Sent as an ISO 8601 UTC timestamp with microseconds, which `timestamptz` accepts.
    package var postgresText: String {
        let fields = CivilDate.Fields(units: Int((timeIntervalSince1970 * 1_000_000).rounded()), unitsPerSecond: 1_000_000)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        // Years before 1 CE are written as PostgreSQL writes them: counted back from 1 BC, with an era suffix.
        CivilDate.appendDigits(fields.year > 0 ? fields.year : 1 - fields.year, width: 4, to: &bytes)
        fields.appendAfterYear(separator: UInt8(ascii: " "), fractionDigits: 6, to: &bytes)
        bytes.append(contentsOf: (fields.year > 0 ? "+00" : "+00 BC").utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `timestamptz` output in the ISO style with a UTC offset (the server's default `DateStyle`).
    package init?(postgresText: String) {
        // Forms: "2026-11-20 15:04:05+00", "2026-11-20 15:04:05.123456+00", "...-05:30".
        let bytes = Array(postgresText.utf8)
        guard bytes.count >= 22 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < bytes.count else { return nil }
        let sign: Int = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        guard let offsetHours = number((index + 1)..<(index + 3)) else { return nil }
        var offsetMinutes = 0
        if index + 5 < bytes.count, bytes[index + 3] == UInt8(ascii: ":"), let minutes = number((index + 4)..<(index + 6)) {
            offsetMinutes = minutes
        }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 61
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        self = Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// Sent as `bytea` hex format.
    package var postgresText: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]("\\x".utf8)
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// Parses `bytea` hex output (`\x0a1b...`).
    package init?(postgresText: String) {
        let bytes = Array(postgresText.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            return nil
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        self = result
    }
}

/// A `text[]` parameter, for `= ANY($1)` look-ups.
package struct PostgresTextArray: PostgresEncodable {
    /// The elements.
    package var elements: [String]

    /// Wraps the elements.
    package init(_ elements: [String]) { self.elements = elements }

    /// The array literal, each element double-quoted with `"` and `\` escaped.
    package var postgresText: String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(2 + elements.reduce(0) { $0 + $1.utf8.count + 3 })
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            PostgresText.append(element, to: &bytes) { byte in
                byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") ? byte : nil
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Text written byte by byte into a statement's data, escaping what the format reserves.
enum PostgresText {
    /// Appends `text`'s UTF-8 bytes, writing a backslash and `escape(byte)` in place of each byte for
    /// which `escape` returns a value. Runs of plain bytes are copied at once.
    @inline(__always)
    static func append(_ text: String, to bytes: inout [UInt8], escape: (UInt8) -> UInt8?) {
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                guard let escaped = escape(utf8[index]) else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(escaped)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
    }
}
