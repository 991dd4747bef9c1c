import CivicPostgres
import Foundation

/// Reads report rows from `reporting.cell_measures`, withholding small cells and their complements
/// (``PublishedTable``).
package struct ReportQuery: Sendable {
    let client: PostgresClient
    package let minimumCellSize: Int

    package init(client: PostgresClient, minimumCellSize: Int) {
        self.client = client
        self.minimumCellSize = minimumCellSize
    }

    /// Which rows to return.
    package struct Filter: Sendable, Hashable {
        package var agency: String?
        package var service: String?
        package var channel: String?
        package var fiscalYear: Int?
        package var quarter: Int?
        package var byService = false
        package var byChannel = false
        /// Whether to add the change since the previous fiscal quarter.
        package var trend = true
        /// The agencies the caller may see: rows of any other agency are never read.
        package var agencies: AgencySet = .all

        package init(
            agency: String? = nil,
            service: String? = nil,
            channel: String? = nil,
            fiscalYear: Int? = nil,
            quarter: Int? = nil,
            byService: Bool = false,
            byChannel: Bool = false,
            trend: Bool = true,
            agencies: AgencySet = .all
        ) {
            self.agency = agency
            self.service = service
            self.channel = channel
            self.fiscalYear = fiscalYear
            self.quarter = quarter
            self.byService = byService
            self.byChannel = byChannel
            self.trend = trend
            self.agencies = agencies
        }
    }

    package func reports(_ filter: Filter) async throws -> [QuarterlyReport] {
        // Every collection (service, channel) of the agencies' quarters is read, whatever the grouping asked
        // for: what is withheld is decided on the whole table of each agency's quarter (complementary
        // suppression), so every grouping publishes the same pattern. With trends, the previous quarter is
        // read too: the quarter filter is applied after reading, and a fiscal-year filter widens to the year
        // before (for Q1's previous quarter).
        let sql = """
            SELECT agency, fiscal_year, fiscal_quarter, service, channel, measure, n, hits, total
            FROM reporting.cell_measures
            WHERE ($1::text IS NULL OR agency = $1)
              AND ($2::int IS NULL OR fiscal_year BETWEEN $2 - $4::int AND $2)
              AND ($3::int IS NULL OR fiscal_quarter = $3)
              AND ($5::text[] IS NULL OR agency = ANY($5))
            """
        let quarterFilter: Int? = filter.trend ? nil : filter.quarter
        let rows = try await client.query(
            sql,
            [filter.agency, filter.fiscalYear, quarterFilter, filter.trend ? 1 : 0, filter.agencies.parameter]
        )
        var tables: [TableKey: PublishedTable.Builder] = [:]
        for row in rows.rows {
            let key = TableKey(
                agency: try row.require("agency"),
                quarter: FiscalQuarter(fiscalYear: try row.require("fiscal_year"), quarter: try row.require("fiscal_quarter"))
            )
            tables[key, default: PublishedTable.Builder()].add(
                service: try row.require("service"),
                channel: try row.require("channel"),
                measure: try row.require("measure"),
                totals: MeasureTotals(n: try row.require("n"), hits: try row.require("hits"), total: try row.require("total"))
            )
        }
        let published = tables.mapValues { $0.table(minimumCellSize: minimumCellSize) }
        var wanted: [RowKey] = []
        for (key, table) in published {
            let inYear = filter.fiscalYear.map { $0 == key.quarter.fiscalYear } ?? true
            let inQuarter = filter.quarter.map { $0 == key.quarter.quarter } ?? true
            guard inYear, inQuarter else { continue }
            for node in table.nodes(byService: filter.byService, byChannel: filter.byChannel, service: filter.service, channel: filter.channel) {
                wanted.append(RowKey(agency: key.agency, quarter: key.quarter, node: node))
            }
        }
        return wanted.sorted(by: Self.order).compactMap { key -> QuarterlyReport? in
            guard let table = published[TableKey(agency: key.agency, quarter: key.quarter)] else { return nil }
            let figures = table.figures(key.node)
            var report = figures.report(agency: key.agency, service: key.service, channel: key.channel, quarter: key.quarter)
            if filter.trend, !report.suppressed, let previous = published[TableKey(agency: key.agency, quarter: key.quarter.previous)],
                previous.has(key.node)
            {
                report.trend = figures.trend(since: previous.figures(key.node), previousQuarter: key.quarter.previous)
            }
            return report
        }
    }

    /// One agency's quarter.
    private struct TableKey: Hashable {
        var agency: String
        var quarter: FiscalQuarter
    }

    /// A report row's identity before figures.
    private struct RowKey {
        var agency: String
        var quarter: FiscalQuarter
        var node: ComplementarySuppression.Node

        var service: String? {
            switch node {
            case .service(let service), .cell(let service, _): service
            case .total, .channel: nil
            }
        }

        var channel: String? {
            switch node {
            case .channel(let channel), .cell(_, let channel): channel
            case .total, .service: nil
            }
        }
    }

    private static func order(_ lhs: RowKey, _ rhs: RowKey) -> Bool {
        (lhs.agency, lhs.quarter.fiscalYear, lhs.quarter.quarter, lhs.service ?? "", lhs.channel ?? "")
            < (rhs.agency, rhs.quarter.fiscalYear, rhs.quarter.quarter, rhs.service ?? "", rhs.channel ?? "")
    }
}
