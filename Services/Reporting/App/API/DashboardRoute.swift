import CivicRuntime
import Hummingbird

/// `GET /dashboard`: the server-rendered dashboard, from the same ``ReportQuery`` as `GET /v1/reports`.
/// A malformed parameter answers 400 with the page, its filter form and an alert naming the parameter.
struct DashboardRoute: RouteGroup {
    let query: ReportQuery
    /// Journey funnels for the shown quarter's cards (the same query as `GET /v1/reports/journeys`);
    /// `nil` leaves the funnel out.
    let journeys: JourneyQuery?
    let minimumCellSize: Int
    let templates: DashboardTemplates

    /// Loads the templates.
    init(query: ReportQuery, journeys: JourneyQuery? = nil, minimumCellSize: Int) throws {
        self.query = query
        self.journeys = journeys
        self.minimumCellSize = minimumCellSize
        templates = try DashboardTemplates()
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("dashboard") { request, _ -> Response in
            try await respond(to: request.uri.queryParameters)
        }
    }

    func respond(to parameters: Parameters) async throws -> Response {
        let overview = try await query.reports(ReportQuery.Filter())
        let page: DashboardPage
        let status: HTTPResponse.Status
        do {
            let filter = try DashboardFilter(parameters: parameters)
            var cellFilter = ReportQuery.Filter()
            cellFilter.agency = filter.agency
            cellFilter.byService = true
            var cells = try await query.reports(cellFilter).map(DashboardCell.init(report:))
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
            status = .ok
        } catch let error as DashboardError {
            page = DashboardPage(
                filter: DashboardFilter(),
                overview: overview,
                cells: [DashboardCell](),
                minimumCellSize: minimumCellSize,
                error: error
            )
            status = .badRequest
        }
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
