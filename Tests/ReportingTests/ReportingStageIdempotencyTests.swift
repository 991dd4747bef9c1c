import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import ReportingCore

/// Reporting's handler against a real PostgreSQL: replays change nothing, each event counts once.
@Suite(.hangGuard)
struct ReportingStageIdempotencyTests {
    static let logger = Logger(label: "stage-tests")

    private func migrated(_ migrations: PostgresMigrations) async throws -> PostgresClient {
        try await TestPostgres.shared().migratedClient(prefix: "stage", migrations, logger: Self.logger)
    }

    @Test func reportingCountsEachEventOnceAndSkipsSpam() async throws {
        let client = try await migrated(ReportingStore.migrations)
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        let encoder = CivicJSON.makeEncoder()
        func scored(_ id: String, thumbs: Int, spam: Bool = false) throws -> KafkaConsumerMessage {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: id,
                occurredAt: FixtureTime.now,
                agency: "IRS",
                service: "free-file",
                channel: .web,
                form: .a11v2,
                answers: Answers(trust: .thumbs(thumbs), recommend: thumbs == 1 ? 10 : 3)
            )
            event.spam = spam ? SpamAssessment(flagged: true, reasons: [.repeatedText]) : nil
            event.sentiment = SentimentScores(neg: 0, neu: 0.5, pos: 0.5, compound: thumbs == 1 ? 0.6 : -0.4)
            return KafkaConsumerMessage(topic: CivicTopic.scored, partition: 0, offset: 0, key: nil, value: Array(try encoder.encode(event)))
        }
        var spanish = FeedbackEvent(
            schema: SchemaVersion.scored,
            eventId: "es",
            occurredAt: FixtureTime.now,
            agency: "IRS",
            service: "free-file",
            channel: .web,
            form: .a11v2,
            answers: Answers(trust: .thumbs(1)),
            comment: "Muy buen servicio",
            locale: "es-US"
        )
        spanish.scorer = ScorerInfo(version: "test", unscoredReason: .nonEnglishLocale)
        let spanishMessage = KafkaConsumerMessage(
            topic: CivicTopic.scored,
            partition: 0,
            offset: 9,
            key: nil,
            value: Array(try encoder.encode(spanish))
        )
        let batch = try [
            scored("a", thumbs: 1), scored("b", thumbs: 0), scored("c", thumbs: 1), scored("s", thumbs: 1, spam: true), spanishMessage,
        ]
        _ = try await handler.handle(batch)
        _ = try await handler.handle(batch)  // replay
        // An upstream replay can put the same event twice into one batch: it still counts once.
        _ = try await handler.handle([try scored("d", thumbs: 1), try scored("d", thumbs: 1)])
        _ = try await handler.handle([try scored("a", thumbs: 1), try scored("d", thumbs: 1)])

        let rows = try await client.query("SELECT measure, n, hits FROM reporting.cell_measures")
        var measures: [String: (n: Int, hits: Int)] = [:]
        for row in rows.rows { measures[try row.require("measure")] = (try row.require("n"), try row.require("hits")) }
        #expect(measures["responses"]?.n == 5)
        #expect(measures["trust"]?.n == 5)
        #expect(measures["trust"]?.hits == 4)
        #expect(measures["sentiment_unscored"]?.n == 1)
        #expect(measures["recommend"]?.hits == 3)  // promoters
        #expect(measures["recommend_detractors"]?.n == 1)
        #expect(measures["sentiment"]?.n == 4)
        // The spam-flagged response is stored (reviewable) but not counted.
        let stored = try await client.query("SELECT count(*) AS n FROM reporting.feedback")
        #expect(try stored.first?.require("n", as: Int.self) == 6)
    }

    @Test func operationsGiveFirstContactResolutionHandleTimeAndDigitalAdoption() async throws {
        let client = try await migrated(ReportingStore.migrations)
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        let encoder = CivicJSON.makeEncoder()
        // 12 contacts for SSA: 9 resolved first time, handle times 100...1200 s, 4 on the web (digital).
        let events = (1...12).map { index in
            OperationsEvent(
                eventId: "op-\(index)",
                occurredAt: FixtureTime.now,
                agency: "SSA",
                service: "retirement",
                channel: index <= 4 ? .web : .phone,
                contactId: "c-\(index)",
                handleSeconds: Double(index * 100),
                resolvedFirstContact: index <= 9
            )
        }
        let messages = try events.enumerated().map { offset, event in
            KafkaConsumerMessage(
                topic: CivicTopic.operations,
                partition: 0,
                offset: Int64(offset),
                key: nil,
                value: Array(try encoder.encode(event))
            )
        }
        _ = try await handler.handle(messages)
        _ = try await handler.handle(messages)  // replay
        // 3 contacts for VA: below the minimum cell size, so withheld.
        _ = try await handler.handle(
            try (1...3).map { index in
                let event = OperationsEvent(
                    eventId: "va-\(index)",
                    occurredAt: FixtureTime.now,
                    agency: "VA",
                    service: "health",
                    channel: .chat,
                    handleSeconds: 60,
                    resolvedFirstContact: true
                )
                return KafkaConsumerMessage(
                    topic: CivicTopic.operations,
                    partition: 0,
                    offset: Int64(100 + index),
                    key: nil,
                    value: Array(try encoder.encode(event))
                )
            }
        )

        let reports = try await ReportQuery(client: client, minimumCellSize: 10).reports(.init())
        let ssa = try #require(reports.first { $0.agency == "SSA" })
        let operations = try #require(ssa.operations)
        #expect(operations.contacts == 12)
        #expect(operations.firstContactResolution?.favourable == 9)
        #expect(operations.firstContactResolution?.share == 0.75)
        #expect(operations.averageHandleSeconds == 650)
        #expect(operations.digitalAdoption?.share == 4.0 / 12.0)
        #expect(ssa.suppressed)  // no survey responses in this cell
        let va = try #require(reports.first { $0.agency == "VA" })
        #expect(va.operationsSuppressed)
        #expect(va.operations == nil)
    }
}
