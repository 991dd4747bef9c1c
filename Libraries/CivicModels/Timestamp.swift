import CivicTime
import Foundation

/// RFC 3339 timestamps, parsed strictly (a time zone is required) and written in UTC with milliseconds.
package enum Timestamp {
    /// Parses `2026-11-20T15:04:05Z`, `2026-11-20T15:04:05.123+01:00` and similar. Returns `nil` otherwise.
    package static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
        else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < b.count, b[index] >= 48, b[index] <= 57 else { return nil }
                value = value * 10 + Int(b[index] - 48)
            }
            return value
        }
        guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
            let hour = digits(11..<13), let minute = digits(14..<16), let second = digits(17..<19),
            (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                fraction += Double(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start, index < b.count else { return nil }
        }
        var offset = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"),
                let hours = digits((index + 1)..<(index + 3)), let minutes = digits((index + 4)..<(index + 6)),
                hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Formats a date as `YYYY-MM-DDTHH:MM:SS.sssZ`.
    package static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `date` formatted as `YYYY-MM-DDTHH:MM:SS.sssZ`.
    package static func append(_ date: Date, to bytes: inout [UInt8]) {
        let fields = CivilDate.Fields(units: Int((date.timeIntervalSince1970 * 1000).rounded(.down)), unitsPerSecond: 1000)
        if fields.year < 0 { bytes.append(UInt8(ascii: "-")) }
        CivilDate.appendDigits(abs(fields.year), width: 4, to: &bytes)
        fields.appendAfterYear(separator: UInt8(ascii: "T"), fractionDigits: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// The civil (proleptic Gregorian) date of a day count since 1970-01-01.
    package static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) { CivilDate.civil(fromDays: days) }

    /// Days since 1970-01-01 of a civil date.
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int { CivilDate.days(year: year, month: month, day: day) }
}

/// JSON coders configured for the event contract (RFC 3339 dates, sorted keys for stable output).
package enum CivicJSON {
    /// A decoder for contract events.
    package static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "'\(text)' is not an RFC 3339 timestamp with a time zone"
                )
            }
            return date
        }
        return decoder
    }

    /// An encoder for contract events.
    package static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }
}
