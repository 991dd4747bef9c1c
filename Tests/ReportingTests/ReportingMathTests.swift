import CivicModels
import CivicTestTraits
import Foundation
import Testing

@testable import ReportingCore

/// Fiscal quarters and Wilson intervals, checked against values computed by hand.
@Suite(.hangGuard) struct ReportingMathTests {
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

    @Test func netPromoterScoreAndItsInterval() throws {
        // 50 promoters, 30 passives, 20 detractors: NPS 30; scores' variance (0.7 - 0.09) = 0.61,
        // SE = 100 * sqrt(0.61 / 100) = 7.8102, interval 30 ± 15.3078.
        let nps = try #require(NetPromoterScore(promoters: 50, detractors: 20, n: 100))
        #expect(nps.passives == 30)
        #expect(abs(nps.score - 30) < 1e-9)
        #expect(abs(nps.standardError - 7.810_25) < 0.000_01)
        #expect(abs(nps.lower - 14.692_2) < 0.000_1)
        #expect(abs(nps.upper - 45.307_8) < 0.000_1)
        // All promoters: no spread, so the interval is the point, clamped at 100.
        let all = try #require(NetPromoterScore(promoters: 12, detractors: 0, n: 12))
        #expect(all.score == 100 && all.lower == 100 && all.upper == 100)
        #expect(NetPromoterScore(promoters: 0, detractors: 0, n: 0) == nil)
    }

    @Test func twoProportionTrendIsSignificantOnlyBeyondTheCriticalValue() throws {
        // 40/100 -> 55/100: pooled p = 0.475, SE = 0.070623, z = 2.124 > 1.96.
        let up = Trend(from: try #require(Proportion(favourable: 40, n: 100)), to: try #require(Proportion(favourable: 55, n: 100)))
        #expect(abs(up.change - 0.15) < 1e-9)
        #expect(up.significant)
        // 40/100 -> 50/100: z = 1.418, not significant.
        let flat = Trend(from: try #require(Proportion(favourable: 40, n: 100)), to: try #require(Proportion(favourable: 50, n: 100)))
        #expect(!flat.significant)
        // NPS 30 (SE 7.81) -> 0 (SE 100 * sqrt(0.5 / 100) = 7.07): SE of the change 10.54, |change| 30 > 20.66.
        let fell = Trend(
            from: try #require(NetPromoterScore(promoters: 50, detractors: 20, n: 100)),
            to: try #require(NetPromoterScore(promoters: 25, detractors: 25, n: 100))
        )
        #expect(fell.change == -30)
        #expect(fell.significant)
    }

    @Test func previousFiscalQuarterCrossesTheYear() {
        #expect(FiscalQuarter(fiscalYear: 2027, quarter: 1).previous == FiscalQuarter(fiscalYear: 2026, quarter: 4))
        #expect(FiscalQuarter(fiscalYear: 2027, quarter: 3).previous == FiscalQuarter(fiscalYear: 2027, quarter: 2))
    }
}
