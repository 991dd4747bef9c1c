import Foundation

extension FiscalQuarter {
    /// The first instant of the quarter and the first instant after it (UTC), for a fiscal year starting in
    /// `startMonth` (1-12).
    func interval(startMonth: Int = 10) -> (start: Date, end: Date) {
        (Self.firstDay(of: self, startMonth: startMonth), Self.firstDay(of: advanced(by: 1), startMonth: startMonth))
    }

    /// The quarter `count` quarters later (earlier when negative).
    func advanced(by count: Int) -> FiscalQuarter {
        let index = fiscalYear * 4 + (quarter - 1) + count
        return FiscalQuarter(fiscalYear: index.floorDiv(4), quarter: index - index.floorDiv(4) * 4 + 1)
    }

    private static func firstDay(of quarter: FiscalQuarter, startMonth: Int) -> Date {
        // Months since year 0 of the quarter's first month; fiscal year Y starts in startMonth of Y-1
        // (of Y itself when the fiscal year is the calendar year).
        let startYear = startMonth == 1 ? quarter.fiscalYear : quarter.fiscalYear - 1
        let month = startYear * 12 + (startMonth - 1) + (quarter.quarter - 1) * 3
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let components = DateComponents(year: month.floorDiv(12), month: month - month.floorDiv(12) * 12 + 1, day: 1)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }
}

extension Int {
    fileprivate func floorDiv(_ divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
