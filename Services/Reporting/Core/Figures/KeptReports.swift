import Metrics

/// ``ReportQuery`` answers kept per version of the cells they rest on, for the dashboard: at quarter's end many
/// analysts open the same pages, and each page would otherwise compute its reports anew. The same rules as
/// `GET /v1/reports`' kept bodies: keyed by the filter (which carries the agencies the caller may see), current
/// at the stamp each request reads first, one computation per version shared by every reader of it.
package struct KeptReports: Sendable {
    /// The estimated memory of one kept report, in bytes: about the size of its JSON in `GET /v1/reports`
    /// (a cell with every measure, its trend and its suppression notes encodes to 5-7 KB).
    static let bytesPerReport = 8 * 1024

    let query: ReportQuery
    private let versions: CellVersions
    let kept: VersionedCache<ReportQuery.Filter, [QuarterlyReport]>?
    private let outcomes: [VersionedCache<ReportQuery.Filter, [QuarterlyReport]>.Outcome: Counter]

    /// Reports of `query`, keeping up to about `capacity` bytes of them (0: every call computes anew).
    package init(query: ReportQuery, versions: CellVersions, capacity: Int) {
        self.query = query
        self.versions = versions
        self.kept = capacity > 0 ? VersionedCache(capacity: capacity) { $0.count * Self.bytesPerReport } : nil
        self.outcomes = Dictionary(
            uniqueKeysWithValues: [.hit, .joined, .computed].map {
                ($0, Counter(label: "civic_reporting_dashboard_reports_total", dimensions: [("outcome", $0.rawValue)]))
            }
        )
    }

    /// The same answer as `query.reports(filter)`, computed only when the cells it rests on changed since.
    package func reports(_ filter: ReportQuery.Filter) async throws -> [QuarterlyReport] {
        guard let kept else { return try await query.reports(filter) }
        let stamp = try await versions.stamp(for: filter)
        let (reports, outcome) = try await kept.value(for: filter, at: stamp) { [query] in try await query.reports(filter) }
        outcomes[outcome]?.increment()
        return reports
    }
}
