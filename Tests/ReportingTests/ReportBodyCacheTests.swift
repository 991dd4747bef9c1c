import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Reporting
import ServiceLifecycle
import Synchronization
import Testing

@testable import ReportingCore
@testable import ReportingWeb

/// Report bodies computed once per version of their cells: many readers of one version share one
/// computation, every change of the figures (ingest, spam decision, erasure, rebuild) is seen by the next
/// request, a replay changes nothing, and one caller's body is never served to a caller of other agencies.
@Suite(.startsProcesses, .hangGuard) struct ReportBodyCacheTests {
    static let logger = Logger(label: "report-cache-tests")

    /// A gate the test opens, and a count of computations.
    final class Computations: Sendable {
        let count = Atomic<Int>(0)
        let gate = AsyncStream<Void>.makeStream()

        func compute(_ value: String) async -> String {
            count.add(1, ordering: .sequentiallyConsistent)
            for await _ in gate.stream { break }
            return value
        }
    }

    static func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + TestPatience.hang
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw TestEnvironmentError("never: \(what)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func readersOfOneVersionShareOneComputationAndANewerVersionComputesOnceMore() async throws {
        let cache = VersionedCache<String, String>(capacity: 1_000, cost: \.utf8.count)
        let computations = Computations()
        let first = CellVersionStamp(quarters: 1, sum: 1)
        let readers = (0..<20).map { _ in
            Task { try await cache.value(for: "k", at: first) { await computations.compute("v1") } }
        }
        // Everyone but the computing reader has joined; only then may the computation end.
        try await Self.waitUntil("19 readers joined") { await cache.reads[.joined] == 19 }
        // A reader of a newer version waits for the running computation, then computes its own.
        let second = CellVersionStamp(quarters: 1, sum: 2)
        let newer = Task { try await cache.value(for: "k", at: second) { await computations.compute("v2") } }
        computations.gate.continuation.yield()
        var values: [String] = []
        for reader in readers { values.append(try await reader.value.value) }
        #expect(values == Array(repeating: "v1", count: 20))
        try await Self.waitUntil("the newer version computing") { computations.count.load(ordering: .sequentiallyConsistent) == 2 }
        computations.gate.continuation.yield()
        #expect(try await newer.value.value == "v2")
        // Stored at the newer version: served without computing; the old version's value is gone.
        let again = try await cache.value(for: "k", at: second) { "never" }
        #expect(again.value == "v2" && again.outcome == .hit)
        #expect(computations.count.load(ordering: .sequentiallyConsistent) == 2)
        #expect(await cache.reads[.computed] == 2)
    }

    @Test func aFailedComputationIsNotKeptAndMemoryStaysWithinCapacity() async throws {
        struct Refused: Error {}
        let cache = VersionedCache<String, String>(capacity: 10, cost: \.utf8.count)
        let stamp = CellVersionStamp(quarters: 1, sum: 1)
        await #expect(throws: Refused.self) { try await cache.value(for: "a", at: stamp) { throw Refused() } }
        #expect(try await cache.value(for: "a", at: stamp) { "aaaa" }.outcome == .computed)
        #expect(try await cache.value(for: "b", at: stamp) { "bbbb" }.outcome == .computed)
        #expect(try await cache.value(for: "a", at: stamp) { "never" }.outcome == .hit)  // "a" is now the newer use
        // "c" needs room: the least recently used ("b") goes.
        #expect(try await cache.value(for: "c", at: stamp) { "cccc" }.outcome == .computed)
        let usage = await cache.usage
        #expect(usage.values == 2 && usage.cost == 8)
        #expect(try await cache.value(for: "a", at: stamp) { "never" }.outcome == .hit)
        #expect(try await cache.value(for: "b", at: stamp) { "bbbb" }.outcome == .computed)
        // A value dearer than the whole capacity is served, never kept.
        #expect(try await cache.value(for: "d", at: stamp) { String(repeating: "d", count: 11) }.outcome == .computed)
        #expect(try await cache.value(for: "d", at: stamp) { "d" }.value == "d")
        #expect(await cache.usage.cost <= 10)
    }

