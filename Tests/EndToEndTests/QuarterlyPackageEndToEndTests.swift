import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
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
}
