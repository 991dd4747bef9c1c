import CivicInsights
import CivicJSON
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

/// `GET /v1/reports/themes` and `/drivers` against the real reporting service (in process, real broker and
/// PostgreSQL), fed the planted corpus over Kafka: planted themes found, small themes and rows withheld with
/// their complements, examples for analysts only, another agency's caller refused, the same answer twice.
@Suite(.startsProcesses, .serialized, .hangGuard)
struct InsightRoutesTests {
    /// The service and its data, once for the suite.
    final class Fixture: Sendable {
        static let minimumCellSize = 10
        static let shared = Task { try await Fixture() }

        let base: String
        let database: String
        let viewer: String
        let analyst: String
        let otherViewer: String
        let sbaViewer: String
        /// The service's places for analyses (one), which a test can fill.
        let analyses = ConcurrencyLimit(limit: 1)
        private let group: ServiceGroup
        private let runner: Task<Void, any Error>

        private init() async throws {
            let logger = Logger(label: "insights-fixture")
            let broker = try await TestBroker()
            let database = try await TestPostgres.shared().makeDatabase(prefix: "insights")
            var runtime = RuntimeConfiguration(serviceName: "reporting", broker: broker)
            runtime.postgresURL = database
            runtime.httpPort = try freeLoopbackPort()
            runtime.batchSize = 200
            var configuration = ReportingConfiguration(runtime: runtime)
            configuration.minimumCellSize = Self.minimumCellSize
            let adminToken = TestHTTP.randomSecret()
            configuration.adminToken = adminToken
            let services = try await buildReporting(configuration: configuration, registry: nil, logger: logger, insightAnalyses: analyses)
            let group = ServiceGroup(services: services, logger: logger)
            self.group = group
            runner = Task {
                try await group.run()
                _ = broker
            }
            self.database = database
            base = "http://127.0.0.1:\(runtime.httpPort)"

            let events = Self.events()
            let producer = try KafkaProducer(configuration: runtime.kafkaProducer, logger: logger)
            let encoder = CivicJSON.makeEncoder()
            let messages = try events.map {
                KafkaOutboundMessage(topic: CivicTopic.scored, key: $0.eventId, value: Array(try encoder.encode($0)))
            }
            _ = try await producer.send(messages)
            await producer.close()
            let client = PostgresClient(configuration: PostgresConfiguration(connectionString: database), logger: logger)
            defer { client.close() }
            let deadline = ContinuousClock.now + TestPatience.hang
            while true {
                let stored = try? await client.query("SELECT count(*) AS n FROM reporting.feedback")
                if let n = try stored?.first?.require("n", as: Int.self), n == events.count { break }
                guard ContinuousClock.now < deadline else { throw TestEnvironmentError("reporting did not store all \(events.count) events") }
                try await Task.sleep(for: .milliseconds(200))
            }
            viewer = try await TestHTTP.mintReportingToken(base: base, adminToken: adminToken, agency: "VA", role: "viewer")
            analyst = try await TestHTTP.mintReportingToken(base: base, adminToken: adminToken, agency: "VA", role: "analyst")
            otherViewer = try await TestHTTP.mintReportingToken(base: base, adminToken: adminToken, agency: "SSA", role: "viewer")
            sbaViewer = try await TestHTTP.mintReportingToken(base: base, adminToken: adminToken, agency: "SBA", role: "viewer")
        }

        static let q2 = DataSetGenerator.quarterStart(FiscalQuarter(fiscalYear: 2027, quarter: 2))
        static let q1 = DataSetGenerator.quarterStart(FiscalQuarter(fiscalYear: 2027, quarter: 1))

