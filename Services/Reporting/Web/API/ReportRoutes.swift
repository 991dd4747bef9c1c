import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import Metrics
import NIOCore
import ReportingCore

/// `GET /v1/reports`: transaction-level figures per agency and fiscal quarter; see ``ReportQuery/Filter`` for
/// the parameters. Needs the viewer role: rows are read only for the caller's agencies (in SQL), and an
/// `agency` the caller holds no role in is answered 403. A bad parameter is answered 400. Every error has
/// the one error body (``APIError``).
///
/// Each body is computed once per version of the cells it rests on (``CellVersions``) and shared by every
/// caller who asks for the same filter over the same agencies (``VersionedCache``): at quarter's end many
/// analysts open the same reports, and each request then costs one indexed read of the versions. A change
/// of the figures is seen by the next request, never later.
package struct ReportRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let query: ReportQuery
    let versions: CellVersions
    let bodies: VersionedCache<ReportQuery.Filter, ByteBuffer>?
    private let outcomes: [VersionedCache<ReportQuery.Filter, ByteBuffer>.Outcome: Counter]

    /// Routes over `query`; `cacheCapacity` bytes of bodies are kept (0: every body is computed anew).
    package init(query: ReportQuery, versions: CellVersions, cacheCapacity: Int) {
        self.query = query
        self.versions = versions
        self.bodies = cacheCapacity > 0 ? VersionedCache(capacity: cacheCapacity, cost: \.readableBytes) : nil
        self.outcomes = Dictionary(
            uniqueKeysWithValues: [.hit, .joined, .computed].map {
                ($0, Counter(label: "civic_reporting_report_bodies_total", dimensions: [("outcome", $0.rawValue)]))
            }
        )
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("v1/reports") { request, context -> Response in
            let principal = try context.requirePrincipal()
            var filter = try ReportQuery.Filter(QueryParameters(request, options: .init(accepted: ReportQuery.Filter.parameterNames)))
            if let agency = filter.agency { try principal.require(.viewer, in: agency) }
            filter.agencies = try principal.requireAnyAgency(.viewer)
            return Response.json(try await body(filter))
        }
    }

    private func body(_ filter: ReportQuery.Filter) async throws -> ByteBuffer {
        let compute: @Sendable () async throws -> ByteBuffer = { [query] in
            let reports = try await query.reports(filter)
            return ByteBuffer(bytes: try CivicJSON.makeEncoder().encode(ReportsBody(minimumCellSize: query.minimumCellSize, reports: reports)))
        }
        guard let bodies else { return try await compute() }
        let stamp = try await versions.stamp(for: filter)
        let (body, outcome) = try await bodies.value(for: filter, at: stamp, compute: compute)
        outcomes[outcome]?.increment()
        return body
    }
}

/// The body of `GET /v1/reports`.
struct ReportsBody: Codable, Sendable {
    /// Cells under this size are suppressed.
    var minimumCellSize: Int
    /// The rows.
    var reports: [QuarterlyReport]
}
