import CivicPostgres

/// The version of the figures of a set of agencies' quarters: how many of those quarters have cells, and the
/// sum of their counters in `reporting.cell_versions`. Each counter is bumped in the same transaction as every
/// change of its agency's quarter in `reporting.cell_measures` (and of the comments the insights read), and
/// counters only grow (rows are never deleted), so every change of the set's figures changes the stamp. Two
/// reads that return the same stamp saw the same figures: a body computed at one stamp can be served again
/// until the stamp moves (``VersionedCache``).
package struct CellVersionStamp: Hashable, Sendable, CustomStringConvertible {
    /// Quarters of the set with cells.
    package var quarters: Int64
    /// The sum of their versions.
    package var sum: Int64

    package init(quarters: Int64, sum: Int64) {
        self.quarters = quarters
        self.sum = sum
    }

    package var description: String { "\(quarters) quarters at \(sum)" }

    /// Whether figures read at this stamp are at least as new as those read at `other`, for the same set:
    /// both parts only grow, so of two reads the later one has both parts at least as large.
    package func isAtLeast(_ other: CellVersionStamp) -> Bool {
        quarters >= other.quarters && sum >= other.sum
    }
}

/// Reads and bumps `reporting.cell_versions`: one counter per agency and fiscal quarter.
package struct CellVersions: Sendable {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// The stamp of the quarters a `GET /v1/reports` answer for `filter` rests on: with a fiscal year, its
    /// quarters (or the one asked for) and, with trends, the quarter before each; without one, every quarter
    /// ``ReportQuery/reports(_:)`` reads.
    package func stamp(for filter: ReportQuery.Filter) async throws -> CellVersionStamp {
        guard let year = filter.fiscalYear else {
            return try await stamp(agency: filter.agency, agencies: filter.agencies, quarter: filter.trend ? nil : filter.quarter)
        }
        let shown = (filter.quarter.map { [$0] } ?? [1, 2, 3, 4]).map { FiscalQuarter(fiscalYear: year, quarter: $0) }
        let quarters = filter.trend ? Set(shown + shown.map(\.previous)) : Set(shown)
        return try await stamp(agency: filter.agency, agencies: filter.agencies, quarters: quarters.sorted())
    }

    /// The stamp of `quarters` of `agency` (when one is named) among `agencies`.
    package func stamp(agency: String?, agencies: AgencySet, quarters: [FiscalQuarter]) async throws -> CellVersionStamp {
        try await stamp(agency: agency, agencies: agencies, quarterList: quarters.map(\.description))
    }

    private func stamp(
        agency: String?,
        agencies: AgencySet,
        quarter: Int? = nil,
        quarterList: [String]? = nil
    ) async throws -> CellVersionStamp {
        let rows = try await client.query(
            """
            SELECT count(*)::bigint AS quarters, coalesce(sum(version), 0)::bigint AS sum FROM reporting.cell_versions
            WHERE ($1::text IS NULL OR agency = $1) AND ($2::text[] IS NULL OR agency = ANY($2))
              AND ($3::int IS NULL OR fiscal_quarter = $3)
              AND ($4::text[] IS NULL OR format('FY%s Q%s', fiscal_year, fiscal_quarter) = ANY($4))
            """,
            [agency, agencies.parameter, quarter, quarterList.map(PostgresTextArray.init)]
        )
        guard let row = rows.first else { return CellVersionStamp(quarters: 0, sum: 0) }
        return CellVersionStamp(quarters: try row.require("quarters"), sum: try row.require("sum"))
    }

    /// Bumps the versions of the cells' agency quarters, in key order (so two transactions never wait on each
    /// other's rows in opposite orders). Call it last in the transaction that changed their cell measures, after
    /// every other write to `reporting.cell_measures`, so the rows stay locked only until the commit.
    static func bump(_ cells: some Sequence<CellKey>, on connection: PostgresConnection) async throws {
        let quarters = Set(cells.map { AgencyQuarter(agency: $0.agency, quarter: $0.quarter) }).sorted()
        guard !quarters.isEmpty else { return }
        _ = try await connection.insert(
            into: "reporting.cell_versions",
            columns: ["agency", "fiscal_year", "fiscal_quarter", "version"],
            rows: quarters.map { [$0.agency, $0.quarter.fiscalYear, $0.quarter.quarter, Int64(1)] },
            suffix: "ON CONFLICT (agency, fiscal_year, fiscal_quarter) DO UPDATE SET version = reporting.cell_versions.version + 1"
        )
    }

    /// Bumps every agency quarter's version (a rebuild may change or remove any of them).
    static func bumpAll(on connection: PostgresConnection) async throws {
        _ = try await connection.query(
            """
            INSERT INTO reporting.cell_versions (agency, fiscal_year, fiscal_quarter, version)
                SELECT DISTINCT agency, fiscal_year, fiscal_quarter, 1 FROM reporting.cell_measures
                ORDER BY agency, fiscal_year, fiscal_quarter
            ON CONFLICT (agency, fiscal_year, fiscal_quarter) DO NOTHING
            """
        )
        _ = try await connection.query("UPDATE reporting.cell_versions SET version = version + 1")
    }

    private struct AgencyQuarter: Hashable, Comparable {
        var agency: String
        var quarter: FiscalQuarter

        static func < (lhs: AgencyQuarter, rhs: AgencyQuarter) -> Bool {
            (lhs.agency, lhs.quarter) < (rhs.agency, rhs.quarter)
        }
    }
}
