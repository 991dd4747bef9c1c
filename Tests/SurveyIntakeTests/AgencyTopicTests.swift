import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import SurveyIntake

/// An agency writes only its own data: survey-intake, running in process against a real Tansu broker and a real
/// PostgreSQL, takes the agency from the topic a record came in on (`cx.feedback.submitted.v1.<agency>`), never
/// from the body, and dead-letters whatever arrives on the retired shared topic.
@Suite(.startsProcesses, .hangGuard)
struct AgencyTopicTests {
    typealias Fixture = IntakeFixture

    /// A response for SSA, which SSA registered with the service `retirement`.
    static func ssaResponse(_ id: String, comment: String, submitter: String) -> [UInt8] {
        IntakeHTTPHarness.response(id) {
            $0["agency"] = "SSA"
            $0["service"] = "retirement"
            $0["comment"] = comment
            $0["submitter"] = submitter
        }
    }

    /// An operations event for `agency`'s `service`, a minute old.
    static func operations(_ id: String, agency: String, service: String) -> [UInt8] {
        Fixture.operations(id) {
            $0["agency"] = agency
            $0["service"] = service
            $0["occurredAt"] = Timestamp.format(Date().addingTimeInterval(-60))
        }
    }

    @Test func aBodyNamingAnotherAgencyIsDeadLetteredAndNothingOfItReachesThatAgency() async throws {
        try await IntakeHTTPHarness.run { harness in
            let irs = CivicTopic.submitted(agency: "IRS")
            let ssa = CivicTopic.submitted(agency: "SSA")
            #expect(irs == "cx.feedback.submitted.v1.irs" && ssa == "cx.feedback.submitted.v1.ssa")
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers)),
                logger: IntakeHTTPHarness.logger
            )
            // With IRS's credential (IRS's topic): SSA responses that take SSA's event id first and would feed SSA's
            // spam ledger with one comment three times, an SSA operations event, and an honest IRS response and
            // operations event beside them. On the retired shared topic: a valid IRS response.
            let comment = "The same words again and again, to make the ledger count them for SSA."
            let forged = (1...3).map {
                KafkaOutboundMessage(topic: irs, key: "ssa-\($0)", value: Self.ssaResponse("ssa-\($0)", comment: comment, submitter: "s"))
            }
            try await producer.send(
                forged + [
                    KafkaOutboundMessage(topic: irs, key: "ssa-op", value: Self.operations("ssa-op", agency: "SSA", service: "retirement")),
                    KafkaOutboundMessage(topic: irs, key: "irs-honest", value: IntakeHTTPHarness.response("irs-honest")),
                    KafkaOutboundMessage(topic: irs, key: "irs-op", value: Self.operations("irs-op", agency: "IRS", service: "free-file")),
                    KafkaOutboundMessage(topic: CivicTopic.legacySubmitted, key: "legacy-1", value: IntakeHTTPHarness.response("legacy-1")),
                ]
            )

            let rejectedReader = try harness.reader(CivicTopic.rejected)
            let decoder = CivicJSON.makeDecoder()
            let rejected = try await IntakeHTTPHarness.read(rejectedReader, limit: TestPatience.hang) { $0.count >= 5 }
                .map { try decoder.decode(RejectedFeedback.self, from: Data($0.value)) }
            await rejectedReader.close()
            let byId = Dictionary(rejected.map { ($0.eventId ?? "?", $0) }, uniquingKeysWith: { first, _ in first })
            for id in ["ssa-1", "ssa-2", "ssa-3", "ssa-op"] {
                let record = try #require(byId[id], "\(id) was not dead-lettered: \(rejected.compactMap(\.eventId))")
                #expect(record.code == .agencyMismatch && record.field == "agency", "\(id): \(record.code)")
                #expect(record.reason.contains("\"SSA\" is not the agency of topic cx.feedback.submitted.v1.irs"), "\(record.reason)")
                #expect(record.source.topic == irs)
            }
            let legacy = try #require(byId["legacy-1"])
            #expect(legacy.code == .topicRetired && legacy.source.topic == CivicTopic.legacySubmitted)
            #expect(legacy.reason.contains("cx.feedback.submitted.v1 is retired") && legacy.reason.hasSuffix(irs), "\(legacy.reason)")
            #expect(rejected.count == 5, "\(rejected.compactMap(\.eventId))")

            // SSA's real events, on SSA's topic, after the forged ones were refused: the event id taken over IRS's
            // topic is SSA's own, and the comment is seen twice (below the threshold of 3), not five times.
            try await producer.send([
                KafkaOutboundMessage(topic: ssa, key: "ssa-1", value: Self.ssaResponse("ssa-1", comment: comment, submitter: "s")),
                KafkaOutboundMessage(topic: ssa, key: "ssa-9", value: Self.ssaResponse("ssa-9", comment: comment, submitter: "s")),
                KafkaOutboundMessage(topic: ssa, key: "ssa-op", value: Self.operations("ssa-op", agency: "SSA", service: "retirement")),
            ])
            await producer.close()
            let forwardedReader = try harness.reader(CivicTopic.accepted)
            let accepted = try await IntakeHTTPHarness.read(forwardedReader, limit: TestPatience.hang) { $0.count >= 3 }
                .map { try decoder.decode(FeedbackEvent.self, from: Data($0.value)) }
            await forwardedReader.close()
            #expect(Set(accepted.map(\.eventId)) == ["irs-honest", "ssa-1", "ssa-9"])
            for id in ["ssa-1", "ssa-9"] {
                let ssaResponse = try #require(accepted.first { $0.eventId == id })
                #expect(ssaResponse.agency == "SSA" && ssaResponse.spam?.flagged != true, "\(id): \(String(describing: ssaResponse.spam))")
            }
            #expect(accepted.first { $0.eventId == "irs-honest" }?.agency == "IRS")

            let operationsReader = try harness.reader(CivicTopic.operations)
            let operations = try await IntakeHTTPHarness.read(operationsReader, limit: TestPatience.hang) { $0.count >= 2 }
                .map { try decoder.decode(OperationsEvent.self, from: Data($0.value)) }
            await operationsReader.close()
            #expect(Set(operations.map { "\($0.agency)/\($0.eventId)" }) == ["IRS/irs-op", "SSA/ssa-op"])

            // In intake's tables, SSA's events are SSA's real ones, stored from SSA's topic; none was a duplicate.
            func count(_ sql: String) async throws -> Int { try await harness.postgres.query(sql).first?.require("n", as: Int.self) ?? -1 }
            #expect(try await count("SELECT count(*) AS n FROM intake.responses WHERE agency = 'SSA'") == 2)
            #expect(try await count("SELECT count(*) AS n FROM intake.responses WHERE agency = 'SSA' AND source_topic = '\(ssa)'") == 2)
            #expect(try await count("SELECT count(*) AS n FROM intake.operations WHERE agency = 'SSA'") == 1)
            #expect(try await count("SELECT count(*) AS n FROM intake.duplicates") == 0)
            #expect(try await count("SELECT count(*) AS n FROM intake.rejections WHERE code = 'agency_mismatch'") == 4)
        }
    }

    @Test func theTopicDecidesTheAgencyAndTheSharedTopicTakesNothing() async throws {
        let fixture = try await Fixture()
        let irs = CivicTopic.submitted(agency: "IRS")
        func on(_ topic: String, _ bytes: [UInt8], _ offset: Int64) -> KafkaConsumerMessage {
            KafkaConsumerMessage(topic: topic, partition: 0, offset: offset, key: nil, value: bytes)
        }
        let outputs = try await fixture.handler().handle([
            on(irs, Fixture.response("forged", agency: "SSA"), 1),
            on(irs, Fixture.operations("forged-op"), 2),
            on(irs, Array("not json".utf8), 3),
            on(irs, Fixture.response("lower", agency: "irs"), 4),
            on(CivicTopic.legacySubmitted, Fixture.response("legacy"), 5),
            on(CivicTopic.legacySubmitted, Array("not json".utf8), 6),
            on("cx.feedback.submitted.v1.IRS", Fixture.response("upper-topic"), 7),
            on(irs, Fixture.response("honest"), 8),
        ])
        #expect(try Fixture.accepted(outputs).map(\.eventId) == ["honest"])
        let rejected = try outputs.filter { $0.topic == CivicTopic.rejected }.map {
            try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data($0.value))
        }
        try #require(rejected.count == 7, "\(rejected.map(\.code))")
        #expect(
            rejected.map { "\($0.source.offset ?? -1) \($0.code.rawValue)" } == [
                "1 agency_mismatch", "2 agency_mismatch", "3 not_json", "4 unknown_agency", "5 topic_retired", "6 topic_retired",
                "7 topic_retired",
            ]
        )
        #expect(
            rejected[1].reason == "agency: \"SSA\" is not the agency of topic cx.feedback.submitted.v1.irs; an agency publishes "
                + "only its own events, to its own topic cx.feedback.submitted.v1.<agency code in lower case>"
        )
        #expect(
            rejected[4].reason == "cx.feedback.submitted.v1 is retired and nothing on it is accepted; publish each agency's events "
                + "to its own topic cx.feedback.submitted.v1.irs"
        )
        #expect(rejected[5].reason.hasSuffix("to its own topic cx.feedback.submitted.v1.<agency code in lower case>"))
        #expect(rejected[6].reason.hasPrefix("cx.feedback.submitted.v1.IRS is not an agency's topic"))
        #expect(rejected.map(\.eventId) == ["forged", "forged-op", nil, "lower", "legacy", nil, "upper-topic"])
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.responses") == 1)
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.operations") == 0)
    }

    @Test func anAgencyRegisteredAtRunTimeGetsItsTopicAndIsRead() async throws {
        try await IntakeHTTPHarness.run { harness in
            let registration = Array(#"{"name": "NASA", "services": [{"code": "tours", "name": "Visitor tours"}]}"#.utf8)
            let registered = try await harness.send("PUT", "/v1/admin/agencies/NASA", body: registration, bearer: IntakeHTTPHarness.adminToken)
            #expect(registered.status == 200)
            // Its client only writes: the topic exists already, with the short retention of a token-carrying topic.
            let admin = try KafkaAdmin(
                configuration: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers),
                logger: IntakeHTTPHarness.logger
            )
            #expect(try await admin.partitionCount(of: "cx.feedback.submitted.v1.nasa") != nil)

            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers)),
                logger: IntakeHTTPHarness.logger
            )
            try await producer.send(
                KafkaOutboundMessage(
                    topic: CivicTopic.submitted(agency: "NASA"),
                    key: "nasa-1",
                    value: IntakeHTTPHarness.response("nasa-1") {
                        $0["agency"] = "NASA"
                        $0["service"] = "tours"
                    }
                )
            )
            await producer.close()
            let reader = try harness.reader(CivicTopic.accepted)
            let accepted = try await IntakeHTTPHarness.read(reader, limit: TestPatience.hang) { $0.contains { $0.key == Array("nasa-1".utf8) } }
            await reader.close()
            #expect(accepted.map { $0.key.map { String(decoding: $0, as: UTF8.self) } } == ["nasa-1"])
        }
    }
}
