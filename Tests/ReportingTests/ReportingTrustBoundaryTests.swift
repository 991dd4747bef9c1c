import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import ReportingCore
@testable import ReportingDashboard

/// What reporting reads from an internal topic is checked before it reaches a figure or a page.
@Suite(.hangGuard) struct ReportingTrustBoundaryTests {
    static let logger = Logger(label: "trust-boundary-tests")

    /// A scored event whose numbers leave their ranges is rejected by reporting with the field named, and
    /// the figures do not move.
    @Test(arguments: ["sentiment.compound", "sentiment.neg", "emotions", "redactions", "answers.recommend", "answers.trust"])
    func reportingRefusesValuesOutsideTheirRanges(field: String) async throws {
        let client = try await ReportingDeletionTests.migratedDatabase()
        defer { client.close() }
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        var messages = try ReportingDeletionTests.scored(count: 1, idPrefix: "good", agency: "SSA", service: "claims", channel: .web) { _ in true }
        var event = FeedbackEvent(
            schema: SchemaVersion.scored,
            eventId: "forged",
            occurredAt: FixtureTime.now,
            agency: "SSA",
            service: "claims",
            channel: .web,
            form: .a11v2,
            answers: Answers(trust: .thumbs(1))
        )
        switch field {
        case "sentiment.compound": event.sentiment = SentimentScores(neg: 0, neu: 0, pos: 1, compound: 4.4e303)
        case "sentiment.neg": event.sentiment = SentimentScores(neg: -2, neu: 0, pos: 1, compound: 0)
        case "emotions": event.emotions = ["joy": 1e308, "fear": 1.5]
        case "redactions": event.redactions = ["email": -1]
        case "answers.recommend": event.answers.recommend = Int.max
        default: event.answers.trust = .thumbs(7)
        }
        messages.append(
            KafkaConsumerMessage(topic: CivicTopic.scored, partition: 0, offset: 1, key: nil, value: Array(try CivicJSON.makeEncoder().encode(event)))
        )
        let outputs = try await handler.handle(messages)
        let rejected = try outputs.map { try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data($0.value)) }
        #expect(rejected.map(\.code) == [.outOfRange])
        #expect(rejected.first?.field == field)
        let reports = try await ReportQuery(client: client, minimumCellSize: 1).reports(.init())
        #expect(reports.map(\.responses) == [1], "only the good response counts")
    }

    /// A figure is input too: no value, however large or not finite, traps the formatter.
    @Test func figuresThatNoScaleHoldsPrintAsUnavailable() {
        for value in [Double.nan, .infinity, -.infinity, 4.4e303, -1e300, 9.3e18] {
            #expect(FigureFormat.signedHundredths(value) == FigureFormat.unavailable, "\(value)")
            #expect(FigureFormat.signedWhole(value * 100) == FigureFormat.unavailable, "\(value)")
            #expect(FigureFormat.percent(value) == FigureFormat.unavailable, "\(value)")
            #expect(FigureFormat.duration(seconds: value) == FigureFormat.unavailable, "\(value)")
            #expect(FigureFormat.interval(value, 0.5) == FigureFormat.unavailable, "\(value)")
        }
        #expect(FigureFormat.signedHundredths(0.4213) == "+0.42")
        #expect(FigureFormat.count(Int.min) == "-9,223,372,036,854,775,808")
    }
}
