import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import Reporting
@testable import ReportingCore
@testable import ReportingExports
@testable import ReportingWeb

/// The journey and relationship levels and the quarterly exports of the real reporting service, fed a
/// generated data set over a real broker into a real PostgreSQL, checked against the generator's own
/// ground truth (who the person really is, which journey an event really belongs to).
@Suite(.startsProcesses, .hangGuard)
struct ReportingLevelsAndExportsTests {
    static let touchpointsHeader =
        "external_id,question_1,positive_effectiveness,positive_ease,positive_efficiency,positive_transparency,positive_humanity,positive_employee,positive_other,negative_effectiveness,negative_ease,negative_efficiency,negative_transparency,negative_humanity,negative_employee,negative_other,question_4"

    static let q2 = DataSetGenerator.fy27q2

    // MARK: - Journeys

    @Test func journeyFunnelCompletionAndTrustMatchAnIndependentRecount() async throws {
        let fixture = try await ReportingFixture.shared()
        let (status, data) = try await fixture.get("/v1/reports/journeys?agency=DOL&service=unemployment&fiscalYear=2027&quarter=2")
        #expect(status == 200)
        let report = try CivicJSON.makeDecoder().decode(JourneyReport.self, from: data)

        let stages = ReportingFixture.journeyStages
        let counted = fixture.responses.filter { !$0.spam && $0.event.service == "unemployment" && $0.event.level == .journey }
        let byJourney = Dictionary(grouping: counted.filter { $0.journey != nil }, by: { $0.journey! })
        let started = byJourney.filter { $0.value.map(\.event.occurredAt).min().map { Self.isInQ2($0) } ?? false }
        var furthest: [Int] = []
        var lastTrust: [Bool] = []
        var unlisted = 0
        for (_, responses) in started {
            let ordered = responses.sorted { $0.event.occurredAt < $1.event.occurredAt }
            furthest.append(ordered.compactMap { $0.event.stage.flatMap(stages.firstIndex(of:)) }.max() ?? -1)
            unlisted += ordered.filter { $0.event.stage.flatMap(stages.firstIndex(of:)) == nil }.count
            if let trust = ordered.last(where: { $0.event.answers.trust != nil })?.event.answers.trust {
                lastTrust.append(trust.isFavourable)
            }
        }
        #expect(started.count == 60, "60 journeys start in the quarter; the three that started earlier belong to Q1")
        #expect(report.suppressed == false)
        #expect(report.stageOrder == "configured")
        #expect(report.stages == stages)
        #expect(report.journeys == started.count)
        #expect(report.completion?.favourable == furthest.filter { $0 == 3 }.count)
        #expect(report.completion?.n == started.count)
        #expect(report.funnel?.map(\.stage) == stages)
        #expect(report.funnel?.map(\.reached) == stages.indices.map { index in furthest.filter { $0 >= index }.count })
        #expect(report.funnel?.map(\.droppedOff) == stages.indices.map { index in index == 3 ? 0 : furthest.filter { $0 == index }.count })
        #expect(report.trust?.n == lastTrust.count)
        #expect(report.trust?.favourable == lastTrust.filter { $0 }.count)
        #expect(report.responsesAtUnlistedStages == unlisted && unlisted == 2)
        let anonymous = counted.filter { $0.person == nil && Self.isInQ2($0.event.occurredAt) }.count
        #expect(anonymous == 11)
        #expect(report.anonymousResponses == anonymous)
        // The interval is the Wilson interval of completion.
        if let completion = report.completion {
            #expect(completion.lower < completion.share && completion.share < completion.upper)
        }
    }

