import CivicModels
import Configuration
import Foundation
import Testing

@testable import Reporting
@testable import ReportingCore
@testable import ReportingExports

/// The database-free parts of the levels and exports: pseudonym linking, the funnel, trust movement,
/// fiscal quarter arithmetic and RFC 4180 quoting.
struct ReportingLevelsMathTests {
    @Test func pseudonymsLinkAcrossSeveralRotationsWhateverTheOrder() {
        var linker = PseudonymLinker()
        linker.link("p3", previous: ["p2", "p1"])
        linker.link("q1", previous: [])
        linker.link("p2", previous: ["p1"])
        linker.link("p4", previous: ["p3"])
        let ids = ["p1", "p2", "p3", "p4"].map { linker.respondent(of: $0) }
        #expect(Set(ids).count == 1)
        #expect(ids[0] == "p1", "the representative is the smallest pseudonym")
        #expect(linker.respondent(of: "q1") == "q1")
        #expect(linker.respondent(of: "never-seen") == "never-seen")
    }

    @Test func funnelCountsFurthestStageAndFirstAppearanceOrder() {
        let day = { (d: Double) in Date(timeIntervalSince1970: 1_800_000_000 + d * 86_400) }
        let responses = [
            JourneyResponse(pseudonym: "a", previousPseudonyms: [], journeyId: "1", stage: "s1", occurredAt: day(0), trustFavourable: false),
            JourneyResponse(pseudonym: "a", previousPseudonyms: [], journeyId: "1", stage: "s2", occurredAt: day(1), trustFavourable: true),
            // The same journey after a key rotation: linked, and it completes.
            JourneyResponse(pseudonym: "a2", previousPseudonyms: ["a"], journeyId: "1", stage: "s3", occurredAt: day(2), trustFavourable: nil),
            JourneyResponse(pseudonym: "b", previousPseudonyms: [], journeyId: "1", stage: "s1", occurredAt: day(0.5), trustFavourable: false),
            // Another journey of the same person is another journey.
            JourneyResponse(pseudonym: "b", previousPseudonyms: [], journeyId: "2", stage: "s2", occurredAt: day(3), trustFavourable: nil),
            JourneyResponse(pseudonym: "b", previousPseudonyms: [], journeyId: "2", stage: nil, occurredAt: day(4), trustFavourable: nil),
        ]
        let fallback = JourneyFigures(responses: responses, configuredStages: nil)
        #expect(fallback.stages == ["s1", "s2", "s3"])
        #expect(fallback.journeys == 3)
        #expect(fallback.completed == 1)
        #expect(fallback.reached == [3, 2, 1])
        #expect(fallback.droppedOff == [1, 1, 0])
        #expect(fallback.trustN == 2 && fallback.trustFavourable == 1, "last trust answer per journey: a/1 up, b/1 down")
        #expect(fallback.responsesAtUnlistedStages == 1)

        let configured = JourneyFigures(responses: responses, configuredStages: ["s1", "s2"])
        #expect(configured.completed == 2, "s2 is the last configured stage")
        #expect(configured.responsesAtUnlistedStages == 2, "s3 is not configured and one response has no stage")
    }

    @Test func trustMovementComparesValuesOnOneScaleAndFavourabilityAcrossScales() {
        let thumbsDown = TrustScore(scale: "thumbs", value: 0)
        let thumbsUp = TrustScore(scale: "thumbs", value: 1)
        let four = TrustScore(scale: "five", value: 4)
        let five = TrustScore(scale: "five", value: 5)
        let two = TrustScore(scale: "five", value: 2)
        #expect(thumbsDown.movement(to: thumbsUp) == 1)
        #expect(four.movement(to: five) == 1)
        #expect(five.movement(to: two) == -1)
        #expect(four.movement(to: four) == 0)
        #expect(thumbsUp.movement(to: five) == 0, "both favourable")
        #expect(thumbsUp.movement(to: two) == -1)
        #expect(two.movement(to: thumbsUp) == 1)
    }

