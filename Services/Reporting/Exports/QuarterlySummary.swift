import CivicInsights
import CivicPostgres
import Foundation
import Mustache
import ReportingCore
import ReportingDashboard

/// The one-page summary of an agency's quarter in its package (`summary.html`): headline figures with their
/// intervals and the change since the previous quarter, per service, and the collections with their state and
/// volumes. Figures follow the published rules (small cells and their complements withheld); the collections'
/// volumes are the package's own.
package struct QuarterlySummary: Sendable {
    struct Service: Sendable {
        var name: String
        var responses: String
        var trust: String
        var trustInterval: String
        var trustChange: String
    }

    /// One published theme of the agency's comments.
    struct ThemeLine: Sendable {
        var label: String
        var share: String
        var interval: String
        var count: String
        var trend: String
    }

    /// One key-driver analysis of the agency's quarter.
    struct DriverLine: Sendable {
        struct Driver: Sendable {
            var rank: String
            var name: String
            var share: String
            var interval: String
        }

        var heading: String
        var note: String
        var drivers: [Driver]
    }

    package struct CollectionLine: Sendable {
        var service: String
        var channel: String
        var state: String
        var customers: String
        var offered: String
        var respondents: String
        var rate: String
    }

    var agency: String
    var period: String
    var previousPeriod: String
    var generated: String
    var deadline: String
    var minimumCellSize: Int
    var responses: String
    var trust: String
    var trustInterval: String
    var trustChange: String
    var trustSignificance: String
    var nps: String
    var services: [Service]
    package var collections: [CollectionLine]
    var files: [String]
    /// The themes of the agency's comments (published rules), and whether any is published.
    var themes: [ThemeLine]
    var hasThemes: Bool
    /// The key-driver analyses published for the agency's quarter.
    var driverAnalyses: [DriverLine]
    var hasDrivers: Bool

    /// The summary of `report` (the agency's row), `byService` (its services' rows) and `collections`.
    init(
        agency: String,
        quarter: FiscalQuarter,
        report: QuarterlyReport?,
        byService: [QuarterlyReport],
        collections: [CollectionStore.Status],
        deadline: Date,
        minimumCellSize: Int,
        files: [String],
        themes: ThemesReport? = nil,
        drivers: DriversReport? = nil,
        now: Date = Date()
    ) {
        let withheld = FigureFormat.suppressed(minimumCellSize: minimumCellSize)
        let day = Date.ISO8601FormatStyle().year().month().day()
        self.agency = agency
        self.period = quarter.description
        self.previousPeriod = quarter.previous.description
        self.generated = now.formatted(day)
        self.deadline = deadline.formatted(day)
        self.minimumCellSize = minimumCellSize
        self.responses = report?.responses.map(FigureFormat.count) ?? withheld
        self.trust = report?.trust.map { FigureFormat.percent($0.share) } ?? withheld
        self.trustInterval = report?.trust.map { FigureFormat.interval($0.lower, $0.upper) } ?? withheld
        self.trustChange = report?.trend?.trust.map { FigureFormat.signedWhole($0.change * 100) + " points" } ?? "not comparable"
        self.trustSignificance =
            report?.trend?.trust.map { $0.significant ? "significant at 95%" : "not significant at 95%" } ?? ""
        self.nps = report?.nps.map { FigureFormat.signedWhole($0.score) } ?? withheld
        self.services = byService.map { row in
            Service(
                name: row.service ?? "",
                responses: row.responses.map(FigureFormat.count) ?? withheld,
                trust: row.trust.map { FigureFormat.percent($0.share) } ?? withheld,
                trustInterval: row.trust.map { FigureFormat.interval($0.lower, $0.upper) } ?? "",
                trustChange: row.trend?.trust.map { FigureFormat.signedWhole($0.change * 100) } ?? ""
            )
        }
        self.collections = collections.map { status in
            CollectionLine(
                service: status.service,
                channel: status.channel,
                state: status.state.rawValue,
                customers: FigureFormat.count(status.customers),
                offered: FigureFormat.count(status.offered),
                respondents: FigureFormat.count(status.respondents),
                rate: status.responseRate.map { FigureFormat.percent($0.share) } ?? "n/a"
            )
        }
        self.files = files
        let published = themes.map { $0.suppressed ? [] : $0.themes } ?? []
        self.themes = published.map { theme in
            ThemeLine(
                label: theme.label,
                share: FigureFormat.percent(theme.share.share),
                interval: FigureFormat.interval(theme.share.lower, theme.share.upper),
                count: FigureFormat.count(theme.count),
                trend: InsightPanel.trendText(theme.trend)
            )
        }
        hasThemes = !published.isEmpty
        driverAnalyses = (drivers?.analyses ?? []).filter { !$0.suppressed && !$0.drivers.isEmpty }.map { finding in
            DriverLine(
                heading: "\(finding.outcome.capitalized) (\(finding.form == "a11-v1" ? "A-11 v1" : "A-11 v2"))",
                note: "\(FigureFormat.count(finding.n ?? 0)) respondents; R² \(FigureFormat.percent(finding.rSquared ?? 0))",
                drivers: finding.drivers.map { driver in
                    DriverLine.Driver(
                        rank: String(driver.rank),
                        name: InsightPanel.readable(driver.name),
                        share: FigureFormat.percent(driver.shareOfR2),
                        interval: FigureFormat.interval(driver.shareLower, driver.shareUpper)
                    )
                }
            )
        }
        hasDrivers = !driverAnalyses.isEmpty
    }
}

extension QuarterlySummary {
    /// The summary's file name in the package.
    static let fileName = "summary.html"

    /// Reads the agency's figures (published rules), its services' and its collections for `quarter`.
    package static func make(
        client: PostgresClient,
        minimumCellSize: Int,
        fiscalYearStartMonth: Int,
        agency: String,
        quarter: FiscalQuarter,
        files: [String],
        driverSettings: DriverSettings = DriverSettings()
    ) async throws -> QuarterlySummary {
        let query = ReportQuery(client: client, minimumCellSize: minimumCellSize)
        var filter = ReportQuery.Filter()
        filter.agency = agency
        filter.fiscalYear = quarter.fiscalYear
        filter.quarter = quarter.quarter
        let report = try await query.reports(filter).first
        filter.byService = true
        let services = try await query.reports(filter)
        let store = CollectionStore(
            client: client,
            exports: ExportQuery(client: client, minimumCellSize: minimumCellSize),
            fiscalYearStartMonth: fiscalYearStartMonth
        )
        // Themes and key drivers of the agency's quarter, under the published rules (no example comments).
        let insights = InsightsQuery(client: client, minimumCellSize: minimumCellSize, driverSettings: driverSettings)
        let agencyFilter = ReportQuery.Filter(agency: agency)
        let themes = try await insights.themes(agencyFilter, quarter: quarter) { _ in false }.first
        let drivers = try await insights.drivers(agencyFilter, quarter: quarter).first
        return QuarterlySummary(
            agency: agency,
            quarter: quarter,
            report: report,
            byService: services,
            collections: try await store.list(agency: agency, fiscalYear: quarter.fiscalYear, quarter: quarter.quarter),
            deadline: store.deadline(of: quarter),
            minimumCellSize: minimumCellSize,
            files: files,
            themes: themes,
            drivers: drivers
        )
    }
}

extension DashboardTemplates {
    /// A quarter's summary page as HTML.
    package func render(summary: QuarterlySummary) -> String {
        library.render(summary, withTemplate: "quarterly-summary") ?? ""
    }
}
