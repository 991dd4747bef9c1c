import CivicPostgres
import Foundation

/// Reads the responses of known respondents and computes ``RelationshipReport``.
package struct RelationshipQuery: Sendable {
    let client: PostgresClient
    let minimumCellSize: Int
    let fiscalYearStartMonth: Int
    let trendQuarters: Int

    package init(client: PostgresClient, minimumCellSize: Int, fiscalYearStartMonth: Int, trendQuarters: Int) {
        self.client = client
        self.minimumCellSize = minimumCellSize
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.trendQuarters = trendQuarters
    }

    package func report(agency: String?, quarter: FiscalQuarter) async throws -> RelationshipReport {
        let windowStart = quarter.advanced(by: -(trendQuarters - 1)).interval(startMonth: fiscalYearStartMonth).start
        let (start, end) = quarter.interval(startMonth: fiscalYearStartMonth)
        // The responses of the respondents in scope, in the window: with `agency`, only those linked
        // (through their pseudonyms' rotations, transitively) to a response about that agency, so no other
        // respondent's row leaves the database; their other agencies' responses still count (interactions and
        // agencies are the relationship). Without `agency`, every respondent. Spam never counts.
        let rows = try await client.query(
            """
            WITH RECURSIVE window_rows AS (
                SELECT event_id, respondent, agency, fiscal_year, fiscal_quarter, occurred_at, payload
                FROM reporting.feedback
                WHERE respondent IS NOT NULL AND NOT excluded
                  AND occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
            ), rotations AS (
                SELECT w.respondent AS current, previous
                FROM window_rows w,
                     jsonb_array_elements_text(coalesce(w.payload->'respondent'->'previousPseudonyms', '[]'::jsonb)) AS previous
                WHERE $3::text[] IS NOT NULL
            ), linked (pseudonym) AS (
                SELECT respondent FROM window_rows WHERE agency = ANY($3::text[])
                UNION
                SELECT CASE WHEN r.current = l.pseudonym THEN r.previous ELSE r.current END
                FROM rotations r JOIN linked l ON r.current = l.pseudonym OR r.previous = l.pseudonym
            )
            SELECT respondent, agency, fiscal_year, fiscal_quarter,
                   array_to_string(ARRAY(SELECT jsonb_array_elements_text(
                       coalesce(payload->'respondent'->'previousPseudonyms', '[]'::jsonb))), ',') AS previous,
                   CASE jsonb_typeof(payload->'answers'->'trust')
                       WHEN 'number' THEN 'five'
                       WHEN 'object' THEN CASE payload->'answers'->'trust'->>'scale' WHEN 'thumbs' THEN 'thumbs' ELSE 'five' END
                   END AS trust_scale,
                   CASE jsonb_typeof(payload->'answers'->'trust')
                       WHEN 'number' THEN (payload->'answers'->>'trust')::int
                       WHEN 'object' THEN (payload->'answers'->'trust'->>'value')::int
                   END AS trust_value
            FROM window_rows
            WHERE $3::text[] IS NULL OR respondent IN (SELECT pseudonym FROM linked)
            ORDER BY occurred_at, event_id
            """,
            [windowStart, end, agency.map { PostgresTextArray([$0]) }]
        )
        let responses = try rows.rows.map { row in
            let scale: String? = try row.decode("trust_scale")
            let value: Int? = try row.decode("trust_value")
            return RelationshipResponse(
                pseudonym: try row.require("respondent"),
                previousPseudonyms: (try row.decode("previous", as: String.self) ?? "").split(separator: ",").map(String.init),
                agency: try row.require("agency"),
                quarter: FiscalQuarter(fiscalYear: try row.require("fiscal_year"), quarter: try row.require("fiscal_quarter")),
                trust: scale.flatMap { scale in value.map { TrustScore(scale: scale, value: $0) } }
            )
        }
        let anonymous = try await client.query(
            """
            SELECT count(*) AS n FROM reporting.feedback
            WHERE respondent IS NULL AND NOT excluded AND ($1::text IS NULL OR agency = $1)
              AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz
            """,
            [agency, start, end]
        )
        let anonymousCount = try anonymous.first?.require("n", as: Int.self) ?? 0
        let figures = RelationshipFigures(responses: responses, quarter: quarter, agency: agency)
        var report = RelationshipReport(
            agency: agency,
            fiscalYear: quarter.fiscalYear,
            quarter: quarter.quarter,
            minimumCellSize: minimumCellSize,
            trendQuarters: trendQuarters,
            suppressed: figures.respondents < minimumCellSize,
            trendSuppressed: figures.trendN < minimumCellSize,
            anonymousSuppressed: anonymousCount > 0 && anonymousCount < minimumCellSize
        )
        if anonymousCount == 0 || anonymousCount >= minimumCellSize { report.anonymousResponses = anonymousCount }
        guard !report.suppressed else {
            report.trendSuppressed = true
            return report
        }
        let respondents = Double(figures.respondents)
        report.respondents = figures.respondents
        report.interactionsPerRespondent = Double(figures.interactions) / respondents
        report.agenciesPerRespondent = Double(figures.agencies) / respondents
        report.multiAgency = Proportion(favourable: figures.multiAgency, n: figures.respondents)
        report.trust = Proportion(favourable: figures.trustFavourable, n: figures.trustN)
        if !report.trendSuppressed {
            report.trend = TrustTrend(
                n: figures.trendN,
                improved: Proportion(favourable: figures.improved, n: figures.trendN),
                unchanged: Proportion(favourable: figures.unchanged, n: figures.trendN),
                declined: Proportion(favourable: figures.declined, n: figures.trendN)
            )
        }
        return report
    }
}
