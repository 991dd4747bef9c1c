import CivicInsights
import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import NIOCore
import ReportingCore

/// `GET /v1/reports/themes` and `GET /v1/reports/drivers`: the themes of an agency's quarter's comments and
/// the key drivers of trust, with the filters of `GET /v1/reports` (``ReportQuery/Filter``; `fiscalYear` and
/// `quarter` are required: both are computed per quarter) and its role: the viewer role, rows only for the
/// caller's agencies, an `agency` the caller holds no role in answered 403, before anything is read. Example
/// comments are given only to callers with the analyst role in the row's agency, and their reading is recorded
/// in the audit trail (`respondent_export`) before they leave.
///
/// Each answer is computed once per version of the agency quarters it reads (the quarter and the one before;
/// ``CellVersions``) and shared by every caller asking the same of the same agencies (with the same analyst
/// agencies, for the examples): the analysis takes one of the places of `analyses`, the callers who join it
/// take none, and a change of those quarters' figures is seen by the next request. Reading example comments is
/// recorded for each request, served from a kept answer or not.
package struct InsightRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let query: InsightsQuery
    let audit: AuditTrail
    /// The analyses in progress: past its limit a request is answered 429 `insights_in_progress`.
    let analyses: ConcurrencyLimit
    let versions: CellVersions?
    let themes: VersionedCache<ThemesKey, ThemesAnswer>
    let drivers: VersionedCache<DriversKey, ByteBuffer>

    /// What a themes answer depends on.
    struct ThemesKey: Hashable, Sendable {
        var filter: ReportQuery.Filter
        var quarter: FiscalQuarter
        /// The agencies whose example comments the caller may read.
        var analystOf: AgencySet
    }

    /// What a drivers answer depends on.
    struct DriversKey: Hashable, Sendable {
        var filter: ReportQuery.Filter
        var quarter: FiscalQuarter
    }

    /// A themes body and the example comments it carries per agency (for the audit trail).
    struct ThemesAnswer: Sendable {
        var body: ByteBuffer
        var examples: [String: Int]
    }

    /// Routes over `query`; with `versions`, answers are kept (`cacheCapacity` bytes for each route).
    package init(
        query: InsightsQuery,
        audit: AuditTrail,
        analyses: ConcurrencyLimit = ConcurrencyLimit(limit: 1),
        versions: CellVersions? = nil,
        cacheCapacity: Int = 16 << 20
    ) {
        self.query = query
        self.audit = audit
        self.analyses = analyses
        self.versions = versions
        self.themes = VersionedCache(capacity: versions == nil ? 0 : cacheCapacity) { $0.body.readableBytes }
        self.drivers = VersionedCache(capacity: versions == nil ? 0 : cacheCapacity) { $0.readableBytes }
    }

    /// The filter and quarter of a request, after checking the caller's role.
    private func scope(_ request: Request, _ context: ReportingRequestContext) throws -> (ReportQuery.Filter, FiscalQuarter, QueryParameters) {
        let principal = try context.requirePrincipal()
        let parameters = try QueryParameters(request, options: .init(accepted: ReportQuery.Filter.parameterNames))
        var filter = try ReportQuery.Filter(parameters)
        let quarter = try parameters.requiredQuarter()
        if let agency = filter.agency { try principal.require(.viewer, in: agency) }
        filter.agencies = try principal.requireAnyAgency(.viewer)
        return (filter, quarter, parameters)
    }

    /// The stamp of the quarters an analysis of `quarter` reads; a stamp that never matches without `versions`.
    private func stamp(_ filter: ReportQuery.Filter, _ quarter: FiscalQuarter) async throws -> CellVersionStamp {
        guard let versions else { return CellVersionStamp(quarters: -1, sum: -1) }
        return try await versions.stamp(agency: filter.agency, agencies: filter.agencies, quarters: [quarter, quarter.previous])
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("v1/reports/themes") { request, context -> Response in
            let (filter, quarter, parameters) = try scope(request, context)
            let principal = try context.requirePrincipal()
            let key = ThemesKey(filter: filter, quarter: quarter, analystOf: principal.agencies(withAtLeast: .analyst))
            let (answer, _) = try await themes.value(for: key, at: try await stamp(filter, quarter)) { [query, analyses] in
                let lease = try analyses.startAnalysis()
                defer { lease.finish() }
                var reports = try await query.themes(filter, quarter: quarter) { key.analystOf.contains($0) }
                if !filter.trend {
                    for row in reports.indices { for theme in reports[row].themes.indices { reports[row].themes[theme].trend = nil } }
                }
                var examples: [String: Int] = [:]
                for report in reports {
                    let count = report.themes.reduce(0) { $0 + ($1.examples?.count ?? 0) }
                    if count > 0 { examples[report.agency, default: 0] += count }
                }
                let body = try CivicJSON.makeEncoder().encode(ThemesBody(minimumCellSize: query.minimumCellSize, reports: reports))
                return ThemesAnswer(body: ByteBuffer(bytes: body), examples: examples)
            }
            // Example comments are respondent-level text: recorded per agency before they leave.
            let requestId = HTTPRequestID.make()
            for (agency, count) in answer.examples.sorted(by: { $0.key < $1.key }) {
                try await audit.record(
                    AuditTrail.Entry(
                        actor: principal.actor,
                        action: .respondentExport,
                        agency: agency,
                        target: request.uri.path,
                        filter: parameters.given,
                        rows: count,
                        requestId: requestId
                    )
                )
            }
            return Response.json(answer.body)
        }
        router.get("v1/reports/drivers") { request, context -> Response in
            let (filter, quarter, _) = try scope(request, context)
            let key = DriversKey(filter: filter, quarter: quarter)
            let (body, _) = try await drivers.value(for: key, at: try await stamp(filter, quarter)) { [query, analyses] in
                let lease = try analyses.startAnalysis()
                defer { lease.finish() }
                let reports = try await query.drivers(filter, quarter: quarter)
                let body = DriversBody(
                    minimumCellSize: query.minimumCellSize,
                    minimumN: max(query.minimumCellSize, query.driverSettings.minimumN),
                    reports: reports
                )
                return ByteBuffer(bytes: try CivicJSON.makeEncoder().encode(body))
            }
            return Response.json(body)
        }
    }
}

/// The body of `GET /v1/reports/themes`.
struct ThemesBody: Codable, Sendable {
    /// Rows and themes with fewer comments than this are withheld.
    var minimumCellSize: Int
    /// The rows.
    var reports: [ThemesReport]
}

/// The body of `GET /v1/reports/drivers`.
struct DriversBody: Codable, Sendable {
    /// Cells under this size are withheld.
    var minimumCellSize: Int
    /// Analyses on fewer respondents than this are withheld.
    var minimumN: Int
    /// The rows.
    var reports: [DriversReport]
}

extension ConcurrencyLimit {
    /// A place for one themes or key-driver analysis, or 429 `insights_in_progress` when every place is taken.
    func startAnalysis() throws(APIError) -> ConcurrencyLease {
        guard let lease = start() else {
            throw APIError(
                .tooManyRequests,
                code: .insightsInProgress,
                reason: "\(limit) themes or key-driver analyses are being computed; try again when one is done",
                retryAfterSeconds: 5
            )
        }
        return lease
    }
}
