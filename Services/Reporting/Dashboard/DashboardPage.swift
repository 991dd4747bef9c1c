import ReportingCore

/// The view of the whole dashboard page: filter form, the selected quarter and one card per agency/service.
package struct DashboardPage: Sendable {
    /// An `<option>` of the filter form.
    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// Quarters shown in each card's trend, ending with the selected quarter.
    static let trendQuarters = 8

    var css = Palette.customProperties
    var heading: String
    var title: String
    var minimumCellSize: String
    var suppressedText: String
    var agencies: [Option]
    var years: [Option]
    var quarters: [Option]
    /// The malformed parameter, shown in an alert (the page answers 400).
    var error: String?
    var cards: [DashboardCard]
    var empty: Bool
    /// Who is looking, shown in the banner; `nil` renders no banner line (tests of the page alone).
    package var viewer: Viewer?
    /// Each shown agency's themes and key drivers for the shown quarter.
    package var insights: [InsightPanel] = [] {
        didSet { hasInsights = !insights.isEmpty }
    }
    var hasInsights = false
    /// Whether to say that choosing an agency shows its themes and key drivers.
    package var insightsHint = false
    /// The themes and drivers panels were left out because every analysis place was taken.
    package var insightsBusy = false
    /// The quarter the cards show.
    package private(set) var shownQuarter: FiscalQuarter?
    /// The agencies of the cards shown.
    package var shownAgencies: [String] { Array(Set(cards.map(\.agency))).sorted() }

    /// The signed-in user or token and the agencies they see, with the sign-out form of a staff session.
    package struct Viewer: Sendable, Equatable {
        /// The e-mail of a staff member, else how the audit trail names the caller.
        var name: String
        /// "IRS, SSA" or "all agencies".
        var agencies: String
        /// The session's CSRF token for the sign-out form; `nil` without a staff session.
        var signOut: SignOut?

        /// The sign-out form's token.
        struct SignOut: Sendable, Equatable {
            var csrf: String
        }

        /// - Parameters:
        ///   - name: The e-mail of a staff member, else how the audit trail names the caller.
        ///   - agencies: The agencies the caller holds the viewer role in.
        ///   - signOutToken: The staff session's CSRF token for the sign-out form; `nil` without a signed-in session.
        package init(name: String, agencies: AgencySet, signOutToken: String?) {
            self.name = name
            switch agencies {
            case .all: self.agencies = "all agencies"
            case .only(let codes): self.agencies = codes.isEmpty ? "no agency" : codes.sorted().joined(separator: ", ")
            }
            signOut = signOutToken.map { SignOut(csrf: $0) }
        }
    }

    /// - Parameters:
    ///   - overview: Report rows per agency and quarter (for the filter's choices).
    ///   - cells: Report rows per agency, service and quarter, already narrowed to the filter's agency.
    package init(filter: DashboardFilter, overview: [QuarterlyReport], cells: [QuarterlyReport], minimumCellSize: Int, error: DashboardError? = nil) {
        self.init(
            filter: filter,
            overview: overview,
            cells: cells.map(DashboardCell.init(report:)),
            minimumCellSize: minimumCellSize,
            error: error
        )
    }

    /// - Parameters:
    ///   - overview: Report rows per agency and quarter (for the filter's choices).
    ///   - cells: Agency/service cells in every quarter, already narrowed to the filter's agency.
    /// The quarter the page shows: the filter's, or the latest with data (in the filter's year, if given).
    package static func selectedQuarter(filter: DashboardFilter, available quarters: [FiscalQuarter]) -> FiscalQuarter? {
        let available = Set(quarters).sorted()
        if let year = filter.fiscalYear, let quarter = filter.quarter {
            return FiscalQuarter(fiscalYear: year, quarter: quarter)
        } else if let year = filter.fiscalYear {
            return available.last { $0.fiscalYear == year }
        } else {
            return available.last
        }
    }

    package init(filter: DashboardFilter, overview: [QuarterlyReport], cells all: [DashboardCell], minimumCellSize: Int, error: DashboardError? = nil)
    {
        let selected = Self.selectedQuarter(filter: filter, available: all.map(\.quarter))
        shownQuarter = selected
        let scope = filter.agency ?? "All agencies"
        heading = "Customer experience" + (selected.map { ", \($0)" } ?? "")
        title = "\(heading) — \(scope) — CivicPulse"
        self.minimumCellSize = FigureFormat.count(minimumCellSize)
        suppressedText = FigureFormat.suppressed(minimumCellSize: minimumCellSize)
        let agencyCodes = Set(overview.map(\.agency)).union(filter.agency.map { [$0] } ?? []).sorted()
        agencies =
            [Option(value: "", label: "All agencies", selected: filter.agency == nil)]
            + agencyCodes.map { Option(value: $0, label: $0, selected: $0 == filter.agency) }
        let yearValues = Set(overview.map(\.fiscalYear)).union(filter.fiscalYear.map { [$0] } ?? []).sorted(by: >)
        years =
            [Option(value: "", label: "Latest", selected: filter.fiscalYear == nil)]
            + yearValues.map { Option(value: String($0), label: "FY\($0)", selected: $0 == filter.fiscalYear) }
        quarters =
            [Option(value: "", label: "Latest", selected: filter.quarter == nil)]
            + (1...4).map { Option(value: String($0), label: "Q\($0)", selected: $0 == filter.quarter) }
        self.error = error?.description
        guard error == nil, let selected else {
            cards = []
            empty = error == nil
            return
        }
        let histories = Dictionary(grouping: all) { $0.name }
        let current = all.filter { $0.quarter == selected }.sorted { ($0.agency, $0.service) < ($1.agency, $1.service) }
        cards = current.enumerated().map { index, cell in
            let history = (histories[cell.name] ?? []).filter { $0.quarter <= selected }.sorted { $0.quarter < $1.quarter }
            return DashboardCard(
                cell: cell,
                history: Array(history.suffix(Self.trendQuarters)),
                index: index,
                minimumCellSize: minimumCellSize
            )
        }
        empty = cards.isEmpty
    }
}