        /// VA: `benefits` on web and phone (A-11 v2, the planted corpus; the previous quarter without the
        /// `next steps` theme) and on mobile (12 comments), `pension` on web (A-11 v1, planted Likert effects);
        /// SBA: 5 comments, all about one theme; SSA: 40 comments.
        static func events() -> [FeedbackEvent] {
            var events: [FeedbackEvent] = []
            func v2(_ comment: PlantedCommentCorpus.Comment, agency: String, service: String, channel: Channel, at date: Date) -> FeedbackEvent {
                comment.scoredV2Event(agency: agency, service: service, channel: channel, at: date)
            }
            let current = PlantedCommentCorpus(seed: 32, count: 1_200)
            for index in 0..<current.count {
                let date = q2.addingTimeInterval(Double(index) * 60)
                events.append(v2(current.comment(at: index), agency: "VA", service: "benefits", channel: index % 2 == 0 ? .web : .phone, at: date))
            }
            let previous = PlantedCommentCorpus(seed: 31, count: 800, absentThemes: [6])
            for index in 0..<previous.count {
                let date = q1.addingTimeInterval(Double(index) * 60)
                events.append(v2(previous.comment(at: index), agency: "VA", service: "benefits", channel: index % 2 == 0 ? .web : .phone, at: date))
            }
            // Their comments are filler only: the generator's themes are independent of v1 answers, and mixed in
            // they would only dilute the v2 classes.
            let legacy = PlantedCommentCorpus(seed: 77, count: 600, absentThemes: Set(PlantedCommentCorpus.themes.indices))
            for index in 0..<legacy.count {
                let comment = legacy.comment(at: index)
                let likert = Dictionary(uniqueKeysWithValues: zip(PlantedCommentCorpus.v1Effects.map(\.name), comment.likert))
                var event = FeedbackEvent(
                    schema: SchemaVersion.scored,
                    eventId: comment.eventId + "-pension",
                    occurredAt: q2.addingTimeInterval(Double(index) * 60 + 30),
                    agency: "VA",
                    service: "pension",
                    channel: .web,
                    form: .a11v1,
                    answers: Answers(
                        trust: .legacy(comment.trustValue),
                        satisfaction: likert["satisfaction"],
                        effectiveness: likert["effectiveness"],
                        ease: likert["ease"],
                        efficiency: likert["efficiency"],
                        transparency: likert["transparency"],
                        employee: likert["employee"]
                    ),
                    comment: comment.text
                )
                event.respondent = Respondent(status: .anonymous)
                event.spam = SpamAssessment(flagged: false, reasons: [])
                event.sentiment = SentimentScores(neg: 0, neu: 1, pos: 0, compound: comment.sentiment)
                events.append(event)
            }
            // A channel of 12 comments without a trust answer: its rows are published, but most themes are
            // under the minimum there, so their counts are withheld with complements (the drivers are unaffected).
            let mobile = PlantedCommentCorpus(seed: 33, count: 12)
            for index in 0..<mobile.count {
                var event = v2(
                    mobile.comment(at: index),
                    agency: "VA",
                    service: "benefits",
                    channel: .mobile,
                    at: q2.addingTimeInterval(Double(index) * 90 + 7)
                )
                event.eventId += "-mobile"
                event.answers = Answers()
                events.append(event)
            }
            // An agency with 5 comments, all about one theme: nothing of it is published.
            for index in 0..<5 {
                var comment = current.comment(at: index)
                comment.text = "I waited on hold for hours. The wait on hold was far too long."
                events.append(v2(comment, agency: "SBA", service: "loans", channel: .web, at: q2.addingTimeInterval(Double(index) * 90 + 11)))
            }
            let other = PlantedCommentCorpus(seed: 5, count: 40)
            for index in 0..<other.count {
                events.append(
                    v2(other.comment(at: index), agency: "SSA", service: "benefits", channel: .web, at: q2.addingTimeInterval(Double(index) * 45))
                )
            }
            return events
        }

        func get(_ path: String, token: String) async throws -> TestHTTP.Answer {
            try await TestHTTP.send("GET", base + path, bearer: token)
        }
    }

    struct Themes: Decodable {
        var minimumCellSize: Int
        var reports: [ThemesReport]
    }

    struct Drivers: Decodable {
        var minimumN: Int
        var reports: [DriversReport]
    }