    @Test func withoutAConfiguredOrderStagesFollowFirstAppearanceAndSmallJourneyCellsAreSuppressed() async throws {
        let fixture = try await ReportingFixture.shared()
        let (_, data) = try await fixture.get("/v1/reports/journeys?agency=DOL&service=passport-renewal&fiscalYear=2027&quarter=2")
        let report = try CivicJSON.makeDecoder().decode(JourneyReport.self, from: data)
        #expect(report.stageOrder == "first-appearance")
        #expect(report.stages == ["start", "upload", "submit"])
        #expect(report.journeys == 12)
        let completed = Set(fixture.responses.filter { $0.event.service == "passport-renewal" && $0.event.stage == "submit" }.map(\.journey))
        #expect(report.completion?.favourable == completed.count)

        let (status, small) = try await fixture.getText("/v1/reports/journeys?agency=DOL&service=small-journeys&fiscalYear=2027&quarter=2")
        #expect(status == 200)
        let smallReport = try CivicJSON.makeDecoder().decode(JourneyReport.self, from: Data(small.utf8))
        #expect(smallReport.suppressed)
        #expect(smallReport.journeys == nil && smallReport.completion == nil && smallReport.funnel == nil && smallReport.trust == nil)
        #expect(!small.contains("\"s0\"") && !small.contains("\"s1\""), "a suppressed cell shows no stages either")
    }

    // MARK: - Relationships

    @Test(arguments: [String?.none, "DOL", "SSA"])
    func relationshipFiguresAndTrustTrendMatchAnIndependentRecount(agency: String?) async throws {
        let fixture = try await ReportingFixture.shared()
        let path = "/v1/reports/relationships?fiscalYear=2027&quarter=2" + (agency.map { "&agency=\($0)" } ?? "")
        let (status, data) = try await fixture.get(path)
        #expect(status == 200)
        let report = try CivicJSON.makeDecoder().decode(RelationshipReport.self, from: data)

        let windowStart = FiscalQuarter(fiscalYear: 2026, quarter: 3)
        let counted = fixture.responses.filter { !$0.spam }
        let matches = { (response: GeneratedResponse) in agency == nil || response.event.agency == agency }
        let people = Set(counted.filter { $0.person != nil && $0.quarter == Self.q2 && matches($0) }.compactMap(\.person))
        var interactions = 0
        var agencies = 0
        var multiAgency = 0
        var trustN = 0
        var trustFavourable = 0
        var trend = [0, 0, 0]  // declined, unchanged, improved
        for person in people {
            let mine = counted.filter { $0.person == person }.sorted { $0.event.occurredAt < $1.event.occurredAt }
            let inQuarter = mine.filter { $0.quarter == Self.q2 }
            interactions += inQuarter.count
            let agencySet = Set(inQuarter.map(\.event.agency))
            agencies += agencySet.count
            if agencySet.count > 1 { multiAgency += 1 }
            if let last = inQuarter.last(where: { matches($0) && $0.event.answers.trust != nil })?.event.answers.trust {
                trustN += 1
                if last.isFavourable { trustFavourable += 1 }
            }
            let answers = mine.filter { matches($0) && $0.quarter >= windowStart && $0.quarter <= Self.q2 }.compactMap(\.event.answers.trust)
            if answers.count >= 2, let first = answers.first, let last = answers.last {
                trend[Self.movement(first, last) + 1] += 1
            }
        }
        let trendN = trend.reduce(0, +)
        #expect(people.count >= 10)
        #expect(report.suppressed == false)
        #expect(report.respondents == people.count)
        #expect(abs((report.interactionsPerRespondent ?? -1) - Double(interactions) / Double(people.count)) < 1e-9)
        #expect(abs((report.agenciesPerRespondent ?? -1) - Double(agencies) / Double(people.count)) < 1e-9)
        #expect(report.multiAgency?.favourable == multiAgency)
        #expect(report.trust?.n == trustN)
        #expect(report.trust?.favourable == trustFavourable)
        #expect(report.trendQuarters == 4)
        if trendN >= ReportingFixture.minimumCellSize {
            #expect(report.trend?.n == trendN)
            #expect(report.trend?.declined?.favourable == trend[0])
            #expect(report.trend?.unchanged?.favourable == trend[1])
            #expect(report.trend?.improved?.favourable == trend[2])
        } else {
            #expect(report.trendSuppressed && report.trend == nil)
        }
        let anonymous = counted.filter { $0.person == nil && $0.quarter == Self.q2 && matches($0) }.count
        if anonymous >= ReportingFixture.minimumCellSize || anonymous == 0 {
            #expect(report.anonymousResponses == anonymous)
        } else {
            #expect(report.anonymousSuppressed && report.anonymousResponses == nil)
        }
    }

