import CivicModels
import Foundation

/// A U.S. federal fiscal quarter. With the default October start, Q1 of FY2027 is October-December 2026.
package struct FiscalQuarter: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The fiscal year (named after the calendar year it ends in).
    package var fiscalYear: Int
    /// 1...4.
    package var quarter: Int

    /// Creates a quarter.
    package init(fiscalYear: Int, quarter: Int) {
        self.fiscalYear = fiscalYear
        self.quarter = quarter
    }

    /// The fiscal quarter containing `date` (UTC), for a fiscal year starting in `startMonth` (1-12).
    init(containing date: Date, startMonth: Int = 10) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (year, month, _) = Timestamp.civilFromDays(days)
        let monthsIntoYear = (month - startMonth + 12) % 12
        fiscalYear = startMonth == 1 ? year : (month >= startMonth ? year + 1 : year)
        quarter = monthsIntoYear / 3 + 1
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.fiscalYear, lhs.quarter) < (rhs.fiscalYear, rhs.quarter)
    }

    package var description: String { "FY\(fiscalYear) Q\(quarter)" }
}

extension FiscalQuarter {
    /// The fiscal quarter before this one.
    package var previous: FiscalQuarter {
        quarter == 1 ? FiscalQuarter(fiscalYear: fiscalYear - 1, quarter: 4) : FiscalQuarter(fiscalYear: fiscalYear, quarter: quarter - 1)
    }
}
