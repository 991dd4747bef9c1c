import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The quarterly package an HISP submits, from the real service's database: `reporting export` writes every
/// file with its exact header, the small collections' uploads included, and a one-page summary that a real
/// browser renders with the headline figures the API publishes.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct QuarterlyPackageEndToEndTests {
    /// The Touchpoints upload header (DESIGN.md), written out independently.
    static let touchpointsHeader =
        "external_id,question_1,positive_effectiveness,positive_ease,positive_efficiency,positive_transparency,positive_humanity,"
        + "positive_employee,positive_other,negative_effectiveness,negative_ease,negative_efficiency,negative_transparency,"
        + "negative_humanity,negative_employee,negative_other,question_4"

    @Test func thePackageHoldsEveryFileWithItsHeaderAndASummaryABrowserRenders() async throws {
        let harness = try await PipelineHarness()
        try await harness.start("reporting")
        let sample = DashboardSample()
        try await harness.publish(sample)
        try await harness.waitUntilStored(sample)

        let out = harness.workDirectory.appendingPathComponent("package-irs")
        let (status, output) = try harness.runTool(
            "reporting",
            ["export", "--agency", "IRS", "--fiscal-year", "2027", "--quarter", "1", "--out", out.path]
        )
        #expect(status == 0, "\(output)")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        for file in files {
            let mode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(file).path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "\(file) is readable by its owner only (respondent-level rows)")
        }
        #expect(
            files == [
                "IRS-FY2027Q1-collections.csv", "IRS-FY2027Q1-transaction-points.csv", "IRS-FY2027Q1-legacy.csv", "IRS-free-file-web-FY2027Q1.csv",
                "summary.html",
            ],
            "\(files)"
        )
        #expect(
            try firstLine("IRS-FY2027Q1-transaction-points.csv")
                == "agency,service,channel,transaction_point,fiscal_year,quarter,customers,offered,respondents"
        )
        func firstLine(_ file: String) throws -> String {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            return String(text.split(whereSeparator: \.isNewline).first ?? "")
        }
        #expect(
            try firstLine("IRS-FY2027Q1-collections.csv")
                == "agency,service,channel,fiscal_year,quarter,suppressed,customers,offered,respondents,pra_expired"
        )
        #expect(
            try firstLine("IRS-FY2027Q1-legacy.csv")
                == "agency,service,channel,fiscal_year,quarter,suppressed,responses,"
                + (1...7).flatMap { question in (1...5).map { "q\(question)_\($0)" } }.joined(separator: ",")
        )
        #expect(try firstLine("IRS-free-file-web-FY2027Q1.csv") == Self.touchpointsHeader)
        let upload = try String(contentsOf: out.appendingPathComponent("IRS-free-file-web-FY2027Q1.csv"), encoding: .utf8)
        #expect(upload.split(whereSeparator: \.isNewline).count == 1 + 24, "every counted response, the spam-flagged one left out")

        // The summary, rendered by Chromium, shows what the API publishes for the agency's quarter.
        let (apiStatus, body) = try await harness.get("reporting", path: "/v1/reports?agency=IRS&fiscalYear=2027&quarter=1")
        #expect(apiStatus == 200)
        let reports = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["reports"] as? [[String: Any]])
        let row = try #require(reports.first)
        let trust = try #require(row["trust"] as? [String: Any])
        let share = try #require((trust["share"] as? NSNumber)?.doubleValue)
        let browser = try HeadlessChromium(workDirectory: harness.workDirectory)
        let dom = try await browser.dumpDOM(out.appendingPathComponent("summary.html").absoluteString, name: "summary")
        #expect(dom.contains("IRS: FY2027 Q1 customer experience summary"), "\(dom.prefix(1_000))")
        #expect(dom.contains("Responses <strong>24</strong>"), "\(dom.prefix(2_000))")
        #expect(dom.contains("Trust <strong>\(Int((share * 100).rounded()))%</strong>"), "\(dom.prefix(2_000))")
        #expect(dom.contains("Change since FY2026 Q4"))
        #expect(dom.contains(#"data-collection="free-file/web""#) && dom.contains("<td>draft</td>"))
        for file in files where file != "summary.html" { #expect(dom.contains("<li>\(file)</li>"), "\(file)") }

        // The same summary is served to the analyst.
        let (summaryStatus, served) = try await harness.get("reporting", path: "/v1/exports/summary.html?agency=IRS&fiscalYear=2027&quarter=1")
        #expect(summaryStatus == 200)
        #expect(String(decoding: served, as: UTF8.self).contains("Responses <strong>24</strong>"))

        // The package route serves the same files in one zip, byte for byte (the summary aside, which names routes).
        let (zipStatus, zip) = try await harness.get("reporting", path: "/v1/exports/package.zip?agency=IRS&fiscalYear=2027&quarter=1")
        #expect(zipStatus == 200)
        let zipFile = harness.workDirectory.appendingPathComponent("IRS-FY2027Q1-package.zip")
        try zip.write(to: zipFile)
        let unzipped = harness.workDirectory.appendingPathComponent("package-zip")
        _ = try PipelineHarness.runPython(["-m", "zipfile", "-e", zipFile.path, unzipped.path])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: unzipped.path)) == files)
        for file in files where file != "summary.html" {
            #expect(
                try Data(contentsOf: unzipped.appendingPathComponent(file)) == Data(contentsOf: out.appendingPathComponent(file)),
                "\(file) differs between the zip and reporting export"
            )
        }
        let zippedSummary = try String(contentsOf: unzipped.appendingPathComponent("summary.html"), encoding: .utf8)
        #expect(zippedSummary.contains("Responses <strong>24</strong>"))
        _ = await harness.stopAll()
    }

    /// `package.zip` is bounded: while IRS's package is being built (held on a table lock a test transaction
    /// takes, until the build is seen waiting on it), a second IRS package is answered 429 with `Retry-After`, and
    /// so is DOL's (one build at a time in all here), while `/v1/reports` for DOL still answers 200; a second
    /// Touchpoints export while one is held is answered 429 too (one stream at a time here). The held
    /// build, larger than the cap, is answered 413 with the one error body, as is the next (its place was
    /// freed, so not 429); no work directory is left in the service's temporary folder.
    @Test func packageBuildsAreCappedInSizeAndConcurrencyWhileOtherRoutesAnswer() async throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("civic-package-tmp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let harness = try await PipelineHarness(extraEnvironment: [
            "CIVIC_REPORTING_PACKAGE_MAX_BYTES": "2048", "CIVIC_REPORTING_PACKAGE_BUILDS": "1", "CIVIC_REPORTING_EXPORT_STREAMS": "1",
            "CIVIC_POSTGRES_MAX_CONNECTIONS": "8",
            "TMPDIR": temporary.path,
        ])
        try await harness.start("reporting")
        let sample = DashboardSample()
        try await harness.publish(sample)
        try await harness.waitUntilStored(sample)
        _ = try await harness.reportingAnalystToken()
        let irsPackage = "/v1/exports/package.zip?agency=IRS&fiscalYear=2027&quarter=1"
        let touchpoints = "/v1/exports/touchpoints.csv?agency=IRS&service=free-file&channel=web&fiscalYear=2027&quarter=1"

        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        let held = try await database.withTransaction { connection in
            _ = try await connection.query("LOCK TABLE reporting.feedback IN ACCESS EXCLUSIVE MODE")
            let first = Task { try await harness.get("reporting", path: irsPackage) }
            let stream = Task { try await harness.get("reporting", path: touchpoints) }
            try await FollowUpEndToEndTests.waitUntil("the IRS package build and the Touchpoints export to wait on the feedback table") {
                let waiting = try await database.query(
                    """
                    SELECT count(*) AS n FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%reporting.feedback%'
                    """
                )
                return try waiting.first?.require("n", as: Int.self) ?? 0 >= 2
            }
            let secondStream = try await TestHTTP.send(
                "GET",
                harness.base("reporting") + touchpoints,
                bearer: try await harness.reportingAnalystToken()
            )
            #expect(secondStream.status == 429 && secondStream.text.contains(#""code":"exports_in_progress""#), "\(secondStream.text)")
            let again = try await TestHTTP.send("GET", harness.base("reporting") + irsPackage, bearer: try await harness.reportingAnalystToken())
            #expect(again.status == 429 && again.text.contains(#""code":"package_in_progress""#), "\(again.status) \(again.text)")
            #expect(again.headers["retry-after"].flatMap { Int($0) } ?? 0 > 0, "\(again.headers)")
            let (dolPackage, dolPackageBody) = try await harness.get(
                "reporting",
                path: "/v1/exports/package.zip?agency=DOL&fiscalYear=2027&quarter=1"
            )
            #expect(dolPackage == 429, "one build at a time in all: \(String(decoding: dolPackageBody, as: UTF8.self))")
            let (reports, reportsBody) = try await harness.get("reporting", path: "/v1/reports?agency=DOL&fiscalYear=2027&quarter=1")
            #expect(reports == 200, "another agency's reports answer during the build: \(String(decoding: reportsBody, as: UTF8.self))")
            return (first, stream)
        }
        let (streamStatus, streamBody) = try await held.1.value
        #expect(streamStatus == 200 && String(decoding: streamBody, as: UTF8.self).hasPrefix(Self.touchpointsHeader))
        let (heldStatus, heldBody) = try await held.0.value
        #expect(heldStatus == 413, "\(String(decoding: heldBody, as: UTF8.self))")
        #expect(String(decoding: heldBody, as: UTF8.self).contains(#""code":"package_too_large""#))
        let (next, _) = try await harness.get("reporting", path: irsPackage)
        #expect(next == 413, "the refused build freed its place")
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("civic-package-") }
        #expect(left.isEmpty, "work directories left behind: \(left)")
        _ = await harness.stopAll()
    }

    static let logger = Logger(label: "quarterly-package-e2e")
}
