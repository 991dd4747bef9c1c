/// Proleptic Gregorian calendar arithmetic on whole days since 1970-01-01 (Howard Hinnant's `civil_from_days`
/// and `days_from_civil`), for code that writes and reads UTC timestamps per event and cannot afford a
/// `Calendar` (a lock, a time zone and a components set) each time.
package enum CivilDate {
    /// The civil date of a day count since 1970-01-01.
    package static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a civil date.
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The number of days in `month` of `year`.
    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Appends `value` in decimal, zero-padded to `width` digits (no sign; pass a non-negative value).
    package static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var digits = width
        var divisor = 1
        while digits > 1 {
            divisor *= 10
            digits -= 1
        }
        var rest = value
        if rest >= divisor * 10 {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// The UTC fields of an instant given as whole `units` since 1970-01-01, `unitsPerSecond` to a second.
    package struct Fields: Sendable, Hashable {
        package var year: Int
        package var month: Int
        package var day: Int
        package var secondOfDay: Int
        /// Units past the whole second.
        package var fraction: Int

        /// Splits `units` (negative before 1970) into calendar fields.
        package init(units: Int, unitsPerSecond: Int) {
            fraction = ((units % unitsPerSecond) + unitsPerSecond) % unitsPerSecond
            let totalSeconds = (units - fraction) / unitsPerSecond
            var days = totalSeconds / 86_400
            secondOfDay = totalSeconds % 86_400
            if secondOfDay < 0 {
                secondOfDay += 86_400
                days -= 1
            }
            (year, month, day) = CivilDate.civil(fromDays: days)
        }

        /// Appends `-MM-DD`, `separator`, `HH:MM:SS.` and the fraction in `fractionDigits` digits. The year
        /// is the caller's to write: RFC 3339 and PostgreSQL write years before 1 CE differently.
        package func appendAfterYear(separator: UInt8, fractionDigits: Int, to bytes: inout [UInt8]) {
            bytes.append(UInt8(ascii: "-"))
            CivilDate.appendDigits(month, width: 2, to: &bytes)
            bytes.append(UInt8(ascii: "-"))
            CivilDate.appendDigits(day, width: 2, to: &bytes)
            bytes.append(separator)
            CivilDate.appendDigits(secondOfDay / 3600, width: 2, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            CivilDate.appendDigits(secondOfDay / 60 % 60, width: 2, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            CivilDate.appendDigits(secondOfDay % 60, width: 2, to: &bytes)
            bytes.append(UInt8(ascii: "."))
            CivilDate.appendDigits(fraction, width: fractionDigits, to: &bytes)
        }
    }
}