    @Test func theDashboardsReportsAreComputedOncePerVersionAndEqualAFreshComputation() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "kept_reports", ReportingStore.migrations, logger: Self.logger)
        defer { client.close() }
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        let query = ReportQuery(client: client, minimumCellSize: 5)
        let kept = KeptReports(query: query, versions: CellVersions(client: client), capacity: 1 << 20)
        let reads = try #require(kept.kept)
        var filter = ReportQuery.Filter()
        filter.byService = true
        _ = try await handler.handle(
            try ReportingDeletionTests.scored(count: 12, idPrefix: "i", agency: "IRS", service: "free-file", channel: .web) { $0 < 9 }
        )
        let first = try await kept.reports(filter)
        let second = try await kept.reports(filter)
        let fresh = try await query.reports(filter)
        #expect(first == second && second == fresh)
        #expect(await reads.reads == [.computed: 1, .hit: 1])
        // A change: the next read computes again and has it.
        _ = try await handler.handle(
            try ReportingDeletionTests.scored(count: 3, idPrefix: "j", agency: "IRS", service: "free-file", channel: .web) { _ in true }
        )
        let third = try await kept.reports(filter)
        let freshAfterChange = try await query.reports(filter)
        #expect(third == freshAfterChange && third != second)
        #expect(await reads.reads == [.computed: 2, .hit: 1])
    }

    @Test func everyChangeOfTheFiguresMovesTheVersionAndAReplayDoesNot() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "report_cache", ReportingStore.migrations, logger: Self.logger)
        defer { client.close() }
        let store = ReportingStore(client: client)
        let handler = ReportingHandler(store: store, fiscalYearStartMonth: 10, logger: Self.logger)
        let versions = CellVersions(client: client)
        func stamp(_ agency: String? = nil) async throws -> CellVersionStamp { try await versions.stamp(for: ReportQuery.Filter(agency: agency)) }

        let empty = try await stamp()
        let irs = try ReportingDeletionTests.scored(count: 12, idPrefix: "i", agency: "IRS", service: "free-file", channel: .web) { $0 < 9 }
        _ = try await handler.handle(irs)
        let afterIngest = try await stamp()
        #expect(afterIngest != empty)
        let ssaBefore = try await stamp("SSA")
        _ = try await handler.handle(irs)  // a replay: nothing new, nothing counted
        #expect(try await stamp() == afterIngest)

        _ = try await handler.handle(
            try ReportingDeletionTests.scored(count: 12, idPrefix: "s", agency: "SSA", service: "retirement", channel: .phone) { $0 < 3 }
        )
        let afterSSA = try await stamp()
        #expect(afterSSA != afterIngest)
        #expect(try await stamp("SSA") != ssaBefore)
        let irsOnly = try await stamp("IRS")
        // Another agency's ingest leaves IRS's reports as they were.
        _ = try await handler.handle(
            try ReportingDeletionTests.scored(count: 3, idPrefix: "t", agency: "SSA", service: "retirement", channel: .web) { _ in true }
        )
        #expect(try await stamp("IRS") == irsOnly)
        #expect(try await stamp("SSA") != ssaBefore)

        let decided = try await SpamTriage(client: client).decide(
            eventId: "i-0",
            agency: "IRS",
            decision: .spam,
            actor: "test",
            note: nil,
            requestId: "r-1"
        )
        #expect(decided?.changed == true)
        #expect(try await stamp("IRS") != irsOnly)
        let afterSpam = try await stamp()

        _ = try await store.erase(ReportingDeletionTests.request(["i-1"], agency: "IRS", reason: "respondent asked"))
        let afterErasure = try await stamp()
        #expect(afterErasure != afterSpam)

        _ = try await store.rebuild()
        #expect(try await stamp() != afterErasure)

        // A quarter's report (with its trend: the quarter before too) stays as it was while a later quarter
        // ingests; a report of every quarter does not.
        var firstQuarter = ReportQuery.Filter(agency: "IRS", fiscalYear: 2027, quarter: 1)
        firstQuarter.trend = true
        let quarterBefore = try await versions.stamp(for: firstQuarter)
        let everyQuarterBefore = try await stamp("IRS")
        let later = try ReportingDeletionTests.scored(count: 4, idPrefix: "q3", agency: "IRS", service: "free-file", channel: .web) { _ in true }
            .map { message in
                var event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(message.value))
                event.occurredAt = Timestamp.parse("2027-05-02T12:00:00Z") ?? event.occurredAt  // FY2027 Q3
                var moved = message
                moved.value = Array(try CivicJSON.makeEncoder().encode(event))
                return moved
            }
        _ = try await handler.handle(later)
        #expect(try await versions.stamp(for: firstQuarter) == quarterBefore)
        #expect(try await stamp("IRS") != everyQuarterBefore)
        // The quarter after the first (whose trend reads the first) moves with the first quarter's changes.
        let secondQuarter = ReportQuery.Filter(agency: "IRS", fiscalYear: 2027, quarter: 2)
        let secondBefore = try await versions.stamp(for: secondQuarter)
        _ = try await handler.handle(
            try ReportingDeletionTests.scored(count: 2, idPrefix: "q1", agency: "IRS", service: "free-file", channel: .web) { _ in true }
        )
        #expect(try await versions.stamp(for: secondQuarter) != secondBefore)
        #expect(try await versions.stamp(for: firstQuarter) != quarterBefore)
    }

    @Test func theNextRequestSeesEveryChangeAndNoCallerGetsAnotherAgencysBody() async throws {
        let broker = try await TestBroker()
        let database = try await TestPostgres.shared().makeDatabase(prefix: "report_cache_http")
        var runtime = RuntimeConfiguration(serviceName: "reporting", broker: broker)
        runtime.postgresURL = database
        runtime.httpPort = try freeLoopbackPort()
        var configuration = ReportingConfiguration(runtime: runtime)
        let adminToken = TestHTTP.randomSecret()
        configuration.adminToken = adminToken
        #expect(configuration.reportCacheBytes > 0)  // bodies are kept by default
        let services = try await buildReporting(configuration: configuration, registry: nil, logger: Self.logger)
        let group = ServiceGroup(services: services, logger: Self.logger)
        let runner = Task { try await group.run() }
        do {
            try await Self.readAfterChanges(base: "http://127.0.0.1:\(runtime.httpPort)", database: database, adminToken: adminToken)
        } catch {
            await group.triggerGracefulShutdown()
            _ = await runner.result
            throw error
        }
        await group.triggerGracefulShutdown()
        _ = await runner.result
        await broker.kill()
    }

    static func readAfterChanges(base: String, database: String, adminToken: String) async throws {
        try await Self.waitUntil("reporting answering") { (try? await TestHTTP.send("GET", base + "/health").status) == 200 }
        let everyAgency = try await TestHTTP.mintReportingToken(base: base, adminToken: adminToken, agency: "*", role: "viewer")
        let irsViewer = try await TestHTTP.mintReportingToken(base: base, adminToken: adminToken, agency: "IRS", role: "viewer")

        // Another replica's writes: a second store on the same database.
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: database), logger: Self.logger)
        defer { client.close() }
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)

        struct Body: Decodable {
            struct Row: Decodable {
                var agency: String
                var responses: Int?
            }
            var reports: [Row]
        }
        func reports(_ path: String, as token: String) async throws -> [String: Int] {
            let answer = try await TestHTTP.send("GET", base + path, bearer: token)
            guard answer.status == 200 else { throw TestEnvironmentError("\(path) answered \(answer.status): \(answer.text)") }
            let body = try JSONDecoder().decode(Body.self, from: answer.body)
            return Dictionary(body.reports.map { ($0.agency, $0.responses ?? 0) }, uniquingKeysWith: +)
        }

        _ = try await handler.handle(
            try ReportingDeletionTests.scored(count: 12, idPrefix: "i", agency: "IRS", service: "free-file", channel: .web) { $0 < 9 }
        )
        _ = try await handler.handle(
            try ReportingDeletionTests.scored(count: 15, idPrefix: "s", agency: "SSA", service: "retirement", channel: .phone) { $0 < 3 }
        )
        // The dashboard keeps its reports the same way: the figure each cell card shows.
        func dashboardResponses(as token: String) async throws -> [String: String] {
            let answer = try await TestHTTP.send("GET", base + "/dashboard", bearer: token)
            guard answer.status == 200 else { throw TestEnvironmentError("/dashboard answered \(answer.status)") }
            var shown: [String: String] = [:]
            for cell in ["IRS/free-file", "SSA/retirement"] {
                let marker = "data-figure=\"responses\" data-cell=\"\(cell)\">"
                guard let start = answer.text.range(of: marker)?.upperBound else { continue }
                shown[cell] = String(answer.text[start...].prefix { $0 != "<" })
            }
            return shown
        }
        #expect(try await reports("/v1/reports?trend=false", as: everyAgency) == ["IRS": 12, "SSA": 15])
        #expect(try await reports("/v1/reports?trend=false", as: everyAgency) == ["IRS": 12, "SSA": 15])
        // The same path for a caller of one agency: that agency's rows only, never the body kept for everyone.
        #expect(try await reports("/v1/reports?trend=false", as: irsViewer) == ["IRS": 12])
        #expect(try await dashboardResponses(as: everyAgency) == ["IRS/free-file": "12", "SSA/retirement": "15"])
        #expect(try await dashboardResponses(as: everyAgency) == ["IRS/free-file": "12", "SSA/retirement": "15"])
        #expect(try await dashboardResponses(as: irsViewer) == ["IRS/free-file": "12"])

        // Ingest elsewhere: the very next request has it.
        _ = try await handler.handle(
            try ReportingDeletionTests.scored(count: 3, idPrefix: "j", agency: "IRS", service: "free-file", channel: .web) { _ in true }
        )
        #expect(try await reports("/v1/reports?trend=false", as: everyAgency) == ["IRS": 15, "SSA": 15])
        #expect(try await reports("/v1/reports?trend=false", as: irsViewer) == ["IRS": 15])
        #expect(try await dashboardResponses(as: everyAgency) == ["IRS/free-file": "15", "SSA/retirement": "15"])
        #expect(try await dashboardResponses(as: irsViewer) == ["IRS/free-file": "15"])
        // An erasure too.
        _ = try await ReportingStore(client: client).erase(ReportingDeletionTests.request(["s-0", "s-1"], agency: "SSA", reason: "test submissions"))
        #expect(try await reports("/v1/reports?trend=false", as: everyAgency) == ["IRS": 15, "SSA": 13])
        #expect(try await reports("/v1/reports?trend=false&agency=SSA", as: everyAgency) == ["SSA": 13])
        #expect(try await dashboardResponses(as: everyAgency) == ["IRS/free-file": "15", "SSA/retirement": "13"])
    }
}
