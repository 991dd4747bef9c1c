import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import SurveyIntake

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Operations events (`cx.operations/1`) published to the submitted topic: validated like responses, stored,
/// de-duplicated, and forwarded to `cx.operations.v1`.
@Suite(.startsProcesses, .hangGuard)
struct OperationsIntakeTests {
    typealias Fixture = IntakeFixture

    typealias Case = ResponseValidatorTests.Case

    static let cases: [Case] = [
        Case(
            name: "blank transaction point",
            bytes: Fixture.operations("o") { $0["touchpoint"] = "  " },
            code: .invalidValue,
            field: "touchpoint",
            reason: "touchpoint: must not be empty when given"
        ),
        Case(
            name: "transaction point too long",
            bytes: Fixture.operations("o") { $0["touchpoint"] = String(repeating: "t", count: 101) },
            code: .invalidValue,
            field: "touchpoint",
            reason: "touchpoint: is 101 characters; the limit is 100"
        ),
        Case(
            name: "missing channel",
            bytes: Fixture.operations("o") { $0.removeValue(forKey: "channel") },
            code: .missingField,
            field: "channel",
            reason: "channel: is required"
        ),
        Case(
            name: "channel outside the vocabulary",
            bytes: Fixture.operations("o") { $0["channel"] = "fax" },
            code: .invalidValue,
            field: "channel",
            reason: "channel: 'fax' is not one of web, mobile, phone, in-person, email, chat, mail, kiosk"
        ),
        Case(
            name: "NUL in the contact id",
            bytes: Fixture.operations("o") { $0["contactId"] = "c\u{0}" },
            code: .invalidValue,
            field: "contactId",
            reason: "contactId: contains U+0000 (NUL), which cannot be stored"
        ),
        Case(
            name: "negative handle time",
            bytes: Fixture.operations("o") { $0["handleSeconds"] = -1 },
            code: .outOfRange,
            field: "handleSeconds",
            reason: "handleSeconds: -1.0 is outside 0...86400"
        ),
        Case(
            name: "handle time over a day",
            bytes: Fixture.operations("o") { $0["handleSeconds"] = 90_000 },
            code: .outOfRange,
            field: "handleSeconds",
            reason: "handleSeconds: 90000.0 is outside 0...86400"
        ),
        Case(
            name: "handle time as text",
            bytes: Fixture.operations("o") { $0["handleSeconds"] = "312" },
            code: .wrongType,
            field: "handleSeconds",
            reason: "handleSeconds: expected a number"
        ),
        Case(
            name: "resolved as text",
            bytes: Fixture.operations("o") { $0["resolvedFirstContact"] = "yes" },
            code: .wrongType,
            field: "resolvedFirstContact",
            reason: "resolvedFirstContact: expected true or false"
        ),
        Case(
            name: "empty event id",
            bytes: Fixture.operations(" "),
            code: .missingField,
            field: "eventId",
            reason: "eventId: must not be empty"
        ),
        Case(
            name: "missing agency",
            bytes: Fixture.operations("o") { $0.removeValue(forKey: "agency") },
            code: .missingField,
            field: "agency",
            reason: "agency: is required"
        ),
        Case(
            name: "contact id too long",
            bytes: Fixture.operations("o") { $0["contactId"] = String(repeating: "c", count: 201) },
            code: .invalidValue,
            field: "contactId",
            reason: "contactId: is 201 characters; the limit is 200"
        ),
        Case(
            name: "malformed timestamp",
            bytes: Fixture.operations("o") { $0["occurredAt"] = "yesterday" },
            code: .invalidValue,
            field: "occurredAt",
            reason: "occurredAt: 'yesterday' is not an RFC 3339 timestamp"
        ),
        Case(
            name: "in the future",
            bytes: Fixture.operations("o") { $0["occurredAt"] = "2026-11-20T13:00:00Z" },
            code: .occurredInFuture,
            field: "occurredAt",
            reason: "occurredAt: 2026-11-20T13:00:00.000Z is in the future"
        ),
        Case(
            name: "too old",
            bytes: Fixture.operations("o") { $0["occurredAt"] = "2026-09-01T00:00:00Z" },
            code: .tooOld,
            field: "occurredAt",
            reason: "occurredAt: 2026-09-01T00:00:00.000Z is older than the accepted 30 days"
        ),
        Case(
            name: "unknown version",
            bytes: Fixture.operations("o") { $0["schema"] = "cx.operations/2" },
            code: .unknownSchema,
            field: "schema",
            reason: "schema: \"cx.operations/2\" is not a supported version (expected \"cx.feedback.submitted/1\" or \"cx.operations/1\")"
        ),
        Case(
            name: "duplicate key",
            bytes: Array(#"{"schema":"cx.operations/1","eventId":"o","handleSeconds":1,"handleSeconds":900}"#.utf8),
            code: .duplicateKey,
            field: "handleSeconds",
            reason: "handleSeconds: appears more than once in the same object"
        ),
        Case(
            name: "not JSON",
            bytes: Array(#"{"schema":"cx.operations/1","#.utf8),
            code: .notJSON,
            field: nil,
            reason: "payload is not JSON"
        ),
        Case(
            name: "not UTF-8",
            bytes: Array(#"{"schema":"cx.operations/1","eventId":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
            code: .notUTF8,
            field: nil,
            reason: "payload is not valid UTF-8"
        ),
        Case(
            name: "oversized",
            bytes: Fixture.operations("o") { $0["contactId"] = String(repeating: "c", count: 70_000) },
            code: .payloadTooLarge,
            field: nil,
            reason: "payload is"
        ),
    ]

    @Test(arguments: cases) func rejectsWithACodeAndAReasonNamingTheField(_ testCase: Case) {
        testCase.expectRejected(SubmissionValidator().validate(testCase.bytes, now: ResponseValidatorTests.now))
    }

    @Test func validEventsAreStoredAndForwardedOnceKeyedByEventId() async throws {
        let fixture = try await Fixture()
        let handler = fixture.handler()
        let batch = [
            Fixture.message(Fixture.operations("op-1"), offset: 1),
            Fixture.message(Fixture.operations("op-2") { $0["channel"] = "web" }, offset: 2),
            Fixture.message(Fixture.operations("op-3") { $0["agency"] = "NASA" }, offset: 3),
            Fixture.message(Fixture.operations("op-4") { $0["service"] = "e-file" }, offset: 4),
            Fixture.message(Fixture.response("resp-1"), offset: 5),
        ]
        let outputs = try await handler.handle(batch)
        #expect(
            outputs.map(\.topic) == [CivicTopic.accepted, CivicTopic.operations, CivicTopic.operations, CivicTopic.rejected, CivicTopic.rejected]
        )
        let forwarded = try outputs.filter { $0.topic == CivicTopic.operations }.map {
            try CivicJSON.makeDecoder().decode(OperationsEvent.self, from: Data($0.value))
        }
        #expect(forwarded.map(\.eventId) == ["op-1", "op-2"])
        #expect(outputs.filter { $0.topic == CivicTopic.operations }.map { String(decoding: $0.key ?? [], as: UTF8.self) } == ["op-1", "op-2"])
        #expect(forwarded.first?.schema == SchemaVersion.operations)
        #expect(forwarded.first?.handleSeconds == 312)
        #expect(forwarded.first?.resolvedFirstContact == true)
        let rejected = try outputs.filter { $0.topic == CivicTopic.rejected }.map {
            try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data($0.value))
        }
        #expect(rejected.map(\.code.rawValue) == ["unknown_agency", "unknown_service"])
        #expect(rejected.map(\.eventId) == ["op-3", "op-4"])

        // A replay forwards the same bytes again; a re-sent event id from elsewhere is not forwarded.
        let replay = try await handler.handle(batch)
        #expect(replay.map(\.value) == outputs.map(\.value))
        let resend = try await handler.handle([Fixture.message(Fixture.operations("op-1"), offset: 40, partition: 2)])
        #expect(resend.isEmpty)
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.operations") == 2)
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.duplicates WHERE event_id = 'op-1'") == 1)
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.rejections") == 2)
    }

    /// survey-intake as it runs, against a real Tansu broker: an operations event reaches cx.operations.v1,
    /// a honeypot response reaches cx.feedback.accepted.v1 flagged, and `/v1/spam` lists it.
    @Test func surveyIntakeForwardsThroughARealBroker() async throws {
        let broker = try await TestBroker()
        let fixture = try await Fixture()
        var runtime = RuntimeConfiguration(serviceName: "survey-intake", broker: broker)
        runtime.postgresURL = fixture.databaseURL
        runtime.httpPort = try freeLoopbackPort()
        var configuration = SurveyIntakeConfiguration(runtime: runtime)
        configuration.http.adminToken = "review-token"
        let services = try await buildSurveyIntake(configuration: configuration, registry: nil, logger: Fixture.logger)
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [], cancellationSignals: [], logger: Fixture.logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let now = Timestamp.format(Date().addingTimeInterval(-60))
            let producer = try KafkaProducer(configuration: runtime.kafkaProducer, logger: Fixture.logger)
            try await producer.send([
                KafkaOutboundMessage.submission(key: "live-op", value: Fixture.operations("live-op") { $0["occurredAt"] = now }),
                KafkaOutboundMessage.submission(
                    key: "live-spam",
                    value: ResponseValidatorTests.valid {
                        $0["eventId"] = "live-spam"
                        $0["occurredAt"] = now
                        $0["agency"] = "SSA"
                        $0["honeypot"] = "bot was here"
                    }
                ),
            ])
            await producer.close()

            var consumerConfiguration = runtime.kafkaConsumer(topics: [CivicTopic.operations, CivicTopic.accepted], group: "ops-test")
            consumerConfiguration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
            let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: Fixture.logger)
            var received: [KafkaConsumerMessage] = []
            let deadline = ContinuousClock.now + TestPatience.hang
            while received.count < 2, ContinuousClock.now < deadline {
                received += try await consumer.poll(maxMessages: 10, maxWait: .milliseconds(200)) ?? []
            }
            await consumer.close()
            let operations = try #require(received.first { $0.topic == CivicTopic.operations })
            #expect(try CivicJSON.makeDecoder().decode(OperationsEvent.self, from: Data(operations.value)).eventId == "live-op")
            let accepted = try #require(received.first { $0.topic == CivicTopic.accepted })
            let event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(accepted.value))
            #expect(event.spam == SpamAssessment(flagged: true, reasons: [.honeypot]))
            #expect(event.honeypot == nil)

            let review = try await TestHTTP.send("GET", "http://127.0.0.1:\(runtime.httpPort)/v1/spam?agency=SSA", bearer: "review-token")
            #expect(review.status == 200)
            let body = try CivicJSON.makeDecoder().decode(SpamReviewBody.self, from: review.body)
            #expect(body.responses.map(\.eventId) == ["live-spam"])
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
