import CivicModels
import CivicRuntime
import Foundation
import Hummingbird

/// `GET /v1/reports`: transaction-level figures per agency and fiscal quarter; see ``ReportQuery/Filter`` for
/// the parameters. A bad parameter is answered 400 with the one error body (``APIError``).
struct ReportRoutes: RouteGroup {
    let query: ReportQuery

    func register(on router: Router<BasicRequestContext>) {
        router.get("v1/reports") { request, _ -> Response in
            let filter = try ReportQuery.Filter(QueryParameters(request, options: .init(accepted: ReportQuery.Filter.parameterNames)))
            let reports = try await query.reports(filter)
            let body = ReportsBody(minimumCellSize: query.minimumCellSize, reports: reports)
            let data = try CivicJSON.makeEncoder().encode(body)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
