import CivicRuntime
import Hummingbird

/// `GET /dashboard`: the server-rendered dashboard, from the same ``ReportQuery`` as `GET /v1/reports`.
/// A malformed parameter answers 400 with the page, its filter form and an alert naming the parameter.
struct DashboardRoute: Sendable {
    let query: ReportQuery
    let minimumCellSize: Int
    let templates: DashboardTemplates

    /// Loads the templates.
    init(query: ReportQuery, minimumCellSize: Int) throws {
        self.query = query
        self.minimumCellSize = minimumCellSize
        templates = try DashboardTemplates()
    }

    /// Adds the route.
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
            let cells = try await query.reports(cellFilter)
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
