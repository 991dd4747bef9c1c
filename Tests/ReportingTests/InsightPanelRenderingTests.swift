import CivicTestTraits
import Foundation
import Testing

@testable import CivicInsights
@testable import ReportingCore
@testable import ReportingDashboard

/// The dashboard's themes and key-drivers panel without a server: charts with a title and description, each
/// followed by a table of the same figures, text escaped, no example comment ever drawn.
@Suite(.hangGuard) struct InsightPanelRenderingTests {
    static func themes() throws -> ThemesReport {
        ThemesReport(
            agency: "VA",
            service: nil,
            channel: nil,
            fiscalYear: 2027,
            quarter: 2,
            suppressed: false,
            comments: 1_200,
            themes: [
                PublishedTheme(
                    label: "wait <hold>",
                    terms: ["wait", "hold"],
                    count: 180,
                    share: try #require(Proportion(favourable: 180, n: 1_200)),
                    meanSentiment: -0.41,
                    goesWith: ["didNotGoWell:efficiency", "trust:down"],
                    trend: ThemeTrend(status: "rising", change: 0.04, significant: true),
                    examples: ["SECRET EXAMPLE [EMAIL]"]
                )
            ]
        )
    }

    static let drivers = DriversReport(
        agency: "VA",
        service: nil,
        channel: nil,
        fiscalYear: 2027,
        quarter: 2,
        analyses: [
            DriverFindings(
                form: "a11-v2",
                outcome: "trust",
                predictors: ["theme:wait hold", "channel"],
                suppressed: false,
                n: 1_200,
                rSquared: 0.05,
                rSquaredLower: 0.03,
                rSquaredUpper: 0.07,
                drivers: [
                    DriverAnalysis.Driver(
                        name: "theme:wait hold",
                        rank: 1,
                        weight: 0.04,
                        weightLower: 0.03,
                        weightUpper: 0.05,
                        shareOfR2: 0.8,
                        shareLower: 0.7,
                        shareUpper: 0.9,
                        coefficient: -0.2,
                        coefficientLower: -0.25,
                        coefficientUpper: -0.15
                    )
                ]
            ),
            DriverFindings(form: "a11-v1", outcome: "trust", predictors: ["ease"], suppressed: true, drivers: []),
        ]
    )

    @Test func panelsRenderChartsAndTablesAndNoExample() throws {
        var page = DashboardPage(filter: DashboardFilter(), overview: [QuarterlyReport](), cells: [QuarterlyReport](), minimumCellSize: 10)
        page.insights = [InsightPanel(agency: "VA", themes: try Self.themes(), drivers: Self.drivers, index: 0)]
        let html = try DashboardTemplates().render(page)
        #expect(html.contains("Why: comments and key drivers"))
        #expect(html.contains("wait &lt;hold&gt;"))
        #expect(!html.contains("<hold>"))
        #expect(!html.contains("SECRET EXAMPLE"), "example comments are never drawn on the dashboard")
        #expect(html.contains("Rising (+4 points)"))
        #expect(html.contains("didn&#39;t go well: efficiency") || html.contains("didn't go well: efficiency"))
        #expect(html.contains("What goes with trust (A-11 v2)"))
        #expect(html.contains("Association, not cause."))
        // Each chart is an image with a title and a description, and a table gives the same figures.
        #expect(html.components(separatedBy: "role=\"img\"").count - 1 == 2)
        #expect(html.contains("<caption class=\"sr-only\">Themes of the comments</caption>"))
        #expect(html.contains(">15%<"))
        #expect(html.contains(">80%<"))
        // The withheld v1 analysis draws nothing.
        #expect(!html.contains("(A-11 v1)"))
    }

    @Test func withoutPublishedThemesOrDriversThePanelSaysSo() throws {
        var page = DashboardPage(filter: DashboardFilter(), overview: [QuarterlyReport](), cells: [QuarterlyReport](), minimumCellSize: 10)
        page.insights = [InsightPanel(agency: "SBA", themes: nil, drivers: nil, index: 0)]
        let html = try DashboardTemplates().render(page)
        #expect(html.contains("No theme can be shown for this quarter."))
        #expect(html.contains("Too few respondents for a key-driver analysis this quarter."))
    }
}