    static let quarter = "fiscalYear=2027&quarter=2"

    @Test func plantedThemesArePublishedWithTheirFigures() async throws {
        let fixture = try await Fixture.shared.value
        let answer = try await fixture.get("/v1/reports/themes?agency=VA&\(Self.quarter)", token: fixture.viewer)
        #expect(answer.status == 200, "\(answer.text.prefix(300))")
        let body = try JSONDecoder().decode(Themes.self, from: answer.body)
        #expect(body.reports.count == 1)
        #expect(body.reports.first?.comments == 1_200 + 12 + 600)
        // Every grouping: a theme whose count is withheld somewhere (the 12 mobile comments make complements)
        // is published in other rows.
        var rows = body.reports
        for grouping in ["groupBy=service", "groupBy=channel", "groupBy=service,channel"] {
            rows += try JSONDecoder().decode(
                Themes.self,
                from: try await fixture.get("/v1/reports/themes?agency=VA&\(grouping)&\(Self.quarter)", token: fixture.viewer).body
            ).reports
        }
        let published = rows.flatMap(\.themes)
        // Each planted theme is found, as one theme, named by one of its words; nothing else is.
        let keywords = ["hold", "password", "refund", "helpful", "confusing", "website", "steps"]
        for keyword in keywords {
            let labels = Set(published.filter { ($0.terms + [$0.label]).contains { $0.contains(keyword) } }.map(\.label))
            #expect(labels.count == 1, "\(keyword): \(Set(published.map(\.label)))")
        }
        #expect(Set(published.map(\.label)).count == keywords.count, "\(Set(published.map(\.label)))")
        for theme in published {
            #expect(theme.count >= Fixture.minimumCellSize)
            #expect(theme.share.lower <= theme.share.share && theme.share.share <= theme.share.upper)
            #expect(theme.examples == nil, "a viewer sees no example comment")
            #expect(theme.meanSentiment != nil)
        }
        // The theme absent from the previous quarter is new wherever it has a trend; the others are compared.
        let steps = published.filter { $0.terms.contains { $0.contains("steps") } }.compactMap(\.trend)
        #expect(!steps.isEmpty && steps.allSatisfy { $0.status == "new" && $0.change == nil })
        let waits = published.filter { $0.terms.contains { $0.contains("hold") } }
        #expect(waits.compactMap(\.trend).contains { ["steady", "rising", "falling"].contains($0.status) && $0.change != nil })
        let wait = try #require(waits.first)
        // (Not `trust:down` here: the v1 respondents' trust answers, mostly 3 or under, share that class.)
        #expect(wait.goesWith.contains("didNotGoWell:efficiency"))
        #expect((wait.meanSentiment ?? 0) < 0)
    }

