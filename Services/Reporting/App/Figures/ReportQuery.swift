import CivicPostgres
import Foundation

/// Reads report rows from `reporting.cell_measures`.
struct ReportQuery: Sendable {
    let client: PostgresClient
    let minimumCellSize: Int

    /// Which rows to return.
    struct Filter: Sendable, Equatable {
        var agency: String?
        var service: String?
        var channel: String?
        var fiscalYear: Int?
        var quarter: Int?
        var byService = false
        var byChannel = false
        /// Whether to add the change since the previous fiscal quarter.
        var trend = true
        /// The agencies the caller may see: rows of any other agency are never read.
        var agencies: AgencySet = .all
    }

    /// A report row's identity before figures.
    private struct RowKey: Hashable {
        var agency: String
        var service: String?
        var channel: String?
        var quarter: FiscalQuarter
    }

    func reports(_ filter: Filter) async throws -> [QuarterlyReport] {
        var groups = ["agency", "fiscal_year", "fiscal_quarter"]
        if filter.byService { groups.append("service") }
        if filter.byChannel { groups.append("channel") }
        // With trends, the previous quarter is read too: the quarter filter is applied after reading, and a
        // fiscal-year filter widens to the year before (for Q1's previous quarter).
        let sql = """
            SELECT \(groups.joined(separator: ", ")), measure,
                   sum(n)::bigint AS n, sum(hits)::bigint AS hits, sum(total) AS total
            FROM reporting.cell_measures
            WHERE ($1::text IS NULL OR agency = $1)
              AND ($2::text IS NULL OR service = $2)
              AND ($3::text IS NULL OR channel = $3)
              AND ($4::int IS NULL OR fiscal_year BETWEEN $4 - $6::int AND $4)
              AND ($5::int IS NULL OR fiscal_quarter = $5)
              AND ($7::text[] IS NULL OR agency = ANY($7))
            GROUP BY \(groups.joined(separator: ", ")), measure
            """
        let quarterFilter: Int? = filter.trend ? nil : filter.quarter
        let rows = try await client.query(
            sql,
            [
                filter.agency, filter.service, filter.channel, filter.fiscalYear, quarterFilter, filter.trend ? 1 : 0,
                filter.agencies.parameter,
            ]
        )
        var cells: [RowKey: [String: MeasureTotals]] = [:]
        for row in rows.rows {
            let key = RowKey(
                agency: try row.require("agency"),
                service: filter.byService ? try row.require("service") : filter.service,
                channel: filter.byChannel ? try row.require("channel") : filter.channel,
                quarter: FiscalQuarter(fiscalYear: try row.require("fiscal_year"), quarter: try row.require("fiscal_quarter"))
            )
            cells[key, default: [:]][try row.require("measure")] = MeasureTotals(
                n: try row.require("n"),
                hits: try row.require("hits"),
                total: try row.require("total")
            )
        }
        let wanted = cells.keys.filter { key in
            (filter.fiscalYear.map { $0 == key.quarter.fiscalYear } ?? true) && (filter.quarter.map { $0 == key.quarter.quarter } ?? true)
        }
        return wanted.sorted(by: Self.order).map { key in
            let figures = ReportFigures(measures: cells[key] ?? [:], minimumCellSize: minimumCellSize)
            var report = figures.report(agency: key.agency, service: key.service, channel: key.channel, quarter: key.quarter)
            if filter.trend, !report.suppressed {
                var previousKey = key
                previousKey.quarter = key.quarter.previous
                if let measures = cells[previousKey] {
                    let previous = ReportFigures(measures: measures, minimumCellSize: minimumCellSize)
                    report.trend = figures.trend(since: previous, previousQuarter: previousKey.quarter)
                }
            }
            return report
        }
    }

    private static func order(_ lhs: RowKey, _ rhs: RowKey) -> Bool {
        (lhs.agency, lhs.quarter.fiscalYear, lhs.quarter.quarter, lhs.service ?? "", lhs.channel ?? "")
            < (rhs.agency, rhs.quarter.fiscalYear, rhs.quarter.quarter, rhs.service ?? "", rhs.channel ?? "")
    }
}
