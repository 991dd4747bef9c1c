import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The stages' "store the batch except erased events" against a real PostgreSQL: the erased events' rows are
/// neither stored nor handed on, their keys come back, and a batch with nothing left stores nothing.
@Suite(.hangGuard) struct ErasedEventsStoreTests {
    @Test func storesAllButTheErasedEventsAndReturnsTheirKeys() async throws {
        let client = try await TestPostgres.shared().migratedClient(
            prefix: "erased_store",
            ErasedEventsTests.migrations,
            logger: ErasedEventsTests.logger
        )
        defer { client.close() }
        let erased = ErasedEventsTests.erased
        let kept = EventKey(agency: "IRS", eventId: "e-1")
        let gone = EventKey(agency: "IRS", eventId: "e-2")
        _ = try await client.withTransaction { connection in
            try await erased.erase([gone], from: [ErasedEventsTests.rows], cause: .request, requestId: "r-1", on: connection)
        }

        var handed: [[EventKey]] = []
        let store = { (rows: [EventKey], connection: PostgresConnection) async throws in
            handed.append(rows)
            _ = try await connection.insert(
                into: "demo.rows",
                columns: ["agency", "event_id", "stored_at"],
                rows: rows.map { [$0.agency, $0.eventId, Date()] },
                suffix: "ON CONFLICT (agency, event_id) DO NOTHING"
            )
        }
        let found = try await erased.store([kept, gone, kept], key: \.self, in: client) { try await store($0, $1) }
        #expect(found == [gone])
        let onlyErased = try await erased.store([gone], key: \.self, in: client) { try await store($0, $1) }
        #expect(onlyErased == [gone])
        let nothing = try await erased.store([EventKey](), key: \.self, in: client) { try await store($0, $1) }
        #expect(nothing.isEmpty)

        #expect(handed == [[kept, kept]], "only the batch with rows left reached the store, without the erased event")
        let stored = try await client.query("SELECT agency, event_id FROM demo.rows ORDER BY event_id")
        #expect(try stored.rows.map { EventKey(agency: try $0.require("agency"), eventId: try $0.require("event_id")) } == [kept])
    }

    @Test func excludingKeepsOrderAndDropsOnlyTheErased() {
        let rows = ["a", "b", "a", "c"].map { EventKey(agency: "IRS", eventId: $0) }
        #expect(ErasedEvents.excluding([], from: rows, key: \.self) == rows)
        #expect(
            ErasedEvents.excluding([EventKey(agency: "IRS", eventId: "a")], from: rows, key: \.self).map(\.eventId) == ["b", "c"]
        )
    }
}
