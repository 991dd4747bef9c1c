import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import SurveyIntake

/// Intake's handler against a real PostgreSQL: replays change nothing, duplicates are not forwarded.
@Suite(.hangGuard)
struct IntakeStageIdempotencyTests {
    static let logger = Logger(label: "stage-tests")

    private func migrated(_ migrations: PostgresMigrations) async throws -> PostgresClient {
        try await TestPostgres.shared().migratedClient(prefix: "stage", migrations, logger: Self.logger)
    }

    private func message(_ bytes: [UInt8], offset: Int64, partition: Int32 = 0) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: CivicTopic.submitted(carrying: bytes), partition: partition, offset: offset, key: nil, value: bytes)
    }

    @Test func intakeForwardsReplaysButNotDuplicateSubmissions() async throws {
        let client = try await migrated(IntakeStore.migrations)
        let now = ResponseValidatorTests.now
        let registry = AgencyRegistry(client: client)
        try await registry.register([.init(code: "IRS", name: "Internal Revenue Service", services: [.init(code: "free-file", name: "Free File")])])
        let handler = IntakeHandler(
            validator: SubmissionValidator(),
            admission: SubmissionAdmission(agencies: registry, instruments: InstrumentRegistry(client: client)),
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

    @Test func anEventIsItsAgencyAndItsIdSoTwoAgenciesMayUseTheSameIds() async throws {
        let client = try await migrated(IntakeStore.migrations)
        let now = ResponseValidatorTests.now
        let registry = AgencyRegistry(client: client)
        try await registry.register([
            .init(code: "IRS", name: "Internal Revenue Service", services: [.init(code: "free-file", name: "Free File")]),
            .init(code: "SSA", name: "Social Security Administration", services: [.init(code: "free-file", name: "Free File")]),
        ])
        let handler = IntakeHandler(
            validator: SubmissionValidator(),
            admission: SubmissionAdmission(agencies: registry, instruments: InstrumentRegistry(client: client)),
            store: IntakeStore(client: client),
            logger: Self.logger,
            clock: { now }
        )
        func response(_ agency: String, _ id: String) -> [UInt8] {
            ResponseValidatorTests.valid {
                $0["agency"] = agency
                $0["eventId"] = id
            }
        }
        // IRS publishes shared-1 and shared-2; SSA then uses the same ids, in the same batch as a replay of IRS's.
        let irs = [message(response("IRS", "shared-1"), offset: 1), message(response("IRS", "shared-2"), offset: 2)]
        #expect(try await handler.handle(irs).map(\.topic) == [CivicTopic.accepted, CivicTopic.accepted])
        let mixed = [message(response("SSA", "shared-1"), offset: 3), message(response("SSA", "shared-2"), offset: 4)] + irs
        let forwarded = try await handler.handle(mixed)
        // SSA's are new and forwarded; IRS's are replays of their own, forwarded again with their stored verdicts.
        let events = try forwarded.map { try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data($0.value)) }
        #expect(events.map(\.key.description) == ["SSA/shared-1", "SSA/shared-2", "IRS/shared-1", "IRS/shared-2"])
        // A re-send of SSA's shared-1 at another offset is SSA's duplicate, not IRS's.
        #expect(try await handler.handle([message(response("SSA", "shared-1"), offset: 9)]).isEmpty)
        let stored = try await client.query("SELECT agency, event_id FROM intake.responses ORDER BY agency, event_id")
        #expect(
            try stored.rows.map { "\(try $0.require("agency", as: String.self))/\(try $0.require("event_id", as: String.self))" } == [
                "IRS/shared-1", "IRS/shared-2", "SSA/shared-1", "SSA/shared-2",
            ]
        )
        let duplicates = try await client.query("SELECT agency, event_id FROM intake.duplicates")
        #expect(try duplicates.rows.map { try $0.require("agency", as: String.self) } == ["SSA"])
        // The HTTP duplicate look-up answers per agency too.
        let lookup = StoredEventLookup(client: client, table: .responses)
        #expect(try await lookup.existing(["shared-1", "other"], agency: "IRS", receivedBefore: .distantFuture) == ["shared-1"])
        #expect(try await lookup.existing(["shared-1"], agency: "VA", receivedBefore: .distantFuture) == [])
    }

    @Test func unregisteredAgenciesAndServicesAreRejectedAndNewOnesAcceptedAtOnce() async throws {
        let client = try await migrated(IntakeStore.migrations)
        let registry = AgencyRegistry(client: client)
        try await registry.register([.init(code: "IRS", name: "Internal Revenue Service", services: [.init(code: "free-file", name: "Free File")])])
        let handler = IntakeHandler(
            validator: SubmissionValidator(),
            admission: SubmissionAdmission(agencies: registry, instruments: InstrumentRegistry(client: client)),
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
            admission: SubmissionAdmission(agencies: AgencyRegistry(client: unreachable), instruments: InstrumentRegistry(client: unreachable)),
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
}
