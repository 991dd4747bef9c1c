import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Closed-loop follow-up through the real reporting service and broker: a rule fires once per matching
/// response (a replay opens nothing new) and never for a response that does not match, is spam or belongs to
/// an agency without rules; case systems' updates come back into reporting's figures; an update for a case
/// that does not exist, or another agency's, goes to the dead-letter topic.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct FollowUpEndToEndTests {
    static let logger = Logger(label: "followup-e2e")

    @Test func aRuleFiresOncePerMatchingResponseAndCasesComeBackIntoTheFigures() async throws {
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("civic-followup-\(UUID().uuidString.prefix(8)).json")
        try Data(
            #"""
            {"agencies": {"IRS": {"targetDays": 5, "rules": [
              {"name": "unhappy", "trust": "low", "emotionsAny": ["frustration", "confusion"]},
              {"name": "detractor", "recommendAtMost": 6}]}}}
            """#.utf8
        ).write(to: rules)
        defer { try? FileManager.default.removeItem(at: rules) }
        let harness = try await PipelineHarness(extraEnvironment: ["CIVIC_REPORTING_FOLLOWUP_RULES_FILE": rules.path])
        try await harness.start("reporting")
        let now = Date()
        func scored(
            _ id: String,
            agency: String = "IRS",
            trust: Int,
            recommend: Int?,
            emotions: [String: Double],
            spam: Bool = false
        ) -> FeedbackEvent {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: id,
                occurredAt: now.addingTimeInterval(-3_600),
                agency: agency,
                service: "free-file",
                channel: .web,
                form: .a11v2,
                answers: Answers(trust: .thumbs(trust), recommend: recommend)
            )
            event.emotions = emotions
            event.comment = "[NAME] waited on hold for an hour"
            event.spam = SpamAssessment(flagged: spam, reasons: spam ? [.linkStuffing] : [])
            return event
        }
        let events = [
            scored("f-1", trust: 0, recommend: 9, emotions: ["frustration": 0.5]),  // unhappy
            scored("f-2", trust: 0, recommend: 3, emotions: [:]),  // detractor
            scored("f-3", trust: 1, recommend: 10, emotions: ["frustration": 0.4]),  // nothing: trust is not low
            scored("f-4", trust: 0, recommend: 2, emotions: ["confusion": 0.2]),  // both rules
            scored("f-5", trust: 0, recommend: 1, emotions: ["frustration": 0.9], spam: true),  // spam: nothing
            scored("f-6", agency: "SSA", trust: 0, recommend: 0, emotions: ["anger": 0.9]),  // no rules for SSA
        ]
        let producer = try Self.producer(harness)
        let encoder = CivicJSON.makeEncoder()
        try await producer.send(
            try events.map { KafkaOutboundMessage(topic: CivicTopic.scored, key: $0.eventId, value: Array(try encoder.encode($0))) }
        )
        // A replay of the IRS responses, then a canary after them on the same key.
        let replay = try events.prefix(4).map { KafkaOutboundMessage(topic: CivicTopic.scored, key: "replay", value: Array(try encoder.encode($0))) }
        try await producer.send(replay)
        let canary = scored("f-canary", trust: 1, recommend: 10, emotions: [:])
        try await producer.send([KafkaOutboundMessage(topic: CivicTopic.scored, key: "replay", value: Array(try encoder.encode(canary)))])
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        try await Self.waitUntil("the canary stored") {
            try await database.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id = 'f-canary'").first?.require("n", as: Int64.self)
                == 1
        }

        let opened = try await harness.readTopic(CivicTopic.followUps, as: FollowUpOpened.self, atLeast: 4)
        #expect(Set(opened.map { "\($0.eventId)/\($0.rule)" }) == ["f-1/unhappy", "f-2/detractor", "f-4/unhappy", "f-4/detractor"])
        #expect(opened.count == 4, "a replayed response opened a follow-up again: \(opened.map(\.caseId))")
        #expect(Set(opened.map(\.caseId)).count == 4)
        let first = try #require(opened.first { $0.eventId == "f-1" })
        #expect(first.reasons == ["trust_low", "frustration"])
        #expect(first.comment == "[NAME] waited on hold for an hour")
        #expect(abs(first.dueAt.timeIntervalSince(first.openedAt) - 5 * 86_400) < 1)
        let second = try #require(opened.first { $0.eventId == "f-2" })

        // The case system acknowledges and resolves; two updates it cannot use go to the dead-letter topic.
        let updates = [
            CaseUpdate(caseId: first.caseId, agency: "IRS", state: .acknowledged, actor: "cw-17", at: now),
            CaseUpdate(caseId: first.caseId, agency: "IRS", state: .resolved, actor: "cw-17", at: now.addingTimeInterval(7_200)),
            CaseUpdate(caseId: second.caseId, agency: "IRS", state: .resolved, actor: "cw-4", at: now.addingTimeInterval(3_600)),
            CaseUpdate(caseId: "no-such-case", agency: "IRS", state: .resolved, actor: "cw-4", at: now),
            CaseUpdate(caseId: second.caseId, agency: "SSA", state: .resolved, actor: "cw-9", at: now),
        ]
        try await producer.send(
            try updates.map { KafkaOutboundMessage(topic: CivicTopic.caseUpdates, key: $0.caseId, value: Array(try encoder.encode($0))) }
        )
        try await Self.waitUntil("two follow-ups resolved") {
            try await database.query("SELECT count(resolved_at) AS n FROM reporting.follow_ups").first?.require("n", as: Int64.self) == 2
        }
        let quarter = SuppressionLeakTests.fiscalQuarter(now.addingTimeInterval(-3_600))
        let (status, body) = try await harness.get(
            "reporting",
            path: "/v1/followups?agency=IRS&fiscalYear=\(quarter.year)&quarter=\(quarter.quarter)"
        )
        #expect(status == 200)
        let services = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["services"] as? [[String: Any]])
        let freeFile = try #require(services.first { $0["service"] as? String == "free-file" })
        #expect(freeFile["opened"] as? Int == 4)
        #expect(freeFile["acknowledged"] as? Int == 2)
        #expect(freeFile["resolved"] as? Int == 2)
        #expect(freeFile["resolvedWithinTarget"] as? Int == 2)
        #expect((freeFile["medianHoursToResolution"] as? NSNumber) != nil)
        let rejected = try await harness.readTopic(CivicTopic.rejected, as: RejectedFeedback.self, atLeast: 2) {
            $0.source.topic == CivicTopic.caseUpdates
        }
        #expect(rejected.filter { $0.source.topic == CivicTopic.caseUpdates }.count == 2)
        await producer.close()
        _ = await harness.stopAll()
    }

    static func producer(_ harness: PipelineHarness) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "followup-e2e")
        )
        configuration.flushTimeoutMilliseconds = 5_000
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw TestEnvironmentError("timed out waiting for \(what)")
    }
}
