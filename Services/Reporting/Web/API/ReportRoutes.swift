import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import ReportingCore

/// `GET /v1/reports`: transaction-level figures per agency and fiscal quarter; see ``ReportQuery/Filter`` for
/// the parameters. Needs the viewer role: rows are read only for the caller's agencies (in SQL), and an
/// `agency` the caller holds no role in is answered 403. A bad parameter is answered 400. Every error has
/// the one error body (``APIError``).
package struct ReportRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let query: ReportQuery

    package init(query: ReportQuery) {
        self.query = query
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("v1/reports") { request, context -> Response in
            let principal = try context.requirePrincipal()
            var filter = try ReportQuery.Filter(QueryParameters(request, options: .init(accepted: ReportQuery.Filter.parameterNames)))
            if let agency = filter.agency { try principal.require(.viewer, in: agency) }
            filter.agencies = try principal.requireAnyAgency(.viewer)
            let reports = try await query.reports(filter)
            return try Response.json(ReportsBody(minimumCellSize: query.minimumCellSize, reports: reports))
        }
    }
}

/// The body of `GET /v1/reports`.
struct ReportsBody: Codable, Sendable {
    /// Cells under this size are suppressed.
    var minimumCellSize: Int
    /// The rows.
    var reports: [QuarterlyReport]
}
