import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import ReportingCore

/// An admin's spam decisions against a real database: "not spam" counts a flagged response, "spam"
/// withdraws a counted one, the aggregates follow in the same transaction, each decision is in the audit
/// trail with who made it, a decision that changes nothing changes no figure, another agency's response is
/// not found, and a replay of the events cannot undo a decision.
@Suite(.hangGuard) struct SpamTriageTests {
    static let logger = Logger(label: "spam-triage-tests")

    @Test func decisionsMoveTheFiguresInTheirTransactionAndSurviveAReplay() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "triage", ReportingStore.migrations, logger: Self.logger)
        defer { client.close() }
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        // 14 IRS responses, all thumbs up; t-12 and t-13 flagged as spam by intake. One SSA response.
        let messages = try (0..<14).map { try Self.message(id: "t-\($0)", agency: "IRS", spam: $0 >= 12, offset: $0) }
        let other = try Self.message(id: "ssa-1", agency: "SSA", spam: true, offset: 14)
        _ = try await handler.handle(messages + [other])
        let query = ReportQuery(client: client, minimumCellSize: 10)
        func irs() async throws -> QuarterlyReport {
            var filter = ReportQuery.Filter()
            filter.agency = "IRS"
            return try #require(try await query.reports(filter).first)
        }
        #expect(try await irs().responses == 12)

        let triage = SpamTriage(client: client)
        let released = try #require(
            try await triage.decide(eventId: "t-12", agency: "IRS", decision: .notSpam, actor: "user:irs-admin", note: "real", requestId: "r1")
        )
        #expect(released.changed && released.counted)
        #expect(try await irs().responses == 13)
        #expect(try await irs().trust?.favourable == 13)
        let withdrawn = try #require(
            try await triage.decide(eventId: "t-0", agency: "IRS", decision: .spam, actor: "user:irs-admin", note: nil, requestId: "r2")
        )
        #expect(withdrawn.changed && !withdrawn.counted)
        #expect(try await irs().responses == 12)
        // Deciding what a response already is changes nothing.
        let again = try #require(
            try await triage.decide(eventId: "t-0", agency: "IRS", decision: .spam, actor: "user:irs-admin", note: nil, requestId: "r3")
        )
        #expect(!again.changed)
        #expect(try await irs().responses == 12)
        // Another agency's response, and one that does not exist, are not found for IRS.
        #expect(try await triage.decide(eventId: "ssa-1", agency: "IRS", decision: .notSpam, actor: "user:x", note: nil, requestId: "r4") == nil)
        #expect(try await triage.decide(eventId: "nope", agency: "IRS", decision: .notSpam, actor: "user:x", note: nil, requestId: "r5") == nil)

        // A replay of every event (a consumer restart) keeps the decisions.
        _ = try await handler.handle(messages + [other])
        #expect(try await irs().responses == 12)
        let rows = try await client.query(
            "SELECT event_id, spam_flagged, spam_decision, spam_decided_by FROM reporting.feedback WHERE event_id IN ('t-0', 't-12') ORDER BY event_id"
        )
        #expect(try rows.rows.map { try $0.require("event_id", as: String.self) } == ["t-0", "t-12"])
        #expect(try rows.rows.map { try $0.require("spam_flagged", as: Bool.self) } == [true, false])
        #expect(try rows.rows.map { try $0.require("spam_decision", as: String.self) } == ["spam", "not_spam"])
        #expect(try rows.rows.allSatisfy { try $0.require("spam_decided_by", as: String.self) == "user:irs-admin" })

        // Every decision is in the audit trail, the unchanged one included.
        let trail = try await AuditTrail(client: client).entries(in: .only(["IRS"]), limit: 100)
        #expect(trail.filter { $0.action == .spamDecision }.map(\.requestId) == ["r3", "r2", "r1"])
        #expect(trail.first { $0.requestId == "r1" }?.filter["note"] == "real")
    }

    static func message(id: String, agency: String, spam: Bool, offset: Int) throws -> KafkaConsumerMessage {
        var event = FeedbackEvent(
            schema: SchemaVersion.scored,
            eventId: id,
            occurredAt: FixtureTime.now,
            agency: agency,
            service: "free-file",
            channel: .web,
            form: .a11v2,
            answers: Answers(trust: .thumbs(1))
        )
        event.spam = SpamAssessment(flagged: spam, reasons: spam ? [.repeatedText] : [])
        return KafkaConsumerMessage(
            topic: CivicTopic.scored,
            partition: 0,
            offset: Int64(offset),
            key: nil,
            value: Array(try CivicJSON.makeEncoder().encode(event))
        )
    }
}
