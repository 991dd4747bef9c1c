import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// A fuzz run through the four real services: thousands of mutated messages (byte flips, cuts, inserted
/// NULs and quotes, values of the wrong type, huge and non-finite numbers, lone surrogates, stage-owned
/// fields, missing fields) on the submitted topic, on every internal topic (accepted, verified, scored:
/// a stage must not trust the stage before it) and on the identity request topic, seeded so a failure
/// reproduces. Then canaries: every canary reaches reporting, every stage is still running and ready, and no
/// stored figure is non-finite.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct PipelineFuzzEndToEndTests {
    static let logger = Logger(label: "pipeline-fuzz")
    static let seed: UInt64 = 20_261_205

    @Test func mutatedMessagesOnEveryTopicNeverStopAStageOrReachAFigure() async throws {
        let harness = try await PipelineHarness()
        try await harness.startAll()
        var random = SeededGenerator(seed: Self.seed)
        var mutator = MessageMutator()
        var messages: [KafkaOutboundMessage] = []
        for index in 0..<2_000 {
            let base = Self.valid(id: "fz-\(index)", random: &random)
            messages.append(KafkaOutboundMessage.submission(key: "fz-\(index)", value: mutator.mutate(base, random: &random)))
        }
        // The internal topics carry later stages' schemas; mutated copies test each stage's own checks.
        for (topic, schema) in [
            (CivicTopic.accepted, SchemaVersion.accepted), (CivicTopic.verified, SchemaVersion.verified), (CivicTopic.scored, SchemaVersion.scored),
        ] {
            for index in 0..<300 {
                var base = Self.valid(id: "fi-\(schema)-\(index)", random: &random)
                base = Array(String(decoding: base, as: UTF8.self).replacing("cx.feedback.submitted/1", with: schema).utf8)
                messages.append(KafkaOutboundMessage(topic: topic, key: "fi-\(index)", value: mutator.mutate(base, random: &random)))
            }
        }
        for index in 0..<200 {
            let request = #"{"correlationId":"fz-req-\#(index)","idToken":"a.b.c","agency":"IRS","requestedAt":"2026-12-01T00:00:00Z"}"#
            messages.append(
                KafkaOutboundMessage(topic: CivicTopic.identityRequests, key: "r", value: mutator.mutate(Array(request.utf8), random: &random))
            )
        }
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "pipeline-fuzz")
        )
        configuration.flushTimeoutMilliseconds = 10_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        for chunk in stride(from: 0, to: messages.count, by: 500) {
            _ = try await producer.send(Array(messages[chunk..<min(chunk + 500, messages.count)]))
        }
        // Canaries on every topic, behind the mutated messages; 24 keys each, so every partition gets some.
        var canaries: [String] = []
        var canaryMessages: [KafkaOutboundMessage] = []
        for (topic, schema) in [
            (CivicTopic.submitted(agency: "SSA"), SchemaVersion.submitted), (CivicTopic.accepted, SchemaVersion.accepted),
            (CivicTopic.verified, SchemaVersion.verified), (CivicTopic.scored, SchemaVersion.scored),
        ] {
            for index in 0..<24 {
                let id = "canary-\(schema.split(separator: ".").last ?? "")-\(index)"
                canaries.append(id)
                canaryMessages.append(KafkaOutboundMessage(topic: topic, key: id, value: try Self.canary(id: id, schema: schema)))
            }
        }
        _ = try await producer.send(canaryMessages)
        await producer.close()

        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        var arrived: Set<String> = []
        let deadline = ContinuousClock.now + TestPatience.hang
        while arrived.count < canaries.count, ContinuousClock.now < deadline {
            let rows = try? await database.query("SELECT event_id FROM reporting.feedback WHERE event_id = ANY($1)", [PostgresTextArray(canaries)])
            arrived = Set(try rows?.rows.map { try $0.require("event_id", as: String.self) } ?? [])
            if arrived.count < canaries.count { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(arrived == Set(canaries), "canaries missing: \(Set(canaries).subtracting(arrived))")
        for service in PipelineHarness.services {
            #expect(harness.processes[service]?.isRunning == true, "\(service) exited:\n\(harness.logTail(service))")
            #expect(try await harness.get(service, path: "/ready").0 == 200, "\(service) is not ready:\n\(harness.logTail(service))")
        }
        // No figure is non-finite, and the figures and dashboard still answer.
        let nonFinite = try await database.query(
            "SELECT count(*) AS n FROM reporting.cell_measures WHERE total IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)"
        )
        #expect(try nonFinite.first?.require("n", as: Int.self) == 0)
        let token = try await harness.reportingAnalystToken()
        #expect(try await TestHTTP.send("GET", harness.base("reporting") + "/v1/reports?groupBy=service,channel", bearer: token).status == 200)
        #expect(try await TestHTTP.send("GET", harness.base("reporting") + "/dashboard", bearer: token).status == 200)
        _ = await harness.stopAll()
        await harness.broker.kill()
    }

    /// A valid event of `schema` (a response as each stage writes it), as its topic carries it.
    static func canary(id: String, schema: String) throws -> [UInt8] {
        var event = FeedbackEvent(
            schema: schema,
            eventId: id,
            occurredAt: Date().addingTimeInterval(-120),
            agency: "SSA",
            service: "retirement-benefits",
            channel: .web,
            form: .a11v2,
            answers: Answers(trust: .thumbs(1)),
            comment: "The canary came through fine."
        )
        if schema != SchemaVersion.submitted {
            event.receivedAt = Date().addingTimeInterval(-60)
            event.spam = SpamAssessment(flagged: false, reasons: [])
        }
        if schema == SchemaVersion.verified || schema == SchemaVersion.scored {
            event.respondent = Respondent(status: .anonymous)
        }
        return Array(try CivicJSON.makeEncoder().encode(event))
    }

    /// A valid submitted response with a random form, channel, comment and answers.
    static func valid(id: String, random: inout SeededGenerator) -> [UInt8] {
        let comments = ["Great service, thank you!", "Took forever. Call me at 202-555-0101.", "ok", "¡Muy bien! 👍", ""]
        let channels = ["web", "mobile", "phone", "in-person", "email", "chat"]
        return HostileInputEndToEndTests.response(id) { object in
            object["channel"] = channels.randomElement(using: &random)
            if let comment = comments.randomElement(using: &random), !comment.isEmpty { object["comment"] = comment }
            if Bool.random(using: &random) {
                object["form"] = "a11-v2"
                object["answers"] = ["trust": ["scale": "likert5", "value": Int.random(in: 1...5, using: &random)]]
            }
        }
    }
}

