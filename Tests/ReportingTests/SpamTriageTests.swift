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

    /// A decision recounts only its response's cell: every other agency's and cell's measure rows are left as
    /// they were (not even rewritten: their `xmin`, the transaction that last wrote each row, does not move),
    /// its own cell's figures move by that response, and the result is exactly what a full rebuild computes,
    /// a measure left at zero included (deleted, as a rebuild never writes one).
    @Test func aDecisionRecountsOnlyItsCellAndMatchesARebuild() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "triage_cell", ReportingStore.migrations, logger: Self.logger)
        defer { client.close() }
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        // IRS free-file: 12 counted (thumbs down at 0, 3, 6, 9), "a-12" (up) flagged; "a-0" alone went well on
        // ease and recommends (9).
        // IRS another service, and SSA on the same service, each with their own responses.
        var messages = try (0..<13).map { index in
            var answers = Answers(trust: .thumbs(index % 3 == 0 && index < 12 ? 0 : 1))
            if index == 0 {
                answers.wentWell = [.ease]
                answers.recommend = 9
            }
            return try Self.message(id: "a-\(index)", agency: "IRS", spam: index == 12, offset: index, answers: answers)
        }
        messages += try (0..<11).map { try Self.message(id: "b-\($0)", agency: "IRS", service: "passports", spam: false, offset: 13 + $0) }
        messages += try (0..<11).map { try Self.message(id: "s-\($0)", agency: "SSA", spam: $0 == 0, offset: 24 + $0) }
        _ = try await handler.handle(messages)

        /// Every measure row, with the transaction that last wrote it.
        func measureRows(withXmin: Bool) async throws -> [String: String] {
            let rows = try await client.query(
                """
                SELECT agency || '/' || service || '/' || channel || '/' || fiscal_year || 'Q' || fiscal_quarter || '/' || measure AS key,
                       n || ',' || hits || ',' || total::text AS value, xmin::text AS xmin
                FROM reporting.cell_measures
                """
            )
            var result: [String: String] = [:]
            for row in rows.rows {
                result[try row.require("key")] =
                    try row.require("value", as: String.self) + (withXmin ? " @" + (try row.require("xmin", as: String.self)) : "")
            }
            return result
        }
        let before = try await measureRows(withXmin: true)
        let query = ReportQuery(client: client, minimumCellSize: 10)
        func report(_ agency: String, _ service: String) async throws -> QuarterlyReport {
            var filter = ReportQuery.Filter()
            filter.agency = agency
            filter.service = service
            return try #require(try await query.reports(filter).first)
        }
        #expect(try await report("IRS", "free-file").responses == 12)

        let triage = SpamTriage(client: client)
        _ = try await triage.decide(eventId: "a-12", agency: "IRS", decision: .notSpam, actor: "user:irs-admin", note: nil, requestId: "c1")
        _ = try await triage.decide(eventId: "a-0", agency: "IRS", decision: .spam, actor: "user:irs-admin", note: nil, requestId: "c2")

        // IRS free-file moved by exactly those two responses: one more thumbs up counted, one thumbs down gone.
        let irs = try await report("IRS", "free-file")
        #expect(irs.responses == 12)
        #expect(irs.trust?.favourable == 9, "8 of the first 12 favourable, a-0 (down) withdrawn, a-12 (up) counted")
        let after = try await measureRows(withXmin: true)
        let touched = Set(after.keys).union(before.keys).filter { before[$0] != after[$0] }
        #expect(!touched.isEmpty)
        #expect(touched.allSatisfy { $0.hasPrefix("IRS/free-file/web/") }, "rows outside the decided cell changed: \(touched.sorted())")
        #expect(
            before.filter { !$0.key.hasPrefix("IRS/free-file/") } == after.filter { !$0.key.hasPrefix("IRS/free-file/") },
            "SSA's and IRS passports' rows are not rewritten"
        )
        // a-0 was the only response that went well on ease: that measure is gone, not left at zero.
        #expect(before.keys.contains { $0.hasPrefix("IRS/free-file/") && $0.hasSuffix("/went_well.ease") })
        #expect(!after.keys.contains { $0.hasSuffix("/went_well.ease") })

        // Exactly what a rebuild computes.
        let recounted = try await measureRows(withXmin: false)
        _ = try await ReportingStore(client: client).rebuild()
        #expect(try await measureRows(withXmin: false) == recounted)
    }

    static func message(
        id: String,
        agency: String,
        service: String = "free-file",
        spam: Bool,
        offset: Int,
        answers: Answers = Answers(trust: .thumbs(1))
    ) throws -> KafkaConsumerMessage {
        var event = FeedbackEvent(
            schema: SchemaVersion.scored,
            eventId: id,
            occurredAt: FixtureTime.now,
            agency: agency,
            service: service,
            channel: .web,
            form: .a11v2,
            answers: answers
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
