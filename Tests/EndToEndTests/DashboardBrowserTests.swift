import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The reporting dashboard in a real headless Chromium: the real reporting executable on a real broker and
/// PostgreSQL, fed scored responses (a small cell and a spam-flagged response among them) and operational
/// events. Every figure the browser shows must equal `GET /v1/reports` formatted by the display rule (docs/services/reporting.md, Dashboard).
@Suite(.startsPipeline, .serialized, .hangGuard)
struct DashboardBrowserTests {
    static let logger: Logger = {
        var logger = Logger(label: "dashboard-e2e")
        logger.logLevel = .warning
        return logger
    }()

    static let notice = "Suppressed (n < 10)"

    @Test func dashboardShowsTheAPIsFiguresInARealBrowser() async throws {
        let harness = try await PipelineHarness(staffSignIn: true)
        try await harness.startIssuer()
        try await harness.start("reporting")
        // The browser signs in through the OpenID Connect flow as a staff member with the cross-agency
        // viewer role, so every card is shown.
        try await harness.grant("staff-admin", "viewer", in: "*")
        let sample = DashboardSample()
        try await harness.publish(sample)
        try await harness.waitUntilStored(sample)

        let (apiStatus, apiBody) = try await harness.get("reporting", path: "/v1/reports?groupBy=service")
        #expect(apiStatus == 200)
        let api = try JSONDecoder().decode(ReportsAPIBody.self, from: apiBody)
        let latest = api.reports.filter { $0.fiscalYear == 2027 && $0.quarter == 1 }
        // The spam-flagged response is not counted.
        #expect(latest.first { $0.service == "free-file" }?.responses == 24)

        let url = harness.signInURL(as: "staff-admin", returnTo: "/dashboard")
        let browser = try HeadlessChromium(workDirectory: harness.workDirectory)
        let dom = try await browser.dumpDOM(url, name: "dom-latest")
        #expect(dom.contains(#"<strong data-viewer="name">admin@civicpulse.example.gov</strong>"#), "\(dom.prefix(2_000))")
        #expect(dom.contains(#"<span data-viewer="agencies">all agencies</span>"#))
        let hooks = FigureHook.all(in: dom)
        #expect(hooks.count > 40, "too few figures in the DOM:\n\(dom.prefix(3_000))")

        // The journey funnel equals GET /v1/reports/journeys: journeys reaching each stage, and their share of
        // the journeys started.
        let (journeyStatus, journeyBody) = try await harness.get(
            "reporting",
            path: "/v1/reports/journeys?agency=DOS&service=passport-renewal&fiscalYear=2027&quarter=1"
        )
        #expect(journeyStatus == 200)
        let journeys = try JSONDecoder().decode(JourneyAPIBody.self, from: journeyBody)
        #expect(journeys.funnel.map(\.reached) == [12, 8, 4])
        let funnelHooks = hooks.filter { $0.cell == "DOS/passport-renewal" && $0.figure.hasPrefix("journey.") }
        #expect(funnelHooks.count == 2 * journeys.funnel.count)
        for stage in journeys.funnel {
            let reached = funnelHooks.first { $0.figure == "journey.\(stage.stage).reached" }
            let share = funnelHooks.first { $0.figure == "journey.\(stage.stage).share" }
            #expect(reached?.text == ExpectedFigure.count(stage.reached), "\(stage.stage)")
            #expect(share?.text == ExpectedFigure.percent(Double(stage.reached) / Double(journeys.funnel[0].reached)), "\(stage.stage)")
        }

        // Every figure shown equals the API's value, formatted by the documented rule.
        for hook in hooks where !hook.figure.hasPrefix("journey.") {
            let row = api.reports.first { row in
                "\(row.agency)/\(row.service ?? "")" == hook.cell
                    && (hook.quarter.map { $0 == "FY\(row.fiscalYear) Q\(row.quarter)" } ?? (row.fiscalYear == 2027 && row.quarter == 1))
            }
            guard let row else {
                Issue.record("\(hook) has no row in /v1/reports")
                continue
            }
            #expect(hook.text == ExpectedFigure.text(for: hook.figure, in: row), "\(hook)")
        }
        // One card per agency/service in the latest quarter; the figures that matter are all there.
        #expect(Set(hooks.map(\.cell)) == Set(latest.map { "\($0.agency)/\($0.service ?? "")" }))
        let shown = Set(hooks.map { "\($0.cell) \($0.figure)" })
        for required in [
            "IRS/free-file responses", "IRS/free-file trust.share", "IRS/free-file trust.interval", "IRS/free-file trust.n",
            "IRS/free-file nps", "IRS/free-file sentiment.mean", "IRS/free-file operations.fcr.share",
            "IRS/free-file operations.aht", "IRS/free-file operations.digital.interval", "IRS/free-file trend.trust.share",
            "SSA/retirement-benefits satisfaction.share", "SSA/retirement-benefits satisfaction.interval",
            "SSA/retirement-benefits operations", "VA/health-care-enrollment responses",
            "DOS/passport-renewal journey.confirm.reached", "IRS/free-file drivers.wentWell.ease.share",
            "IRS/free-file drivers.wentWell.effectiveness.interval",
            "IRS/free-file drivers.didNotGoWell.efficiency.share", "IRS/free-file sentiment.positive",
            "IRS/free-file sentiment.negative", "IRS/free-file emotion.gratitude", "IRS/free-file emotion.frustration",
            "SSA/retirement-benefits drivers.topTwoBox.ease.share", "SSA/retirement-benefits drivers.topTwoBox.effectiveness.n",
        ] {
            #expect(shown.contains(required), "missing \(required)")
        }
        // The trend covers three quarters, the small one among them suppressed.
        let trend = hooks.filter { $0.cell == "IRS/free-file" && $0.figure == "trend.trust.share" }
        #expect(trend.map(\.quarter) == ["FY2026 Q3", "FY2026 Q4", "FY2027 Q1"])
        #expect(trend.first?.text == Self.notice)

        // The small cell shows the notice and no number anywhere in its markup, attributes included.
        let small = try #require(FigureHook.card("VA/health-care-enrollment", in: dom))
        #expect(small.contains("Suppressed (n &lt; 10)"))
        let withoutNoticeOrHeadingTags = small.replacingOccurrences(of: "Suppressed (n &lt; 10)", with: "")
            .replacing(/<\/?h[1-6]\b/, with: "")
        #expect(!withoutNoticeOrHeadingTags.contains { $0.isNumber }, "\(withoutNoticeOrHeadingTags)")
        #expect(hooks.filter { $0.cell == "VA/health-care-enrollment" }.allSatisfy { $0.text == Self.notice })

        // Accessibility basics in the rendered DOM: skip link, landmarks, labelled charts, table headers.
        for fragment in [
            "href=\"#main\"", "<main id=\"main\"", "<nav", "<label for=\"filter-agency\"", "role=\"img\"", "<title id=",
            "<desc id=", "aria-describedby=", "<th scope=\"col\"", "<th scope=\"row\"", "name=\"viewport\"", "lang=\"en\"",
        ] {
            #expect(dom.contains(fragment), "missing \(fragment)")
        }
        // Keyboard use: only native controls, each select labelled, no positive tabindex reordering focus.
        for match in dom.matches(of: /<select id="([^"]+)"/) {
            #expect(dom.contains("<label for=\"\(match.output.1)\">"), "select \(match.output.1) has no label")
        }
        #expect(dom.matches(of: /tabindex="[1-9]/).isEmpty)
        #expect(dom.contains("<button class=\"button\" type=\"submit\">"))
        let charts = dom.components(separatedBy: "<svg").count - 1
        #expect(charts >= 4)
        #expect(dom.components(separatedBy: "role=\"img\"").count - 1 == charts, "every chart is an image with a text alternative")

        // The palette the page publishes meets WCAG AA for every text and mark pair.
        let colours = WCAGContrast.customProperties(in: dom)
        for (foreground, background) in WCAGContrast.pairs {
            let ratio = try #require(WCAGContrast.ratio(colours[foreground], colours[background]), "\(foreground)/\(background) not published")
            #expect(ratio >= 4.5, "\(foreground) on \(background): \(ratio)")
        }

        // Bad filter values answer 400 with the parameter named, in the page.
        for (query, message) in [
            ("fiscalYear=twenty", "fiscalYear: must be a fiscal year such as 2027"),
            ("fiscalYear=2027&quarter=5", "quarter: must be 1, 2, 3 or 4"),
            ("quarter=2", "quarter: needs fiscalYear as well"),
            ("agency=%3Cscript%3E", "agency: must be an agency code"),
        ] {
            let (status, body) = try await harness.get("reporting", path: "/dashboard?\(query)")
            let page = String(decoding: body, as: UTF8.self)
            #expect(status == 400, "\(query)")
            #expect(page.contains("role=\"alert\"") && page.contains(message), "\(query): \(page.prefix(400))")
            #expect(!page.contains("<script>"))
        }
        // A chosen earlier quarter shows that quarter's figures.
        let earlier = FigureHook.all(
            in: try await browser.dumpDOM(
                harness.signInURL(as: "staff-admin", returnTo: "/dashboard?agency=IRS&fiscalYear=2026&quarter=4"),
                name: "dom-irs-fy2026-q4"
            )
        )
        let earlierRow = try #require(api.reports.first { $0.agency == "IRS" && $0.fiscalYear == 2026 && $0.quarter == 4 })
        #expect(earlier.first { $0.figure == "responses" }?.text == ExpectedFigure.text(for: "responses", in: earlierRow))
        #expect(Set(earlier.map(\.cell)) == ["IRS/free-file"])

        // Screenshots at desktop and phone widths.
        for (name, width, height) in [("dashboard-desktop", 1280, 2200), ("dashboard-phone", 390, 2400)] {
            let file = try await browser.screenshot(url, width: width, height: height, name: name)
            let png = try Data(contentsOf: file)
            print("dashboard screenshot: \(file.path) (\(png.count) bytes)")
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            #expect(png.count > 40_000, "\(name) is nearly blank")
            let size = png.count >= 24 ? (Self.bigEndian(png, at: 16), Self.bigEndian(png, at: 20)) : (0, 0)
            #expect(size == (width, height), "\(name) is \(size)")
        }
        let statuses = await harness.stopAll()
        #expect(statuses["reporting"] == .some(0), "\(harness.logTail("reporting"))")
    }

    private static func bigEndian(_ data: Data, at offset: Int) -> Int {
        data[data.startIndex + offset..<data.startIndex + offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }
}
