import CivicKafka
import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The survey-intake executable on its own, configured by environment variables, against a real Tansu broker
/// and PostgreSQL: spam is flagged and forwarded, counted in `/metrics` by reason, and listed by `/v1/spam`;
/// operations events reach `cx.operations.v1` and bad ones `cx.feedback.rejected.v1`.
@Suite(.startsPipeline, .hangGuard)
struct IntakeSpamEndToEndTests {
    static let logger = Logger(label: "intake-e2e")

    @Test func spamAndOperationsThroughTheSurveyIntakeExecutable() async throws {
        let broker = try await TestBroker()
        let databaseURL = try await TestPostgres.shared().makeDatabase(prefix: "intake_e2e")
        let port = try freeLoopbackPort()
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("civic-intake-e2e-\(port).log")
        let process = try ManagedProcess(
            executable: RepositoryLayout.binaries.appendingPathComponent("survey-intake"),
            arguments: [],
            environment: [
                "CIVIC_KAFKA_BOOTSTRAP": broker.bootstrapServers, "CIVIC_KAFKA_SESSION_TIMEOUT_MS": "6000",
                "CIVIC_KAFKA_HEARTBEAT_MS": "500", "CIVIC_POSTGRES_URL": databaseURL, "CIVIC_HTTP_PORT": String(port),
                "CIVIC_INTAKE_REGISTRY_FILE": RepositoryLayout.root.appendingPathComponent("ops/sample/agencies.json").path,
                "CIVIC_INTAKE_ADMIN_TOKEN": "e2e-review-token-0123", "CIVIC_INTAKE_SPAM_LINK_LIMIT": "2",
            ],
            logFile: logFile
        )
        var ready = false
        let deadline = ContinuousClock.now + TestPatience.hang
        while !ready, process.isRunning, ContinuousClock.now < deadline {
            ready = (try? await get(port, "/ready").0) == 200
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(ready, "survey-intake did not become ready:\n\(process.logTail())")

        let occurred = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-120))
        func response(_ id: String, comment: String, honeypot: String? = nil) -> [UInt8] {
            var object: [String: Any] = [
                "schema": "cx.feedback.submitted/1", "eventId": id, "occurredAt": occurred, "agency": "IRS", "service": "free-file",
                "channel": "web", "level": "transaction", "form": "a11-v2", "answers": ["trust": ["scale": "thumbs", "value": 1]],
                "comment": comment, "submitter": "install-e2e",
            ]
            object["honeypot"] = honeypot
            return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
        }
        func operations(_ id: String, handleSeconds: Int) -> [UInt8] {
            let object: [String: Any] = [
                "schema": "cx.operations/1", "eventId": id, "occurredAt": occurred, "agency": "SSA", "service": "retirement-benefits",
                "channel": "phone", "handleSeconds": handleSeconds, "resolvedFirstContact": true,
            ]
            return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
        }
        let repeated = "Click here for the fastest refund you have ever seen"
        let inputs: [(String, [UInt8])] = [
            ("r1", response("r1", comment: repeated)), ("r2", response("r2", comment: repeated.uppercased())),
            ("r3", response("r3", comment: repeated + "!!!")), ("hp", response("hp", comment: "Fine.", honeypot: "bot")),
            ("ln", response("ln", comment: "cheap https://a.example and https://b.example")),
            ("ok", response("ok", comment: "The instructions were clear and the upload worked first time.")),
            ("op-good", operations("op-good", handleSeconds: 240)), ("op-bad", operations("op-bad", handleSeconds: -5)),
        ]
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: broker.bootstrapServers)),
            logger: Self.logger
        )
        // One key, so the messages stay in order on one partition (repeated_text counts in arrival order).
        try await producer.send(inputs.map { KafkaOutboundMessage.submission(key: "same-partition", value: $0.1) })
        await producer.close()

        var consumerConfiguration = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "intake-e2e-reader"),
            groupID: "intake-e2e-reader",
            topics: [CivicTopic.accepted, CivicTopic.operations, CivicTopic.rejected]
        )
        consumerConfiguration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        consumerConfiguration.heartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: Self.logger)
        var received: [KafkaConsumerMessage] = []
        let readDeadline = ContinuousClock.now + TestPatience.hang
        while received.count < inputs.count, ContinuousClock.now < readDeadline {
            received += try await consumer.poll(maxMessages: 50, maxWait: .milliseconds(200)) ?? []
        }
        await consumer.close()

        let decoder = CivicJSON.makeDecoder()
        let accepted = try received.filter { $0.topic == CivicTopic.accepted }.map { try decoder.decode(FeedbackEvent.self, from: Data($0.value)) }
        let reasons = Dictionary(uniqueKeysWithValues: accepted.map { ($0.eventId, $0.spam?.reasons.map(\.rawValue) ?? ["<none>"]) })
        #expect(reasons == ["r1": [], "r2": [], "r3": ["repeated_text"], "hp": ["honeypot"], "ln": ["link_stuffing"], "ok": []])
        #expect(accepted.allSatisfy { $0.honeypot == nil })
        let forwarded = try received.filter { $0.topic == CivicTopic.operations }.map {
            try decoder.decode(OperationsEvent.self, from: Data($0.value))
        }
        #expect(forwarded.map(\.eventId) == ["op-good"])
        let rejected = try received.filter { $0.topic == CivicTopic.rejected }.map { try decoder.decode(RejectedFeedback.self, from: Data($0.value)) }
        #expect(rejected.map(\.code.rawValue) == ["out_of_range"])
        #expect(rejected.first?.field == "handleSeconds")

        let (metricsStatus, metrics) = try await get(port, "/metrics")
        #expect(metricsStatus == 200)
        let text = String(decoding: metrics, as: UTF8.self)
        for reason in ["repeated_text", "honeypot", "link_stuffing"] {
            #expect(text.contains("civic_intake_spam_flagged_total{reason=\"\(reason)\"} 1"), "\(reason) in:\n\(text)")
        }
        #expect(try await get(port, "/v1/spam?agency=IRS").0 == 401)
        let (status, body) = try await get(port, "/v1/spam?agency=IRS", token: "e2e-review-token-0123")
        #expect(status == 200)
        let review = String(decoding: body, as: UTF8.self)
        for id in ["r3", "hp", "ln"] { #expect(review.contains("\"\(id)\""), "\(id) in \(review)") }
        #expect(!review.contains("install-e2e"), "the submitter is not exposed")

        #expect(await process.stop() == 0, "survey-intake did not stop cleanly:\n\(process.logTail())")
    }

    private func get(_ port: Int, _ path: String, token: String? = nil) async throws -> (Int, Data) {
        let answer = try await TestHTTP.send("GET", "http://127.0.0.1:\(port)\(path)", bearer: token)
        return (answer.status, answer.body)
    }
}
