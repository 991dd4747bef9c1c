import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Closed-loop follow-up through the real reporting service and broker: a rule fires once per matching
/// response (a replay opens nothing new) and never for a response that does not match, is spam or belongs to
/// an agency without rules; case systems' signed updates come back into reporting's figures; an update for a
/// case that does not exist, or another agency's, one that is unsigned, signed by another agency's key or
/// altered, and one timed before the opening or ahead of now goes to the dead-letter topic and changes nothing.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct FollowUpEndToEndTests {
    static let logger = Logger(label: "followup-e2e")

    @Test func aRuleFiresOncePerMatchingResponseAndCasesComeBackIntoTheFigures() async throws {
        // Each agency's case system signs its updates with its own key; SSA has no rules but a case system.
        let irsKey = EventSigningKey()
        let ssaKey = EventSigningKey()
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("civic-followup-\(UUID().uuidString.prefix(8)).json")
        try Data(
            #"""
            {"agencies": {"IRS": {"targetDays": 5, "caseSystemKeys": ["\#(irsKey.publicKeyBase64)"], "rules": [
              {"name": "unhappy", "trust": "low", "emotionsAny": ["frustration", "confusion"]},
              {"name": "detractor", "recommendAtMost": 6}]},
             "SSA": {"targetDays": 5, "caseSystemKeys": ["\#(ssaKey.publicKeyBase64)"], "rules": []}}}
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

        // IRS's case system acknowledges and resolves (signed, timed after the opening and not ahead of now).
        let at = Date()
        #expect(at >= first.openedAt)
        let updates = [
            CaseUpdate(caseId: first.caseId, agency: "IRS", state: .acknowledged, actor: "cw-17", at: at),
            CaseUpdate(caseId: first.caseId, agency: "IRS", state: .resolved, actor: "cw-17", at: at),
            CaseUpdate(caseId: second.caseId, agency: "IRS", state: .resolved, actor: "cw-4", at: at),
        ]
        try await producer.send(
            try updates.map {
                KafkaOutboundMessage(topic: CivicTopic.caseUpdates, key: $0.caseId, value: Array(try encoder.encode(try irsKey.sign($0))))
            }
        )
        // Updates it cannot use go to the dead-letter topic and change nothing: each would resolve one of f-4's
        // cases. A case the agency does not have; SSA's case system on IRS's case; IRS's case resolved unsigned,
        // signed by SSA's key (a forgery), altered after signing, backdated before the opening (which would count
        // as resolved within the target) and dated ahead of now. Then a valid acknowledgement on the same key,
        // read after them.
        let third = try #require(opened.first { $0.eventId == "f-4" && $0.rule == "unhappy" })
        let fourth = try #require(opened.first { $0.eventId == "f-4" && $0.rule == "detractor" })
        func resolve(_ caseId: String, agency: String = "IRS", at time: Date? = nil) -> CaseUpdate {
            CaseUpdate(caseId: caseId, agency: agency, state: .resolved, actor: "cw-9", at: time ?? at)
        }
        var altered = try irsKey.sign(resolve(third.caseId))
        altered.actor = "someone-else"
        let refused: [(CaseUpdate, RejectionCode)] = [
            (try irsKey.sign(resolve("no-such-case")), .invalidValue),
            (try ssaKey.sign(resolve(third.caseId, agency: "SSA")), .invalidValue),
            (resolve(third.caseId), .unauthenticatedRequest),
            (try ssaKey.sign(resolve(third.caseId)), .unauthenticatedRequest),
            (altered, .unauthenticatedRequest),
            (try irsKey.sign(resolve(third.caseId, at: third.openedAt.addingTimeInterval(-86_400))), .outOfRange),
            (try irsKey.sign(resolve(fourth.caseId, at: Date().addingTimeInterval(3_600))), .outOfRange),
        ]
        let acknowledgement = try irsKey.sign(CaseUpdate(caseId: fourth.caseId, agency: "IRS", state: .acknowledged, actor: "cw-9", at: at))
        try await producer.send(
            try (refused.map { $0.0 } + [acknowledgement]).map {
                KafkaOutboundMessage(topic: CivicTopic.caseUpdates, key: "refused", value: Array(try encoder.encode($0)))
            }
        )
        try await Self.waitUntil("two follow-ups resolved and the canary acknowledged") {
            let rows = try await database.query(
                "SELECT count(resolved_at) AS resolved, count(acknowledged_at) FILTER (WHERE case_id = $1) AS canary FROM reporting.follow_ups",
                [fourth.caseId]
            )
            return try rows.first?.require("resolved", as: Int64.self) == 2 && rows.first?.require("canary", as: Int64.self) == 1
        }
        let resolvedCases = try await database.query("SELECT case_id FROM reporting.follow_ups WHERE resolved_at IS NOT NULL ORDER BY case_id")
        #expect(Set(try resolvedCases.rows.map { try $0.require("case_id", as: String.self) }) == [first.caseId, second.caseId])
        let quarter = SuppressionLeakTests.fiscalQuarter(now.addingTimeInterval(-3_600))
        let (status, body) = try await harness.get(
            "reporting",
            path: "/v1/followups?agency=IRS&fiscalYear=\(quarter.year)&quarter=\(quarter.quarter)"
        )
        #expect(status == 200)
        let services = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["services"] as? [[String: Any]])
        let freeFile = try #require(services.first { $0["service"] as? String == "free-file" })
        #expect(freeFile["opened"] as? Int == 4)
        #expect(freeFile["acknowledged"] as? Int == 3)
        #expect(freeFile["resolved"] as? Int == 2)
        #expect(freeFile["resolvedWithinTarget"] as? Int == 2)
        #expect((freeFile["medianHoursToResolution"] as? NSNumber) != nil)
        let rejected = try await harness.readTopic(CivicTopic.rejected, as: RejectedFeedback.self, atLeast: refused.count) {
            $0.source.topic == CivicTopic.caseUpdates
        }
        let fromCases = rejected.filter { $0.source.topic == CivicTopic.caseUpdates }
        #expect(fromCases.count == refused.count)
        #expect(fromCases.map(\.code).sorted { $0.rawValue < $1.rawValue } == refused.map { $0.1 }.sorted { $0.rawValue < $1.rawValue })
        #expect(fromCases.filter { $0.code == .outOfRange }.allSatisfy { $0.field == "at" })
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