    @Test func fiscalQuarterIntervalsAndSteps() {
        let q1 = FiscalQuarter(fiscalYear: 2027, quarter: 1)
        let (start, end) = q1.interval()
        #expect(start == Date(timeIntervalSince1970: 1_790_812_800))  // 2026-10-01T00:00:00Z
        #expect(end == Date(timeIntervalSince1970: 1_798_761_600))  // 2027-01-01T00:00:00Z
        #expect(FiscalQuarter(containing: start) == q1)
        #expect(FiscalQuarter(containing: end.addingTimeInterval(-1)) == q1)
        #expect(q1.advanced(by: -1) == FiscalQuarter(fiscalYear: 2026, quarter: 4))
        #expect(q1.advanced(by: -4) == FiscalQuarter(fiscalYear: 2026, quarter: 1))
        #expect(q1.advanced(by: 7) == FiscalQuarter(fiscalYear: 2028, quarter: 4))
        // A calendar-year fiscal year.
        let calendarQ3 = FiscalQuarter(fiscalYear: 2027, quarter: 3).interval(startMonth: 1)
        #expect(FiscalQuarter(containing: calendarQ3.start, startMonth: 1) == FiscalQuarter(fiscalYear: 2027, quarter: 3))
        #expect(calendarQ3.end.timeIntervalSince(calendarQ3.start) == 92 * 86_400)  // July-September
    }

    @Test func csvQuotingFollowsRFC4180() {
        #expect(CSVRecord.line([.text("a"), .text("b c"), .empty]) == "a,b c,\r\n")
        #expect(
            CSVRecord.line([.text("x,y"), .text("say \"hi\""), .text("l1\nl2"), .text("r\rn")])
                == "\"x,y\",\"say \"\"hi\"\"\",\"l1\nl2\",\"r\rn\"\r\n"
        )
        #expect(TouchpointsRow.header.joined(separator: ",").hasPrefix("external_id,question_1,positive_effectiveness,"))
        #expect(TouchpointsRow.header.count == 17)
    }

    @Test func notOfferedIndicatorsAreNullAndJSONKeepsTheHeaderOrder() {
        var row = TouchpointsRow(
            externalId: "e\"1",
            trust: 2,
            trustFavourable: false,
            wentWell: [],
            didNotGoWell: [.ease, .other],
            comment: "a\nb"
        )
        #expect(row.csvFields.map(\.written) == ["e\"1", "2"] + Array(repeating: "null", count: 7) + ["0", "1", "0", "0", "0", "0", "1", "a\nb"])
        var bytes: [UInt8] = []
        row.appendJSON(to: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"external_id":"e\"1","question_1":2,"positive_effectiveness":null,"#))
        #expect(text.hasSuffix(#""negative_other":1,"question_4":"a\nb"}"# + "\n"))
        row.trustFavourable = nil
        #expect(row.indicators.allSatisfy { $0 == nil }, "no trust answer: neither question was shown")
    }

    @Test func levelSettingsComeFromTheirEnvironmentVariables() throws {
        let reader = ConfigReader(
            provider: EnvironmentVariablesProvider(environmentVariables: [
                "CIVIC_REPORTING_JOURNEY_STAGES_FILE": "/etc/civic/stages.json", "CIVIC_REPORTING_TREND_QUARTERS": "6",
            ])
        )
        let configuration = try ReportingConfiguration(reader: reader)
        #expect(configuration.journeyStagesFile == "/etc/civic/stages.json")
        #expect(configuration.trendQuarters == 6)
        let defaults = try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: [:])))
        #expect(defaults.journeyStagesFile == nil && defaults.trendQuarters == 4)
        #expect(throws: (any Error).self) {
            try ReportingConfiguration(
                reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: ["CIVIC_REPORTING_TREND_QUARTERS": "0"]))
            )
        }
    }
}
