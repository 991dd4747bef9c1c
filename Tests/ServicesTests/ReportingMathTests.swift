import CivicModels
import Foundation
import Testing

@testable import Reporting

/// Fiscal quarters and Wilson intervals, checked against values computed by hand.
@Suite struct ReportingMathTests {
    @Test(arguments: [
        ("2026-10-01T00:00:00Z", 2027, 1), ("2026-12-31T23:59:59Z", 2027, 1), ("2027-01-01T00:00:00Z", 2027, 2),
        ("2027-03-31T12:00:00Z", 2027, 2), ("2027-04-01T00:00:00Z", 2027, 3), ("2027-07-15T00:00:00Z", 2027, 4),
        ("2027-09-30T23:59:59Z", 2027, 4),
    ])
    func federalFiscalQuarters(date: String, year: Int, quarter: Int) throws {
        let parsed = try #require(Timestamp.parse(date))
        #expect(FiscalQuarter(containing: parsed) == FiscalQuarter(fiscalYear: year, quarter: quarter))
    }

    @Test func calendarYearFiscalQuarters() throws {
        let parsed = try #require(Timestamp.parse("2027-05-01T00:00:00Z"))
        #expect(FiscalQuarter(containing: parsed, startMonth: 1) == FiscalQuarter(fiscalYear: 2027, quarter: 2))
    }

    @Test func wilsonIntervalMatchesTheTextbookValue() throws {
        // 8 of 10: p = 0.8, 95% Wilson interval (0.4902, 0.9433).
        let proportion = try #require(Proportion(favourable: 8, n: 10))
        #expect(abs(proportion.lower - 0.490_16) < 0.000_01)
        #expect(abs(proportion.upper - 0.943_32) < 0.000_01)
        #expect(Proportion(favourable: 0, n: 0) == nil)
        let none = try #require(Proportion(favourable: 0, n: 20))
        #expect(none.lower == 0)
    }
}
