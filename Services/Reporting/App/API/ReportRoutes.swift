import CivicModels
import CivicRuntime
import Foundation
import Hummingbird

/// `GET /v1/reports`: transaction-level figures per agency and fiscal quarter; see ``ReportQuery/Filter`` for
/// the parameters. A bad parameter is answered with 400 and `{"error": reason, "field": name}`.
func addReportRoutes(to router: Router<BasicRequestContext>, query: ReportQuery) {
    router.get("v1/reports") { request, _ -> Response in
        let parameters = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        let filter: ReportQuery.Filter
        do throws(ReportRequestError) {
            filter = try ReportQuery.Filter(parameters: parameters)
        } catch {
            return OperationsServer.jsonResponse(.badRequest, ["error": error.reason, "field": error.field])
        }
        let reports = try await query.reports(filter)
        let body = ReportsBody(minimumCellSize: query.minimumCellSize, reports: reports)
        let data = try CivicJSON.makeEncoder().encode(body)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
