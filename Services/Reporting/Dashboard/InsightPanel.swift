import CivicInsights
import Foundation
import ReportingCore

/// The view of one agency's "what the comments say" and "what goes with trust" panels for the shown quarter:
/// themes as bars of their share of comments with 95% intervals, and key drivers as bars of their share of the
/// explained variance, each chart followed by a table of the same figures. Withheld rows and themes never
/// reach it (``ThemesReport``, ``DriversReport`` publish only what may be shown); example comments are never
/// drawn on the dashboard.
package struct InsightPanel: Sendable {
    /// One theme's row.
    struct ThemeRow: Sendable {
        var label: String
        var terms: String
        var share: String
        var interval: String
        var count: String
        var sentiment: String
        var trend: String
        /// The answers it goes with; nil when none.
        var goesWith: String?
    }

    /// One analysis: its heading, chart and rows.
    struct DriverBlock: Sendable {
        struct Row: Sendable {
            var rank: String
            var name: String
            var share: String
            var interval: String
            var coefficient: String
        }

        var id: String
        var heading: String
        var note: String
        var chart: BarChart
        var rows: [Row]
    }

    var anchor: String
    var agency: String
    var comments: String
    var themesChart: BarChart?
    var themes: [ThemeRow]
    var noThemes: Bool
    var drivers: [DriverBlock]
    var noDrivers: Bool

    /// The panels of `themes` and `drivers` (both the agency's quarter, unsuppressed parts only).
    package init(agency: String, themes: ThemesReport?, drivers: DriversReport?, index: Int) {
        anchor = "insights-\(index)"
        self.agency = agency
        comments = themes?.comments.map { FigureFormat.count($0) } ?? "withheld"
        let published = themes?.themes ?? []
        self.themes = published.map { theme in
            ThemeRow(
                label: theme.label,
                terms: theme.terms.prefix(5).joined(separator: ", "),
                share: FigureFormat.percent(theme.share.share),
                interval: FigureFormat.interval(theme.share.lower, theme.share.upper),
                count: FigureFormat.count(theme.count),
                sentiment: theme.meanSentiment.map { FigureFormat.signedHundredths($0) } ?? "—",
                trend: Self.trendText(theme.trend),
                goesWith: theme.goesWith.isEmpty ? nil : theme.goesWith.prefix(3).map(Self.readable).joined(separator: "; ")
            )
        }
        noThemes = published.isEmpty
        themesChart =
            published.isEmpty
            ? nil
            : BarChart(
                id: "\(anchor)-themes-chart",
                title: "Themes of \(agency)'s comments",
                summary: "Share of comments mentioning each theme, with 95% intervals. The table below gives the same figures.",
                values: published.map {
                    .init(
                        label: $0.label,
                        share: $0.share.share,
                        interval: ($0.share.lower, $0.share.upper),
                        text: FigureFormat.percent($0.share.share)
                    )
                }
            )
        var blocks: [DriverBlock] = []
        for (position, finding) in (drivers?.analyses ?? []).enumerated() where !finding.suppressed && !finding.drivers.isEmpty {
            let id = "\(anchor)-drivers-\(position)"
            let form = finding.form == "a11-v1" ? "A-11 v1" : "A-11 v2"
            blocks.append(
                DriverBlock(
                    id: id,
                    heading: "What goes with \(finding.outcome) (\(form))",
                    note: "\(FigureFormat.count(finding.n ?? 0)) respondents; the predictors explain "
                        + "\(FigureFormat.percent(finding.rSquared ?? 0)) of the variance (R²). Association, not cause.",
                    chart: BarChart(
                        id: "\(id)-chart",
                        title: "Share of the explained variance of \(finding.outcome), by predictor",
                        summary:
                            "Dominance analysis: each predictor's share of R², with 95% bootstrap intervals. The table below gives the same figures.",
                        values: finding.drivers.map {
                            .init(
                                label: Self.readable($0.name),
                                share: $0.shareOfR2,
                                interval: ($0.shareLower, $0.shareUpper),
                                text: FigureFormat.percent($0.shareOfR2)
                            )
                        }
                    ),
                    rows: finding.drivers.map { driver in
                        DriverBlock.Row(
                            rank: String(driver.rank),
                            name: Self.readable(driver.name),
                            share: FigureFormat.percent(driver.shareOfR2),
                            interval: FigureFormat.interval(driver.shareLower, driver.shareUpper),
                            coefficient: driver.coefficient.map { FigureFormat.signedHundredths($0) } ?? "—"
                        )
                    }
                )
            )
        }
        self.drivers = blocks
        noDrivers = blocks.isEmpty
    }

    package static func trendText(_ trend: ThemeTrend?) -> String {
        guard let trend else { return "—" }
        switch trend.status {
        case "new": return "New this quarter"
        case "rising": return "Rising (\(trend.change.map { FigureFormat.signedWhole($0 * 100) } ?? "") points)"
        case "falling": return "Falling (\(trend.change.map { FigureFormat.signedWhole($0 * 100) } ?? "") points)"
        default: return "Steady"
        }
    }

    /// `wentWell:ease` as "went well: ease", `theme:long wait` as "“long wait”".
    package static func readable(_ name: String) -> String {
        if name.hasPrefix("theme:") { return "“" + name.dropFirst(6) + "”" }
        if name.hasPrefix("wentWell:") { return "went well: " + name.dropFirst(9) }
        if name.hasPrefix("didNotGoWell:") { return "didn't go well: " + name.dropFirst(13) }
        if name == "trust:up" { return "trust up" }
        if name == "trust:down" { return "trust down" }
        return name.replacingOccurrences(of: ":", with: " ")
    }
}
