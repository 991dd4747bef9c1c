import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// One hostile message never stops a stage, through the four real services: each hostile message below
/// (the classes that once stopped a stage for good) is followed by a valid canary, and every canary reaches
/// reporting while each hostile message is refused on the dead-letter topic with its reason, or is stripped
/// of what it may not say.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct HostileInputEndToEndTests {
    static let logger = Logger(label: "hostile-e2e")

    static func response(_ id: String, _ changes: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
        var object: [String: Any] = [
            "schema": "cx.feedback.submitted/1", "eventId": id, "occurredAt": ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60)),
            "agency": "SSA", "service": "retirement-benefits", "channel": "web", "level": "transaction", "form": "a11-v2",
            "answers": ["trust": ["scale": "thumbs", "value": 1]],
        ]
        changes(&object)
        return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    @Test func hostileMessagesAreSetAsideAndEveryCanaryArrives() async throws {
        let harness = try await PipelineHarness()
        try await harness.startAll()
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "hostile-e2e")
        )
        configuration.flushTimeoutMilliseconds = 5_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        let hostile: [(name: String, bytes: [UInt8])] = [
            ("nul-schema", Self.response("h-nul-schema") { $0["schema"] = "cx.feedback.submitted/1\u{0}" }),
            ("huge", Self.response("h-huge") { $0["comment"] = String(repeating: "very long ", count: 80_000) }),
            (
                "forged-stage-fields",
                Self.response("h-forged") {
                    $0["sentiment"] = ["neg": 0, "neu": 0, "pos": 1, "compound": 4.4e303]
                    $0["redactions"] = ["email\u{0}": 1]
                    $0["respondent"] = ["status": "verified", "pseudonym": "ps1_forged"]
                }
            ),
            ("nul-key", Array(#"{"schema":"cx.feedback.submitted/1","eventId":"h-nul-key","\u0000":1}"#.utf8)),
        ]
        var canaries: [String] = []
        for (index, message) in hostile.enumerated() {
            try await producer.send(KafkaOutboundMessage.submission(key: message.name, value: message.bytes))
            let canary = "canary-\(index)"
            canaries.append(canary)
            try await producer.send(KafkaOutboundMessage.submission(key: canary, value: Self.response(canary)))
        }
        // A caller-supplied NUL on the identity request topic, then a canary request.
        let requests = [
            IdentityRequest(correlationId: "req-nul\u{0}", idToken: "x\u{0}y", agency: "IRS\u{0}", requestedAt: Date()),
            IdentityRequest(
                correlationId: "req-canary",
                idToken: try harness.mintToken(subject: "canary", agency: "IRS"),
                agency: "IRS",
                requestedAt: Date()
            ),
        ]
        for request in requests {
            try await producer.send(
                KafkaOutboundMessage(topic: CivicTopic.identityRequests, key: "r", value: Array(try CivicJSON.makeEncoder().encode(request)))
            )
        }
        await producer.close()

        // Every canary, and the forged response stripped of its forged fields, reaches reporting.
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        let expected = Set(canaries + ["h-forged"])
        var arrived: Set<String> = []
        let deadline = ContinuousClock.now + TestPatience.hang
        while arrived != expected, ContinuousClock.now < deadline {
            let rows = try? await database.query(
                "SELECT event_id FROM reporting.feedback WHERE event_id = ANY($1)",
                [PostgresTextArray(Array(expected))]
            )
            arrived = Set(try rows?.rows.map { try $0.require("event_id", as: String.self) } ?? [])
            if arrived != expected { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(arrived == expected, "missing in reporting: \(expected.subtracting(arrived)); intake log:\n\(harness.logTail("survey-intake"))")
        let forged = try await database.query("SELECT compound FROM reporting.feedback WHERE event_id = 'h-forged'")
        #expect(try forged.first?.decode("compound", as: Double.self) == nil, "a submitter's sentiment never counts")

        // The hostile messages that cannot be accepted are on the dead-letter topic with their reasons.
        let rejected = try await harness.readTopic(CivicTopic.rejected, as: RejectedFeedback.self, atLeast: 3)
        let byEvent = Dictionary(rejected.compactMap { record in record.eventId.map { ($0, record) } }, uniquingKeysWith: { first, _ in first })
        #expect(byEvent["h-nul-schema"]?.code == .unknownSchema, "\(rejected.map { ($0.eventId, $0.code, $0.reason) })")
        #expect(byEvent["h-nul-schema"]?.reason.contains("\\u0000") == true)
        // The 800 KB response's event id is not read (it is refused before parsing); its rejection fits the
        // broker, keeping the first 256 KiB and the size.
        let huge = try #require(rejected.first { $0.code == .payloadTooLarge }, "\(rejected.map { ($0.eventId, $0.code) })")
        #expect(huge.originalSize ?? 0 > 800_000)
        #expect(Data(base64Encoded: huge.original)?.count == RejectedFeedback.maximumOriginalBytes)
        #expect(rejected.contains { $0.code == .notJSON || $0.code == .invalidValue || $0.code == .duplicateKey || $0.code == .missingField })

        // The request with a NUL that identity-verify's audit cannot store was set aside by its failure policy.
        #expect(rejected.contains { $0.code == .storageRefused && $0.source.topic == CivicTopic.identityRequests && $0.stage != nil })
        // identity-verify answered the canary request after the hostile one.
        let results = try await harness.readTopic(CivicTopic.identityResults, as: IdentityResult.self, atLeast: 1)
        #expect(results.contains { $0.correlationId == "req-canary" && $0.status == .verified }, "\(results)")

        // Every stage is still ready.
        for service in PipelineHarness.services {
            #expect(try await harness.get(service, path: "/ready").0 == 200, "\(service) is not ready:\n\(harness.logTail(service))")
        }
        _ = await harness.stopAll()
        await harness.broker.kill()
    }
}