    @Test func smallRowsAndThemesAreWithheldWithTheirComplements() async throws {
        let fixture = try await Fixture.shared.value
        // The agency with 5 comments: its row is withheld and no theme of it appears.
        let crossAnalyst = try await fixture.get("/v1/reports/themes?agency=SBA&groupBy=service,channel&\(Self.quarter)", token: fixture.sbaViewer)
        let sba = try JSONDecoder().decode(Themes.self, from: crossAnalyst.body)
        #expect(!sba.reports.isEmpty)
        #expect(sba.reports.allSatisfy { $0.suppressed && $0.comments == nil && $0.themes.isEmpty })

        // VA: every grouping; no published theme count is under the minimum, and an adversary who adds and
        // subtracts the published counts along every published sum derives no count under it either.
        var rows: [ThemesReport] = []
        for grouping in ["", "&groupBy=service", "&groupBy=channel", "&groupBy=service,channel"] {
            let answer = try await fixture.get("/v1/reports/themes?agency=VA\(grouping)&\(Self.quarter)", token: fixture.analyst)
            #expect(answer.status == 200)
            rows += try JSONDecoder().decode(Themes.self, from: answer.body).reports
        }
        let mobile = try #require(rows.first { $0.service == "benefits" && $0.channel == "mobile" })
        #expect(mobile.comments == 12)
        #expect(mobile.themes.count < 7, "most themes are under the minimum in 12 comments")
        let labels = Set(rows.flatMap { $0.themes.map(\.label) })
        for label in labels.sorted() {
            var known: [String: Int] = [:]
            func key(_ service: String?, _ channel: String?) -> String { "\(service ?? "*")|\(channel ?? "*")" }
            for row in rows { if let theme = row.themes.first(where: { $0.label == label }) { known[key(row.service, row.channel)] = theme.count } }
            #expect(known.values.allSatisfy { $0 >= Fixture.minimumCellSize })
            let cells = rows.filter { $0.service != nil && $0.channel != nil }.map { ($0.service ?? "", $0.channel ?? "") }
            let services = Set(cells.map(\.0))
            let channels = Set(cells.map(\.1))
            var sums: [(String, [String])] = [
                (key(nil, nil), services.map { key($0, nil) }), (key(nil, nil), channels.map { key(nil, $0) }),
            ]
            for service in services { sums.append((key(service, nil), cells.filter { $0.0 == service }.map { key($0.0, $0.1) })) }
            for channel in channels { sums.append((key(nil, channel), cells.filter { $0.1 == channel }.map { key($0.0, $0.1) })) }
            var changed = true
            while changed {
                changed = false
                for (total, parts) in sums {
                    let unknown = ([total] + parts).filter { known[$0] == nil }
                    guard unknown.count == 1, let missing = unknown.first else { continue }
                    let partsSum = parts.compactMap { known[$0] }.reduce(0, +)
                    let value = missing == total ? partsSum : (known[total] ?? 0) - partsSum
                    known[missing] = value
                    changed = true
                    #expect(value == 0 || value >= Fixture.minimumCellSize, "\(label): \(missing) derived as \(value)")
                }
            }
        }
    }

