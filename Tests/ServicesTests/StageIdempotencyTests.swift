import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTesting
import Foundation
import Logging
import Testing

@testable import Reporting
@testable import SurveyIntake

/// The stages' handlers against a real PostgreSQL: replays change nothing, duplicates are not forwarded.
@Suite(.timeLimit(.minutes(2)))
struct StageIdempotencyTests {
    static let logger = Logger(label: "stage-tests")

    private func migrated(_ migrations: PostgresMigrations) async throws -> PostgresClient {
        let server = try await TestPostgres.shared()
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: try await server.makeDatabase(prefix: "stage")),
            logger: Self.logger
        )
        try await migrations.apply(using: client, logger: Self.logger)
        return client
    }

    private func message(_ bytes: [UInt8], offset: Int64, partition: Int32 = 0) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: CivicTopic.submitted, partition: partition, offset: offset, key: nil, value: bytes)
    }

    @Test func intakeForwardsReplaysButNotDuplicateSubmissions() async throws {
        let client = try await migrated(IntakeStore.migrations)
        let now = ResponseValidatorTests.now
        let registry = AgencyRegistry(client: client)
        try await registry.register([.init(code: "IRS", name: "Internal Revenue Service", services: [.init(code: "free-file", name: "Free File")])])
        let handler = IntakeHandler(
            validator: SubmissionValidator(),
            registry: registry,
            store: IntakeStore(client: client),
            logger: Self.logger,
            clock: { now }
        )
        let first = message(ResponseValidatorTests.valid { $0["identity"] = ["idToken": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"] }, offset: 10)
        let bad = message(Array("nope".utf8), offset: 11)

        let outputs = try await handler.handle([first, bad])
        #expect(outputs.map(\.topic) == [CivicTopic.accepted, CivicTopic.rejected])
        // The same messages again (a crash before the offset commit): forwarded again, stored once.
        let replay = try await handler.handle([first, bad])
        #expect(replay.map(\.topic) == [CivicTopic.accepted, CivicTopic.rejected])
        #expect(replay[0].value == outputs[0].value, "a replay must produce the identical event")
        // The agency re-sends the same event id at another offset: acknowledged, not forwarded.
        let resend = try await handler.handle([message(ResponseValidatorTests.valid(), offset: 50, partition: 2)])
        #expect(resend.isEmpty)

        let counts = try await client.query(
            "SELECT (SELECT count(*) FROM intake.responses) AS r, (SELECT count(*) FROM intake.rejections) AS j, (SELECT count(*) FROM intake.duplicates) AS d"
        )
        #expect(try counts.first?.require("r", as: Int.self) == 1)
        #expect(try counts.first?.require("j", as: Int.self) == 1)
        #expect(try counts.first?.require("d", as: Int.self) == 1)
        // The raw identity token is never stored.
        let stored = try await client.query("SELECT payload::text AS p FROM intake.responses")
        #expect(try stored.first?.require("p", as: String.self).contains("idToken") == false)
        // What is stored is, byte for byte, the event forwarded (json, not jsonb, keeps the bytes) without the
        // identity token, which goes on to identity-verify.
        var forwarded = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(outputs[0].value))
        #expect(forwarded.identity?.idToken == "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
        forwarded.identity = nil
        #expect(try stored.first?.require("p", as: String.self) == String(decoding: try forwarded.contractJSON(), as: UTF8.self))
    }

    @Test func unregisteredAgenciesAndServicesAreRejectedAndNewOnesAcceptedAtOnce() async throws {
        let client = try await migrated(IntakeStore.migrations)
        let registry = AgencyRegistry(client: client)
        try await registry.register([.init(code: "IRS", name: "Internal Revenue Service", services: [.init(code: "free-file", name: "Free File")])])
        let handler = IntakeHandler(
            validator: SubmissionValidator(),
            registry: registry,
            store: IntakeStore(client: client),
            logger: Self.logger,
            clock: { ResponseValidatorTests.now }
        )
        let decoder = CivicJSON.makeDecoder()
        func rejection(_ output: KafkaOutboundMessage) throws -> RejectedFeedback {
            try decoder.decode(RejectedFeedback.self, from: Data(output.value))
        }
        let outputs = try await handler.handle([
            message(
                ResponseValidatorTests.valid {
                    $0["agency"] = "NASA"
                    $0["eventId"] = "n1"
                },
                offset: 1
            ),
            message(
                ResponseValidatorTests.valid {
                    $0["service"] = "e-file"
                    $0["eventId"] = "s1"
                },
                offset: 2
            ),
        ])
        #expect(try outputs.map { try rejection($0).code.rawValue } == ["unknown_agency", "unknown_service"])
        #expect(try rejection(outputs[0]).reason == "agency: \"NASA\" is not a registered agency")
        #expect(try rejection(outputs[1]).reason == "service: \"e-file\" is not a registered service of IRS")
        // Registered later (another replica or the admin endpoint): accepted without a restart.
        try await AgencyRegistry(client: client).register([
            .init(code: "NASA", name: "NASA", services: [.init(code: "free-file", name: "Test")])
        ])
        try await Task.sleep(for: .milliseconds(1100))
        let later = try await handler.handle([
            message(
                ResponseValidatorTests.valid {
                    $0["agency"] = "NASA"
                    $0["eventId"] = "n2"
                },
                offset: 3
            )
        ])
        #expect(later.map(\.topic) == [CivicTopic.accepted])
    }

    @Test func intakeKeepsNothingBackWhenTheDatabaseIsDown() async throws {
        let port = try freeLoopbackPort()
        var configuration = PostgresConfiguration(connectionString: "postgresql://postgres@127.0.0.1:\(port)/none")
        configuration.connectTimeoutSeconds = 1
        let unreachable = PostgresClient(configuration: configuration, logger: Self.logger)
        let handler = IntakeHandler(
            validator: SubmissionValidator(),
            registry: AgencyRegistry(client: unreachable),
            store: IntakeStore(client: unreachable),
            logger: Self.logger,
            clock: { ResponseValidatorTests.now }
        )
        // The batch fails as a whole (so the stream processor retries it and commits nothing).
        let error = await #expect(throws: PostgresError.self) {
            try await handler.handle([message(ResponseValidatorTests.valid(), offset: 1)])
        }
        #expect(error?.isRetriable == true)
    }

    @Test func reportingCountsEachEventOnceAndSkipsSpam() async throws {
        let client = try await migrated(ReportingStore.migrations)
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        let encoder = CivicJSON.makeEncoder()
        func scored(_ id: String, thumbs: Int, spam: Bool = false) throws -> KafkaConsumerMessage {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: id,
                occurredAt: ResponseValidatorTests.now,
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
            occurredAt: ResponseValidatorTests.now,
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
                occurredAt: ResponseValidatorTests.now,
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
                    occurredAt: ResponseValidatorTests.now,
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