/// Mutations of a JSON message, from small byte edits to whole values of the wrong kind.
struct MessageMutator {
    static let hostileValues = [
        "null", "true", "-1", "0", "1e308", "-1e308", "1e999", "4.4e303", "\"NaN\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"",
        "[]", "{}", String(repeating: "[", count: 200) + String(repeating: "]", count: 200), "\"" + String(repeating: "x", count: 100_000) + "\"",
        #"{"neg":0,"neu":0,"pos":1,"compound":4.4e303}"#, #"{"flagged":false,"reasons":[]}"#, #"{"status":"verified","pseudonym":"p"}"#,
        "\"IRS\\u0000\"", "\"SSA\"", "9223372036854775808", "-0", "\"2026-02-30T25:61:00Z\"", "\"../../etc/passwd\"",
    ]
    static let stageOwnedKeys = ["sentiment", "emotions", "redactions", "respondent", "spam", "scorer", "receivedAt"]

    mutating func mutate(_ message: [UInt8], random: inout SeededGenerator) -> [UInt8] {
        var bytes = message
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            guard !bytes.isEmpty else { break }
            switch Int.random(in: 0..<8, using: &random) {
            case 0:  // flip a byte
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] ^= UInt8.random(in: 1...255, using: &random)
            case 1:  // insert a byte JSON cares about
                let index = Int.random(in: 0...bytes.count, using: &random)
                bytes.insert([0x00, 0x22, 0x5C, 0x7B, 0x7D, 0xFF, 0xC3, 0x2C].randomElement(using: &random) ?? 0, at: index)
            case 2:  // cut the message short
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 3:  // repeat a slice (duplicate keys, doubled values)
                let start = Int.random(in: 0..<bytes.count, using: &random)
                let end = min(bytes.count, start + Int.random(in: 1...40, using: &random))
                bytes.insert(contentsOf: bytes[start..<end], at: end)
            default:  // replace a value, or add a stage-owned field
                bytes = Self.replacingAValue(in: bytes, random: &random)
            }
        }
        return bytes
    }

    /// The message with one member's value replaced by a hostile one, or a stage-owned member added.
    static func replacingAValue(in bytes: [UInt8], random: inout SeededGenerator) -> [UInt8] {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return bytes }
        let value = hostileValues.randomElement(using: &random) ?? "null"
        let key =
            Bool.random(using: &random)
            ? (stageOwnedKeys.randomElement(using: &random) ?? "spam") : (object.keys.sorted().randomElement(using: &random) ?? "eventId")
        if Int.random(in: 0..<10, using: &random) == 0 {
            object[key] = nil
            return (try? Array(JSONSerialization.data(withJSONObject: object))) ?? bytes
        }
        object[key] = "\u{1}MARK\u{1}"
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return bytes }
        // The hostile value goes in as raw JSON text, which JSONSerialization would not write.
        return Array(String(decoding: data, as: UTF8.self).replacing(#""\u0001MARK\u0001""#, with: value).utf8)
    }
}
