import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import ReportingCore
@testable import ReportingExports

/// Erased responses never count: not in the figures, not in the exports, not after a replay; their rows go
/// and only a tombstone (keys, why, when) stays. Purged responses go too, and the figures stay.
@Suite(.hangGuard) struct ReportingDeletionTests {
    static let logger = Logger(label: "deletion-tests")

    @Test func deletedResponsesLeaveEveryFigureAndExportAndStayDeletedAfterAReplay() async throws {
        let client = try await Self.migratedDatabase()
        defer { client.close() }
        let store = ReportingStore(client: client)
        let handler = ReportingHandler(store: store, fiscalYearStartMonth: 10, logger: Self.logger)
        // 13 responses: thumbs up for r-0...r-8, down for r-9...r-12.
        let messages = try Self.scored(count: 13, idPrefix: "r", agency: "IRS", service: "free-file", channel: .web) { $0 < 9 }
        _ = try await handler.handle(messages)
        let query = ReportQuery(client: client, minimumCellSize: 10)
        let before = try #require(try await query.reports(.init()).first)
        #expect(before.responses == 13)
        #expect(before.trust?.favourable == 9)

        // Delete two thumbs-up responses (one of them twice) and ask for one reporting never saw.
        let summary = try await store.erase(Self.request(["r-0", "r-1", "r-1", "nope"], agency: "IRS", reason: "respondent asked to withdraw"))
        #expect(summary.deleted == ["r-0", "r-1"])
        #expect(summary.unknown == ["nope"])
        #expect(summary.rebuild?.responses == 11)
        let after = try #require(try await query.reports(.init()).first)
        #expect(after.responses == 11)
        #expect(after.trust?.favourable == 7)
        #expect(after.trust?.n == 11)

        // The Touchpoints export and the collection volumes leave them out too.
        let exports = ExportQuery(client: client, minimumCellSize: 10)
        let key = ExportQuery.CollectionKey(
            agency: "IRS",
            service: "free-file",
            channel: "web",
            quarter: FiscalQuarter(containing: FixtureTime.now)
        )
        #expect(try await exports.touchpointsCount(key) == 11)
        var exported: [String] = []
        try await exports.forEachTouchpointsBatch(key) { rows in exported += rows.map(\.externalId) }
        #expect(Set(exported) == Set((2..<13).map { "r-\($0)" }))

        // A replay of every event (a consumer restart) brings nothing back; deleting again changes nothing.
        _ = try await handler.handle(messages)
        let replayed = try #require(try await query.reports(.init()).first)
        #expect(replayed.responses == 11)
        let again = try await store.erase(Self.request(["r-0"], agency: "IRS", reason: "again"))
        #expect(again.deleted.isEmpty)
        #expect(again.alreadyDeleted == ["r-0"])

        // The row is gone; only the tombstone stays, with its cause and request id.
        let rows = try await client.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id IN ('r-0', 'r-1', 'nope')")
        #expect(try rows.first?.require("n", as: Int64.self) == 0)
        let tombstones = try await client.query(
            "SELECT event_id, cause, request_id FROM reporting.erased_events WHERE agency = 'IRS' ORDER BY event_id"
        )
        #expect(try tombstones.rows.map { try $0.require("event_id", as: String.self) } == ["nope", "r-0", "r-1"])
        #expect(try tombstones.rows.allSatisfy { try $0.require("cause", as: String.self) == "request" })
        #expect(try tombstones.first?.require("request_id", as: String.self) == "request-nope")
    }

    @Test func anEventIsItsAgencyAndItsIdSoAgenciesSharingAnIdAreCountedAndDeletedApart() async throws {
        let client = try await Self.migratedDatabase()
        defer { client.close() }
        let store = ReportingStore(client: client)
        let handler = ReportingHandler(store: store, fiscalYearStartMonth: 10, logger: Self.logger)
        // The same ids s-0...s-11 from IRS (all thumbs up) and from SSA (all thumbs down).
        let irs = try Self.scored(count: 12, idPrefix: "s", agency: "IRS", service: "free-file", channel: .web) { _ in true }
        let ssa = try Self.scored(count: 12, idPrefix: "s", agency: "SSA", service: "retirement", channel: .web) { _ in false }
        _ = try await handler.handle(irs)
        _ = try await handler.handle(ssa)
        _ = try await handler.handle(irs + ssa)  // a replay of both changes nothing
        let query = ReportQuery(client: client, minimumCellSize: 10)
        func report(_ agency: String) async throws -> QuarterlyReport {
            var filter = ReportQuery.Filter()
            filter.agency = agency
            return try #require(try await query.reports(filter).first)
        }
        let irsBefore = try await report("IRS")
        let ssaBefore = try await report("SSA")
        #expect(irsBefore.responses == 12 && irsBefore.trust?.favourable == 12)
        #expect(ssaBefore.responses == 12 && ssaBefore.trust?.favourable == 0)

        // Deleting IRS's s-0 leaves SSA's s-0 counted; a rebuild agrees.
        let summary = try await store.erase(Self.request(["s-0"], agency: "IRS", reason: "test submission"))
        #expect(summary.deleted == ["s-0"])
        #expect(try await report("IRS").responses == 11)
        #expect(try await report("SSA").responses == 12)
        let expected = try await query.reports(.init())
        _ = try await store.rebuild()
        #expect(try await query.reports(.init()) == expected)
        let rows = try await client.query("SELECT agency FROM reporting.feedback WHERE event_id = 's-0'")
        #expect(try rows.rows.map { try $0.require("agency", as: String.self) } == ["SSA"])
    }