    // MARK: - Touchpoints export

    @Test func touchpointsCSVHasTheUploadHeaderAndOneRowPerResponseWithTheNullRule() async throws {
        let fixture = try await ReportingFixture.shared()
        let (status, body) = try await fixture.getText("/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2")
        #expect(status == 200)
        #expect(body.hasPrefix(Self.touchpointsHeader + "\r\n"), "the header must equal DESIGN.md's byte for byte")
        let records = try Self.parseCSV(body)
        #expect(records.first?.joined(separator: ",") == Self.touchpointsHeader)
        let expected = Self.expectedTouchpoints(fixture)
        #expect(expected.count == 25)
        #expect(Array(records.dropFirst()) == expected, "rows, in occurredAt order, with 1/0/null indicators")
        // The quoting cases are really there.
        #expect(body.contains("\"She said \"\"great job\"\" twice\""))
        #expect(body.contains("\"line one\nline two\""))
        #expect(body.contains("\"crlf\r\nend, with \"\"quotes\"\", commas\""))
        #expect(!body.contains("claims-spam") && !body.contains("SPAMCOMMENT"))
    }

    @Test func ndjsonExportCarriesTheSameRows() async throws {
        let fixture = try await ReportingFixture.shared()
        let (status, body) = try await fixture.getText(
            "/v1/exports/touchpoints.ndjson?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2"
        )
        #expect(status == 200)
        let header = Self.touchpointsHeader.split(separator: ",").map(String.init)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: true)
        let expected = Self.expectedTouchpoints(fixture)
        #expect(lines.count == expected.count)
        for (line, row) in zip(lines, expected) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == Set(header))
            for (index, name) in header.enumerated() {
                let value = object[name]
                let text: String =
                    switch value {
                    case is NSNull: index == 16 ? "" : "null"
                    case let number as NSNumber where index > 0 && index < 16: number.stringValue
                    case let string as String: string
                    case let number as NSNumber: number.stringValue
                    default: "?"
                    }
                #expect(text == row[index], "\(name) of \(row[0])")
            }
        }
    }

    // MARK: - Legacy, volumes, suppression

    @Test func legacyCountsPerQuestionAndAnswerAndSuppressedLegacyCells() async throws {
        let fixture = try await ReportingFixture.shared()
        let (status, body) = try await fixture.getText("/v1/exports/legacy.csv?agency=DOL&fiscalYear=2027&quarter=2")
        #expect(status == 200)
        let records = try Self.parseCSV(body)
        let header = try #require(records.first)
        #expect(header.prefix(7) == ["agency", "service", "channel", "fiscal_year", "quarter", "suppressed", "responses"])
        #expect(header[7] == "q1_1" && header.last == "q7_5" && header.count == 42)
        let claims = try #require(records.first { $0[1] == "claims" && $0[2] == "phone" })
        let phone = fixture.responses.filter { $0.event.eventId.hasPrefix("claims-phone-") }
        #expect(claims[5] == "false" && claims[6] == String(phone.count))
        for (question, name) in LegacyCollection.questions.enumerated() {
            for answer in 1...5 {
                let count = phone.filter { response in
                    response.event.answers.likertDrivers.first { $0.name == name }?.value == answer
                }.count
                #expect(claims[7 + question * 5 + answer - 1] == String(count), "q\(question + 1)_\(answer)")
            }
        }
        // A small collection is flagged, and counted all the same: the legacy counts are part of the upload package.
        let tiny = try #require(records.first { $0[1] == "tiny" && $0[2] == "mail" })
        let tinyMail = fixture.responses.filter { $0.event.eventId.hasPrefix("tiny-mail-") && !$0.spam }
        #expect(tiny[5] == "true")
        #expect(tiny[6] == String(tinyMail.filter { $0.event.form == .a11v1 }.count), "\(tiny)")
    }

    @Test func collectionVolumesMatchTheGeneratedEvents() async throws {
        let fixture = try await ReportingFixture.shared()
        let (status, data) = try await fixture.get("/v1/exports/collections?agency=DOL&fiscalYear=2027&quarter=2")
        #expect(status == 200)
        let body = try CivicJSON.makeDecoder().decode(CollectionsBody.self, from: data)
        struct Cell: Hashable {
            var service: String
            var channel: String
        }
        var respondents: [Cell: Int] = [:]
        for response in fixture.responses where !response.spam && response.event.agency == "DOL" && response.quarter == Self.q2 {
            respondents[Cell(service: response.event.service, channel: response.event.channel.rawValue), default: 0] += 1
        }
        var customers: [Cell: Int] = [:]
        var offered: [Cell: Int] = [:]
        for event in fixture.operations {
            let cell = Cell(service: event.service, channel: event.channel.rawValue)
            customers[cell, default: 0] += 1
            if event.surveyOffered == true { offered[cell, default: 0] += 1 }
        }
        let cells = Set(respondents.keys).union(customers.keys).sorted { ($0.service, $0.channel) < ($1.service, $1.channel) }
        let expected = cells.map { cell in
            let n = respondents[cell] ?? 0
            return Collection(
                agency: "DOL",
                service: cell.service,
                channel: cell.channel,
                fiscalYear: 2027,
                quarter: 2,
                suppressed: n < ReportingFixture.minimumCellSize,
                customers: customers[cell] ?? 0,
                offered: offered[cell] ?? 0,
                respondents: n,
                praExpired: 0,
                // The fixture's events name no transaction point: one detail with the collection's volumes.
                transactionPoints: [TransactionPoint(touchpoint: nil, customers: customers[cell] ?? 0, offered: offered[cell] ?? 0, respondents: n)]
            )
        }
        #expect(body.collections == expected)
        #expect(body.collections.contains { $0.service == "claims" && $0.channel == "web" && $0.customers == 40 && $0.offered == 30 })
        #expect(body.collections.contains { $0.service == "tiny" && $0.channel == "web" && $0.suppressed && $0.respondents == 9 })

        let (csvStatus, csv) = try await fixture.getText("/v1/exports/collections.csv?agency=DOL&fiscalYear=2027&quarter=2")
        #expect(csvStatus == 200)
        let records = try Self.parseCSV(csv)
        #expect(records.first == Collection.csvHeader)
        #expect(Array(records.dropFirst()) == expected.map { $0.csvFields.map(\.written) })
    }

    @Test func aCollectionOfNineIsUploadedByTheAnalystAndPublishedNowhere() async throws {
        let fixture = try await ReportingFixture.shared()
        // The upload package holds the small collection: its Touchpoints rows, all nine.
        let (status, upload) = try await fixture.getText("/v1/exports/touchpoints.csv?agency=DOL&service=tiny&channel=web&fiscalYear=2027&quarter=2")
        #expect(status == 200)
        #expect(try Self.parseCSV(upload).dropFirst().count == 9)
        let (ndStatus, lines) = try await fixture.getText(
            "/v1/exports/touchpoints.ndjson?agency=DOL&service=tiny&channel=web&fiscalYear=2027&quarter=2"
        )
        #expect(ndStatus == 200 && lines.split(separator: "\n").count == 9)
        // The published levels show none of it; no export shows spam.
        for path in [
            "/v1/reports/journeys?agency=DOL&service=tiny&fiscalYear=2027&quarter=2",
            "/v1/reports/relationships?agency=DOL&fiscalYear=2027&quarter=2",
        ] {
            let (_, body) = try await fixture.getText(path)
            for secret in ["tiny-web-", "tiny-mail-", "TINYCOMMENT", "ops-tiny", "claims-spam", "SPAMCOMMENT"] {
                #expect(!body.contains(secret), "\(secret) in \(path)")
            }
        }
        for path in [
            "/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2",
            "/v1/exports/touchpoints.ndjson?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2",
            "/v1/exports/touchpoints.csv?agency=DOL&service=tiny&channel=web&fiscalYear=2027&quarter=2",
        ] {
            let (_, body) = try await fixture.getText(path)
            #expect(!body.contains("claims-spam") && !body.contains("SPAMCOMMENT"), "spam in \(path)")
        }
    }

    // MARK: - reporting export

    @Test func exportWritesOneTouchpointsFilePerCollectionIdenticalToTheEndpoint() async throws {
        let fixture = try await ReportingFixture.shared()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-export-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try await exportReporting(
            configuration: fixture.configuration,
            agency: "DOL",
            fiscalYear: 2027,
            quarter: 2,
            directory: directory,
            logger: Logger(label: "export-test")
        )
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files == summary.files.sorted())
        #expect(files.contains("DOL-FY2027Q2-collections.csv") && files.contains("DOL-FY2027Q2-legacy.csv"))
        #expect(summary.suppressed.contains("tiny/web") && summary.suppressed.contains("tiny/mail"))
        #expect(files.contains("DOL-tiny-web-FY2027Q2.csv"), "a small collection's upload is written too")
        let exported = try String(contentsOf: directory.appendingPathComponent("DOL-claims-web-FY2027Q2.csv"), encoding: .utf8)
        let (_, served) = try await fixture.getText("/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2")
        #expect(exported == served)
        let collections = try String(contentsOf: directory.appendingPathComponent("DOL-FY2027Q2-collections.csv"), encoding: .utf8)
        let (_, servedCollections) = try await fixture.getText("/v1/exports/collections.csv?agency=DOL&fiscalYear=2027&quarter=2")
        #expect(collections == servedCollections)
        // Collections with responses but too few A-11 v2 rows (legacy phone, journeys) get no Touchpoints file.
        #expect(!files.contains("DOL-claims-phone-FY2027Q2.csv"))
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("claims-spam") && !text.contains("SPAMCOMMENT"), "\(file)")
        }
    }

    // MARK: - Bad requests

    @Test(arguments: [
        ("/v1/exports/touchpoints.csv?service=claims&channel=web&fiscalYear=2027&quarter=2", "agency"),
        ("/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=fax&fiscalYear=2027&quarter=2", "channel"),
        ("/v1/exports/touchpoints.ndjson?agency=DOL&service=claims&channel=web&fiscalYear=20x7&quarter=2", "fiscalYear"),
        ("/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=5", "quarter"),
        ("/v1/exports/touchpoints.csv?agency=&service=claims&channel=web&fiscalYear=2027&quarter=2", "agency"),
        ("/v1/exports/collections?agency=DOL", "fiscalYear"),
        ("/v1/exports/collections.csv?agency=DOL&fiscalYear=2027&quarter=0", "quarter"),
        ("/v1/exports/legacy.csv?fiscalYear=2027", "agency"),
        ("/v1/reports/journeys?agency=DOL&fiscalYear=2027&quarter=2", "service"),
        ("/v1/reports/relationships?fiscalYear=2027", "quarter"),
    ])
    func badParametersAreRefusedNamingTheField(path: String, field: String) async throws {
        let fixture = try await ReportingFixture.shared()
        let (status, data) = try await fixture.get(path)
        #expect(status == 400)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(body["field"] == field)
        #expect(body["reason"]?.hasPrefix(field) == true, "\(body)")
    }

    @Test func aStageOrderFileThatCannotBeUsedIsRefusedNamingTheProblem() throws {
        let directory = FileManager.default.temporaryDirectory
        func write(_ text: String) throws -> URL {
            let url = directory.appendingPathComponent("civic-stages-\(UUID().uuidString.prefix(8)).json")
            try Data(text.utf8).write(to: url)
            return url
        }
        let cases = [
            (try write("[1, 2]"), "must be a JSON object"),
            (try write(#"{"DOL": ["a"]}"#), "is not \"AGENCY/service\""),
            (try write(#"{"DOL/x": ["a", "a"]}"#), "distinct"),
            (try write(#"{"DOL/x": []}"#), "distinct, non-empty"),
            (directory.appendingPathComponent("civic-no-such-file.json"), "cannot be read"),
        ]
        for (url, reason) in cases {
            let error = #expect(throws: JourneyStageOrderError.self) { try JourneyStageOrder(contentsOf: url) }
            #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
            #expect(error?.reason.contains(url.path) == true)
        }
        let good = try JourneyStageOrder(contentsOf: try write(#"{"DOL/x": ["a", "b"]}"#))
        #expect(good.stages(agency: "DOL", service: "x") == ["a", "b"])
        #expect(good.stages(agency: "DOL", service: "y") == nil)
    }

    // MARK: - Helpers

    static func isInQ2(_ date: Date) -> Bool {
        FiscalQuarter(containing: date) == q2
    }

    /// -1, 0, 1: same scale compares values; thumbs against a 1-5 answer compares favourable.
    static func movement(_ first: TrustAnswer, _ last: TrustAnswer) -> Int {
        func isThumbs(_ answer: TrustAnswer) -> Bool {
            if case .thumbs = answer { return true }
            return false
        }
        if isThumbs(first) == isThumbs(last) { return (last.value > first.value ? 1 : 0) - (last.value < first.value ? 1 : 0) }
        return (last.isFavourable && !first.isFavourable ? 1 : 0) - (!last.isFavourable && first.isFavourable ? 1 : 0)
    }

    /// The expected Touchpoints rows of DOL/claims/web, in occurredAt order.
    static func expectedTouchpoints(_ fixture: ReportingFixture) -> [[String]] {
        fixture.responses
            .filter { !$0.spam && $0.event.service == "claims" && $0.event.channel == .web && $0.event.form == .a11v2 }
            .sorted { $0.event.occurredAt < $1.event.occurredAt }
            .map { response in
                let answers = response.event.answers
                let favourable = answers.trust?.isFavourable ?? false
                let positive = Driver.allCases.map { favourable ? ((answers.wentWell ?? []).contains($0) ? "1" : "0") : "null" }
                let negative = Driver.allCases.map { favourable ? "null" : ((answers.didNotGoWell ?? []).contains($0) ? "1" : "0") }
                return [response.event.eventId, String(answers.trust?.value ?? -1)] + positive + negative + [response.event.comment ?? ""]
            }
    }

    /// A strict RFC 4180 reader: CRLF record ends, quoted fields with doubled quotes.
    static func parseCSV(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var quoted = false
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append(scalars.removeFirst())
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\r":
                guard scalars.popFirst() == "\n" else { throw CSVError(reason: "CR without LF outside quotes") }
                record.append(field)
                records.append(record)
                record = []
                field = ""
            case "\n", "\"": throw CSVError(reason: "bare \(scalar) outside quotes")
            default: field.unicodeScalars.append(scalar)
            }
        }
        guard field.isEmpty, record.isEmpty, !quoted else { throw CSVError(reason: "the last record does not end with CRLF") }
        return records
    }

    struct CSVError: Error {
        var reason: String
    }
}
