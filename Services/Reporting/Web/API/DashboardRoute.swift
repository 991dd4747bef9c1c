import CivicInsights
import CivicRuntime
import Hummingbird
import HummingbirdAuth
import ReportingCore
import ReportingDashboard

/// `GET /dashboard`: the server-rendered dashboard, from the same ``ReportQuery`` as `GET /v1/reports`, its
/// reports kept per version of their cells (``KeptReports``).
/// It needs the viewer role and shows only the caller's agencies (restricted in SQL), with who is signed in;
/// without a credential it sends the browser to sign in (`/signin`), or answers 401 when sign-in is not
/// configured. A malformed parameter answers 400, and an agency the caller holds no role in 403, each with
/// the page, its filter form and an alert naming the parameter.
package struct DashboardRoute: RouteGroup {
    package typealias Context = ReportingRequestContext

    let reports: KeptReports
    /// Journey funnels for the shown quarter's cards (the same query as `GET /v1/reports/journeys`);
    /// `nil` leaves the funnel out.
    let journeys: JourneyQuery?
    /// Themes and key drivers of each shown agency's quarter (the same query as `GET /v1/reports/themes` and
    /// `/drivers`); `nil` leaves those panels out.
    let insights: InsightsQuery?
    /// The themes and key-driver analyses in progress: when every place is taken the panels are left out.
    let insightAnalyses: ConcurrencyLimit
    let minimumCellSize: Int
    let templates: DashboardTemplates
    /// Whether staff sign-in (`/signin`) is configured.
    let signInEnabled: Bool

    /// Loads the templates.
    package init(
        reports: KeptReports,
        journeys: JourneyQuery? = nil,
        insights: InsightsQuery? = nil,
        insightAnalyses: ConcurrencyLimit = ConcurrencyLimit(limit: 1),
        minimumCellSize: Int,
        signInEnabled: Bool = false
    ) throws {
        self.reports = reports
        self.journeys = journeys
        self.insights = insights
        self.insightAnalyses = insightAnalyses
        self.minimumCellSize = minimumCellSize
        self.signInEnabled = signInEnabled
        templates = try DashboardTemplates()
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("dashboard") { request, context -> Response in
            guard let principal = context.identity else {
                if signInEnabled {
                    let returnTo = request.uri.query.map { "/dashboard?\($0)" } ?? "/dashboard"
                    return Response.redirect(to: "/signin?returnTo=\(SignInPath.encode(returnTo))", type: .found)
                }
                throw APIError.unauthorized("staff sign-in is not configured; send a reporting token as 'Authorization: Bearer crt_…'")
            }
            return try await respond(
                to: request.uri.queryParameters,
                principal: principal,
                viewer: DashboardPage.Viewer(principal: principal, session: context.sessions.session)
            )
        }
    }

    func respond(to parameters: Parameters, principal: ReportingPrincipal, viewer: DashboardPage.Viewer? = nil) async throws -> Response {
        let visible = try principal.requireAnyAgency(.viewer)
        var overviewFilter = ReportQuery.Filter()
        overviewFilter.agencies = visible
        let overview = try await reports.reports(overviewFilter)
        var page: DashboardPage
        let status: HTTPResponse.Status
        do {
            let filter = try DashboardFilter(parameters: parameters)
            if let agency = filter.agency, !visible.contains(agency) {
                throw DashboardError(field: "agency", reason: "you hold no role for agency \"\(agency)\"", status: .forbidden)
            }
            var cellFilter = ReportQuery.Filter()
            cellFilter.agency = filter.agency
            cellFilter.agencies = visible
            cellFilter.byService = true
            var cells = try await reports.reports(cellFilter).map(DashboardCell.init(report:))
            if let journeys, let shown = DashboardPage.selectedQuarter(filter: filter, available: cells.map(\.quarter)) {
                for index in cells.indices where cells[index].quarter == shown && !cells[index].suppressed {
                    let journey = try await journeys.report(agency: cells[index].agency, service: cells[index].service, quarter: shown)
                    // Only an unsuppressed journey report with journeys in it is drawn (suppressed ones never are).
                    if !journey.suppressed, let funnel = journey.funnel, !funnel.isEmpty {
                        cells[index].journeyFunnel = funnel.map { DashboardCell.FunnelStep(stage: $0.stage, reached: $0.reached) }
                    }
                }
            }
            page = DashboardPage(filter: filter, overview: overview, cells: cells, minimumCellSize: minimumCellSize)
            // Themes and drivers read the agency's comments five times: only for a page of one agency.
            if let insights, let quarter = page.shownQuarter, let chosen = filter.agency {
                if let lease = insightAnalyses.start() {
                    defer { lease.finish() }
                    var panels: [InsightPanel] = []
                    for (index, agency) in page.shownAgencies.filter({ $0 == chosen }).enumerated() {
                        var agencyFilter = ReportQuery.Filter(agency: agency)
                        agencyFilter.agencies = visible
                        // The dashboard never shows example comments, whatever the caller's role.
                        let themes = try await insights.themes(agencyFilter, quarter: quarter) { _ in false }.first { !$0.suppressed }
                        let drivers = try await insights.drivers(agencyFilter, quarter: quarter).first
                        panels.append(InsightPanel(agency: agency, themes: themes, drivers: drivers, index: index))
                    }
                    page.insights = panels
                } else {
                    page.insightsBusy = true
                }
            } else if insights != nil, !page.shownAgencies.isEmpty {
                page.insightsHint = true
            }
            status = .ok
        } catch let error as DashboardError {
            page = DashboardPage(
                filter: DashboardFilter(),
                overview: overview,
                cells: [DashboardCell](),
                minimumCellSize: minimumCellSize,
                error: error
            )
            status = error.status
        }
        page.viewer = viewer
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                // No scripts at all; only the page's own inline styles; forms submit back here.
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: templates.render(page)))
        )
    }
}

extension DashboardPage.Viewer {
    /// The caller, named by the e-mail of its staff session or else as the audit trail names it.
    init(principal: ReportingPrincipal, session: StaffSession?) {
        self.init(
            name: session?.email ?? principal.actor,
            agencies: principal.agencies(withAtLeast: .viewer),
            signOutToken: session.flatMap { $0.subject == nil ? nil : $0.csrfToken }
        )
    }
}
