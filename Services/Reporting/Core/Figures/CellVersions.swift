import CivicPostgres

/// The version of the figures of a set of agencies: how many of them have cells, and the sum of their counters
/// in `reporting.cell_versions`. Each counter is bumped in the same transaction as every change of its agency's
/// `reporting.cell_measures` rows, and counters only grow (rows are never deleted), so every change of the
/// set's figures changes the stamp. Two reads that return the same stamp saw the same figures: a body computed
/// at one stamp can be served again until the stamp moves (``VersionedCache``).
package struct CellVersionStamp: Hashable, Sendable, CustomStringConvertible {
    /// Agencies of the set with cells.
    package var agencies: Int64
    /// The sum of their versions.
    package var sum: Int64

    package init(agencies: Int64, sum: Int64) {
        self.agencies = agencies
        self.sum = sum
    }

    package var description: String { "\(agencies) agencies at \(sum)" }
}

/// Reads and bumps `reporting.cell_versions`.
package struct CellVersions: Sendable {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// The stamp of `agency` when one is named, else of every agency in `agencies`: one indexed read.
    package func stamp(agency: String?, agencies: AgencySet) async throws -> CellVersionStamp {
        let rows = try await client.query(
            """
            SELECT count(*)::bigint AS agencies, coalesce(sum(version), 0)::bigint AS sum FROM reporting.cell_versions
            WHERE ($1::text IS NULL OR agency = $1) AND ($2::text[] IS NULL OR agency = ANY($2))
            """,
            [agency, agencies.parameter]
        )
        guard let row = rows.first else { return CellVersionStamp(agencies: 0, sum: 0) }
        return CellVersionStamp(agencies: try row.require("agencies"), sum: try row.require("sum"))
    }

    /// Bumps the versions of `agencies`, in agency order (so two transactions never wait on each other's rows
    /// in opposite orders). Call it last in the transaction that changed their cell measures, after every
    /// other write to `reporting.cell_measures`, so the rows stay locked only until the commit.
    static func bump(_ agencies: some Sequence<String>, on connection: PostgresConnection) async throws {
        let sorted = Set(agencies).sorted()
        guard !sorted.isEmpty else { return }
        _ = try await connection.insert(
            into: "reporting.cell_versions",
            columns: ["agency", "version"],
            rows: sorted.map { [$0, Int64(1)] },
            suffix: "ON CONFLICT (agency) DO UPDATE SET version = reporting.cell_versions.version + 1"
        )
    }

    /// Bumps every agency's version (a rebuild may change or remove any agency's cells).
    static func bumpAll(on connection: PostgresConnection) async throws {
        _ = try await connection.query(
            """
            INSERT INTO reporting.cell_versions (agency, version)
                SELECT DISTINCT agency, 1 FROM reporting.cell_measures ORDER BY agency
            ON CONFLICT (agency) DO NOTHING
            """
        )
        _ = try await connection.query("UPDATE reporting.cell_versions SET version = version + 1")
    }
}