    @Test func examplesAreForAnalystsOnlyAndAudited() async throws {
        let fixture = try await Fixture.shared.value
        let path = "/v1/reports/themes?agency=VA&service=benefits&\(Self.quarter)"
        let viewed = try JSONDecoder().decode(Themes.self, from: try await fixture.get(path, token: fixture.viewer).body)
        #expect(viewed.reports.allSatisfy { $0.themes.allSatisfy { $0.examples == nil } })
        let analysed = try JSONDecoder().decode(Themes.self, from: try await fixture.get(path, token: fixture.analyst).body)
        let examples = analysed.reports.flatMap { $0.themes.flatMap { $0.examples ?? [] } }
        #expect(!examples.isEmpty)
        #expect(analysed.reports.allSatisfy { $0.themes.allSatisfy { ($0.examples?.count ?? 0) <= 3 } })
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: fixture.database), logger: Logger(label: "insights"))
        defer { client.close() }
        let audited = try await client.query(
            "SELECT count(*) AS n FROM reporting_audit.audit_log WHERE action = 'respondent_export' AND target = '/v1/reports/themes' AND agency = 'VA'"
        )
        #expect(try audited.first?.require("n", as: Int.self) ?? 0 >= 1)
    }

    @Test func analysesPastTheLimitAreRefusedWithRetryAfterAndTheDashboardSaysSo() async throws {
        let fixture = try await Fixture.shared.value
        let held = try #require(fixture.analyses.start(), "the fixture's one place was taken")
        // Rows no other test asks for, so no answer is kept for them yet: each needs an analysis.
        let fresh = [
            "/v1/reports/themes?agency=VA&service=benefits&channel=phone&\(Self.quarter)",
            "/v1/reports/drivers?agency=VA&service=benefits&channel=phone&\(Self.quarter)",
        ]
        for path in fresh {
            let refused = try await fixture.get(path, token: fixture.viewer)
            #expect(refused.status == 429, "\(path): \(refused.status) \(refused.text.prefix(200))")
            #expect(refused.text.contains(#""code":"insights_in_progress""#), "\(refused.text.prefix(200))")
            #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 > 0, "\(refused.headers)")
        }
        let summary = try await fixture.get("/v1/exports/summary.html?agency=VA&\(Self.quarter)", token: fixture.analyst)
        #expect(summary.status == 429, "\(summary.status) \(summary.text.prefix(200))")
        let dashboard = try await fixture.get("/dashboard?agency=VA&\(Self.quarter)", token: fixture.viewer)
        #expect(dashboard.status == 200, "\(dashboard.status)")
        #expect(dashboard.text.contains("Themes and key drivers are being computed for other readers"))
        held.finish()
        // The place is free again: every route answers.
        var answers: [String] = []
        for path in fresh {
            let answer = try await fixture.get(path, token: fixture.viewer)
            #expect(answer.status == 200, "\(path)")
            answers.append(answer.text)
        }
        // An answer kept for these rows is served while every place is taken again: no analysis is needed.
        let heldAgain = try #require(fixture.analyses.start(), "the fixture's one place was taken")
        for (path, first) in zip(fresh, answers) {
            let kept = try await fixture.get(path, token: fixture.viewer)
            #expect(kept.status == 200 && kept.text == first, "\(path): \(kept.status)")
        }
        heldAgain.finish()
        #expect(try await fixture.get("/v1/exports/summary.html?agency=VA&\(Self.quarter)", token: fixture.analyst).status == 200)
        let shown = try await fixture.get("/dashboard?agency=VA&\(Self.quarter)", token: fixture.viewer)
        #expect(!shown.text.contains("being computed for other readers"))
    }

    @Test func anotherAgencysCallerIsRefused() async throws {
        let fixture = try await Fixture.shared.value
        for route in ["themes", "drivers"] {
            let refused = try await fixture.get("/v1/reports/\(route)?agency=VA&\(Self.quarter)", token: fixture.otherViewer)
            #expect(refused.status == 403, "\(route): \(refused.text.prefix(200))")
            // Without an agency, only the caller's own agency is read.
            let own = try await fixture.get("/v1/reports/\(route)?\(Self.quarter)", token: fixture.otherViewer)
            #expect(own.status == 200)
            #expect(!own.text.contains("\"VA\""), "\(route)")
            #expect(own.text.contains("\"SSA\""), "\(route)")
            let missing = try await fixture.get("/v1/reports/\(route)?agency=VA&fiscalYear=2027", token: fixture.viewer)
            #expect(missing.status == 400)
            #expect(missing.text.contains("quarter"))
        }
    }

    @Test func keyDriversOfBothForms() async throws {
        let fixture = try await Fixture.shared.value
        let answer = try await fixture.get("/v1/reports/drivers?agency=VA&groupBy=service&\(Self.quarter)", token: fixture.viewer)
        #expect(answer.status == 200, "\(answer.text.prefix(300))")
        let body = try JSONDecoder().decode(Drivers.self, from: answer.body)
        #expect(body.minimumN == 200)
        let pension = try #require(body.reports.first { $0.service == "pension" })
        let trust = try #require(pension.analyses.first { $0.form == "a11-v1" && $0.outcome == "trust" })
        #expect(!trust.suppressed && trust.n == 600)
        // The planted order of the strongest three (0.30, 0.22, 0.15), and the strongest's interval covers it.
        #expect(trust.drivers.prefix(3).map(\.name) == ["ease", "efficiency", "satisfaction"])
        let ease = try #require(trust.drivers.first)
        #expect((ease.coefficientLower ?? 1) <= 0.30 && 0.30 <= (ease.coefficientUpper ?? 0))
        let benefits = try #require(body.reports.first { $0.service == "benefits" })
        let v2 = try #require(benefits.analyses.first { $0.form == "a11-v2" })
        #expect(!v2.suppressed && v2.n == 1_200)
        // On v2, the options are never predictors (they are shown after the trust answer); themes are, and the
        // strongest planted one (long waits on hold, -0.20) leads.
        #expect(!v2.predictors.contains { $0.hasPrefix("wentWell") || $0.hasPrefix("didNotGoWell") })
        #expect(v2.drivers.first?.name.contains("hold") == true || v2.drivers.first?.name.contains("wait") == true, "\(v2.drivers.map(\.name))")
        // Too few respondents: withheld.
        let small = try JSONDecoder().decode(
            Drivers.self,
            from: try await fixture.get("/v1/reports/drivers?agency=SBA&\(Self.quarter)", token: fixture.sbaViewer).body
        )
        #expect(!small.reports.isEmpty)
        #expect(small.reports.allSatisfy { $0.analyses.allSatisfy { $0.suppressed && $0.n == nil && $0.drivers.isEmpty } })
    }

    @Test func dashboardAndQuarterlySummaryShowThemAndNoExample() async throws {
        let fixture = try await Fixture.shared.value
        let analysed = try JSONDecoder().decode(
            Themes.self,
            from: try await fixture.get("/v1/reports/themes?agency=VA&groupBy=service&\(Self.quarter)", token: fixture.analyst).body
        )
        let examples = analysed.reports.flatMap { $0.themes.flatMap { $0.examples ?? [] } }
        let example = try #require(examples.first)
        let labels = Set(analysed.reports.flatMap { $0.themes.map(\.label) })
        for path in ["/dashboard?agency=VA&\(Self.quarter)", "/v1/exports/summary.html?agency=VA&\(Self.quarter)"] {
            // The analyst may read examples through the API, but neither page ever shows one.
            let page = try await fixture.get(path, token: fixture.analyst)
            #expect(page.status == 200, "\(path): \(page.text.prefix(300))")
            #expect(page.text.contains("What goes with trust"), "\(path)")
            #expect(labels.contains { page.text.contains($0) }, "\(path)")
            #expect(!page.text.contains(example), "\(path)")
        }
    }

    @Test func theSameDataGivesTheSameAnswer() async throws {
        let fixture = try await Fixture.shared.value
        // The routes keep their answers: two analyses of the same rows, computed here, must agree with each
        // other and with what the routes serve.
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: fixture.database), logger: Logger(label: "insights"))
        defer { client.close() }
        let insights = InsightsQuery(client: client, minimumCellSize: Fixture.minimumCellSize, driverSettings: DriverSettings())
        let quarter = FiscalQuarter(fiscalYear: 2027, quarter: 2)
        let encoder = CivicJSON.makeEncoder()

        var byChannel = ReportQuery.Filter(agency: "VA", byChannel: true)
        byChannel.agencies = .only(["VA"])
        let themes = try await [1, 2].asyncMap { _ in
            try encoder.encode(
                ThemesBody(minimumCellSize: Fixture.minimumCellSize, reports: try await insights.themes(byChannel, quarter: quarter) { _ in false })
            )
        }
        #expect(themes[0] == themes[1])
        let servedThemes = try await fixture.get("/v1/reports/themes?agency=VA&groupBy=channel&\(Self.quarter)", token: fixture.viewer)
        #expect(servedThemes.status == 200 && servedThemes.body == themes[0])

        var benefits = ReportQuery.Filter(agency: "VA", service: "benefits")
        benefits.agencies = .only(["VA"])
        let drivers = try await [1, 2].asyncMap { _ in
            try encoder.encode(
                DriversBody(
                    minimumCellSize: Fixture.minimumCellSize,
                    minimumN: max(Fixture.minimumCellSize, DriverSettings().minimumN),
                    reports: try await insights.drivers(benefits, quarter: quarter)
                )
            )
        }
        #expect(drivers[0] == drivers[1])
        let servedDrivers = try await fixture.get("/v1/reports/drivers?agency=VA&service=benefits&\(Self.quarter)", token: fixture.viewer)
        #expect(servedDrivers.status == 200 && servedDrivers.body == drivers[0])
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
