import CivicModels
import CivicPostgres

/// Reads the quarterly exports: the collections with their volumes (here, as the collections' cycle reads them
/// too), the legacy A-11 v1 counts, and the A-11 v2 responses of one collection, streamed in batches (those two
/// in ReportingExports, `ExportQuery+Rows.swift`). Spam-flagged responses never appear.
package struct ExportQuery: Sendable {
    package let client: PostgresClient
    package let minimumCellSize: Int
    /// Rows per cursor fetch while streaming. Default: 1,000.
    package var batchSize = 1_000

    package init(client: PostgresClient, minimumCellSize: Int, batchSize: Int = 1_000) {
        self.client = client
        self.minimumCellSize = minimumCellSize
        self.batchSize = batchSize
    }

    /// The agency's collections in a fiscal year (optionally one quarter), in service, channel, quarter order.
    package func collections(agency: String, fiscalYear: Int, quarter: Int?) async throws -> [Collection] {
        let rows = try await client.query(
            """
            WITH f AS (
                SELECT service, channel, fiscal_year, fiscal_quarter, count(*) AS respondents,
                       count(*) FILTER (WHERE payload->'instrument'->'praExpired' = 'true'::jsonb) AS pra_expired
                FROM reporting.feedback
                WHERE agency = $1 AND fiscal_year = $2 AND ($3::int IS NULL OR fiscal_quarter = $3) AND NOT excluded
                GROUP BY 1, 2, 3, 4
            ), o AS (
                SELECT service, channel, fiscal_year, fiscal_quarter, count(*) AS customers,
                       count(*) FILTER (WHERE survey_offered) AS offered
                FROM reporting.operations
                WHERE agency = $1 AND fiscal_year = $2 AND ($3::int IS NULL OR fiscal_quarter = $3)
                GROUP BY 1, 2, 3, 4
            )
            SELECT service, channel, fiscal_year, fiscal_quarter, coalesce(respondents, 0) AS respondents,
                   coalesce(customers, 0) AS customers, coalesce(offered, 0) AS offered, coalesce(pra_expired, 0) AS pra_expired
            FROM f FULL JOIN o USING (service, channel, fiscal_year, fiscal_quarter)
            ORDER BY service, channel, fiscal_year, fiscal_quarter
            """,
            [agency, fiscalYear, quarter]
        )
        let points = try await transactionPoints(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
        return try rows.rows.map { row in
            let respondents: Int = try row.require("respondents")
            var collection = Collection(
                agency: agency,
                service: try row.require("service"),
                channel: try row.require("channel"),
                fiscalYear: try row.require("fiscal_year"),
                quarter: try row.require("fiscal_quarter"),
                suppressed: respondents < minimumCellSize,
                customers: try row.require("customers"),
                offered: try row.require("offered"),
                respondents: respondents,
                praExpired: try row.require("pra_expired")
            )
            collection.transactionPoints =
                points[
                    TransactionPointKey(
                        service: collection.service,
                        channel: collection.channel,
                        fiscalYear: collection.fiscalYear,
                        quarter: collection.quarter
                    )
                ]
                ?? []
            return collection
        }
    }

    private struct TransactionPointKey: Hashable {
        var service: String
        var channel: String
        var fiscalYear: Int
        var quarter: Int
    }

    /// The agency's collections' transaction points with their volumes, in touchpoint order (unnamed last).
    private func transactionPoints(agency: String, fiscalYear: Int, quarter: Int?) async throws -> [TransactionPointKey: [TransactionPoint]] {
        let rows = try await client.query(
            """
            SELECT service, channel, fiscal_year, fiscal_quarter, touchpoint,
                   sum(respondents) AS respondents, sum(customers) AS customers, sum(offered) AS offered
            FROM (
                SELECT service, channel, fiscal_year, fiscal_quarter, payload->>'touchpoint' AS touchpoint,
                       1 AS respondents, 0 AS customers, 0 AS offered
                FROM reporting.feedback
                WHERE agency = $1 AND fiscal_year = $2 AND ($3::int IS NULL OR fiscal_quarter = $3) AND NOT excluded
                UNION ALL
                SELECT service, channel, fiscal_year, fiscal_quarter, touchpoint,
                       0, 1, CASE WHEN survey_offered THEN 1 ELSE 0 END
                FROM reporting.operations
                WHERE agency = $1 AND fiscal_year = $2 AND ($3::int IS NULL OR fiscal_quarter = $3)
            ) AS events
            -- GROUP BY takes the events that name no transaction point as one group (NULLs group together).
            GROUP BY 1, 2, 3, 4, 5
            ORDER BY service, channel, fiscal_year, fiscal_quarter, touchpoint NULLS LAST
            """,
            [agency, fiscalYear, quarter]
        )
        var points: [TransactionPointKey: [TransactionPoint]] = [:]
        for row in rows.rows {
            let key = TransactionPointKey(
                service: try row.require("service"),
                channel: try row.require("channel"),
                fiscalYear: try row.require("fiscal_year"),
                quarter: try row.require("fiscal_quarter")
            )
            points[key, default: []].append(
                TransactionPoint(
                    touchpoint: try row.decode("touchpoint"),
                    customers: try row.require("customers"),
                    offered: try row.require("offered"),
                    respondents: try row.require("respondents")
                )
            )
        }
        return points
    }
}