    @Test func missingAggregatesAreRebuiltFromTheStoredEvents() async throws {
        let client = try await Self.migratedDatabase()
        defer { client.close() }
        let store = ReportingStore(client: client)
        #expect(try await store.rebuildIfAggregatesMissing() == nil)  // nothing stored, nothing to do
        let handler = ReportingHandler(store: store, fiscalYearStartMonth: 10, logger: Self.logger)
        let messages = try Self.scored(count: 12, idPrefix: "u", agency: "SSA", service: "retirement", channel: .phone) { $0 % 3 != 0 }
        _ = try await handler.handle(messages)
        let query = ReportQuery(client: client, minimumCellSize: 10)
        let expected = try await query.reports(.init())
        #expect(try await store.rebuildIfAggregatesMissing() == nil)  // aggregates present: left alone
        // As after an upgrade past migration 3: the events are stored, the aggregates are not.
        try await client.query("DELETE FROM reporting.cell_measures")
        #expect(try await query.reports(.init()).isEmpty)
        let summary = try #require(try await store.rebuildIfAggregatesMissing())
        #expect(summary.responses == 12)
        #expect(try await query.reports(.init()) == expected)
        #expect(expected.first?.trust?.favourable == 8)
    }

    @Test func purgedResponsesLeaveTheirFiguresBehindAndCannotBeReplayed() async throws {
        let client = try await Self.migratedDatabase()
        defer { client.close() }
        let store = ReportingStore(client: client)
        let handler = ReportingHandler(store: store, fiscalYearStartMonth: 10, logger: Self.logger)
        let old = try Self.scored(count: 12, idPrefix: "o", agency: "IRS", service: "free-file", channel: .web) { $0 < 8 }
        let recent = try Self.scored(count: 12, idPrefix: "n", agency: "IRS", service: "free-file", channel: .web) { $0 < 3 }
        _ = try await handler.handle(old)
        // The old responses were stored 4 years ago (past the 3-year default for respondent-level rows).
        try await client.query("UPDATE reporting.feedback SET stored_at = now() - interval '4 years' WHERE event_id LIKE 'o-%'")
        _ = try await handler.handle(recent)
        let query = ReportQuery(client: client, minimumCellSize: 10)
        let before = try await query.reports(.init())
        #expect(before.first?.responses == 24 && before.first?.trust?.favourable == 11)

        var schedule = RetentionSchedule()
        schedule.auditDays = 0
        let summary = try await ReportingStore.retention.run(schedule: schedule, client: client)
        #expect(summary.deleted["reporting.feedback"] == 12)
        let left = try await client.query("SELECT count(*) AS n FROM reporting.feedback")
        #expect(try left.first?.require("n", as: Int64.self) == 12)
        // The figures stay, now and after a rebuild; a replay of the purged events brings nothing back.
        #expect(try await query.reports(.init()) == before)
        _ = try await store.rebuild()
        #expect(try await query.reports(.init()) == before)
        _ = try await handler.handle(old)
        #expect(try await query.reports(.init()) == before)
        let replayed = try await client.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id LIKE 'o-%'")
        #expect(try replayed.first?.require("n", as: Int64.self) == 0)
    }

    @Test func theAuditTrailIsPurgedOnlyByTheRetentionSchedule() async throws {
        let client = try await Self.migratedDatabase()
        defer { client.close() }
        try await client.query(
            "INSERT INTO reporting_audit.audit_log (at, actor, action) VALUES (now() - interval '7 years', 'a', 'old'), (now(), 'a', 'new')"
        )
        await #expect(throws: (any Error).self) { try await client.query("DELETE FROM reporting_audit.audit_log") }
        let summary = try await ReportingStore.retention.run(schedule: RetentionSchedule(), client: client)
        #expect(summary.deleted["reporting_audit.audit_log"] == 1)
        let left = try await client.query("SELECT action FROM reporting_audit.audit_log")
        #expect(try left.rows.map { try $0.require("action", as: String.self) } == ["new"])
    }

    /// An erasure request for `ids`.
    static func request(_ ids: [String], agency: String, reason: String) -> ErasureRequest {
        ErasureRequest(
            requestId: "request-\(ids.last ?? "")",
            agency: agency,
            eventIds: ids,
            reason: reason,
            requestedBy: "test",
            requestedAt: FixtureTime.now
        )
    }

    /// A fresh database with reporting's schema migrated.
    static func migratedDatabase() async throws -> PostgresClient {
        try await TestPostgres.shared().migratedClient(prefix: "deletion", ReportingStore.migrations, logger: logger)
    }

    /// `count` scored A-11 v2 responses `<idPrefix>-0...`, thumbs up where `up(index)`, as consumed messages.
    static func scored(
        count: Int,
        idPrefix: String,
        agency: String,
        service: String,
        channel: Channel,
        up: (Int) -> Bool
    ) throws -> [KafkaConsumerMessage] {
        let encoder = CivicJSON.makeEncoder()
        return try (0..<count).map { index in
            let event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: "\(idPrefix)-\(index)",
                occurredAt: FixtureTime.now,
                agency: agency,
                service: service,
                channel: channel,
                form: .a11v2,
                answers: Answers(trust: .thumbs(up(index) ? 1 : 0))
            )
            return KafkaConsumerMessage(
                topic: CivicTopic.scored,
                partition: 0,
                offset: Int64(index),
                key: nil,
                value: Array(try encoder.encode(event))
            )
        }
    }
}
