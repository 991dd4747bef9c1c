import CivicPostgres
import Foundation

/// Reads the responses of the journey level and computes ``JourneyReport``.
package struct JourneyQuery: Sendable {
    let client: PostgresClient
    let minimumCellSize: Int
    let fiscalYearStartMonth: Int
    let stageOrder: JourneyStageOrder

    package init(client: PostgresClient, minimumCellSize: Int, fiscalYearStartMonth: Int, stageOrder: JourneyStageOrder) {
        self.client = client
        self.minimumCellSize = minimumCellSize
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.stageOrder = stageOrder
    }

    package func report(agency: String, service: String, quarter: FiscalQuarter) async throws -> JourneyReport {
        let (start, end) = quarter.interval(startMonth: fiscalYearStartMonth)
        // The responses of journeys whose first response falls in the quarter (spam never counts).
        let rows = try await client.query(
            """
            WITH journey AS (
                SELECT respondent, journey_id FROM reporting.feedback
                WHERE agency = $1 AND service = $2 AND level = 'journey' AND NOT excluded
                  AND respondent IS NOT NULL AND journey_id IS NOT NULL
                GROUP BY respondent, journey_id
                HAVING min(occurred_at) >= $3::timestamptz AND min(occurred_at) < $4::timestamptz
            )
            SELECT f.respondent, f.journey_id, f.stage, f.occurred_at, f.trust_favourable,
                   array_to_string(ARRAY(SELECT jsonb_array_elements_text(
                       coalesce(f.payload->'respondent'->'previousPseudonyms', '[]'::jsonb))), ',') AS previous
            FROM reporting.feedback f JOIN journey USING (respondent, journey_id)
            WHERE f.agency = $1 AND f.service = $2 AND f.level = 'journey' AND NOT f.excluded
            ORDER BY f.occurred_at, f.event_id
            """,
            [agency, service, start, end]
        )
        let responses = try rows.rows.map { row in
            JourneyResponse(
                pseudonym: try row.require("respondent"),
                previousPseudonyms: (try row.decode("previous", as: String.self) ?? "").split(separator: ",").map(String.init),
                journeyId: try row.require("journey_id"),
                stage: try row.decode("stage"),
                occurredAt: try row.require("occurred_at"),
                trustFavourable: try row.decode("trust_favourable")
            )
        }
        let anonymous = try await client.query(
            """
            SELECT count(*) AS n FROM reporting.feedback
            WHERE agency = $1 AND service = $2 AND level = 'journey' AND NOT excluded AND respondent IS NULL
              AND occurred_at >= $3::timestamptz AND occurred_at < $4::timestamptz
            """,
            [agency, service, start, end]
        )
        let anonymousCount = try anonymous.first?.require("n", as: Int.self) ?? 0
        let figures = JourneyFigures(responses: responses, configuredStages: stageOrder.stages(agency: agency, service: service))
        var report = JourneyReport(
            agency: agency,
            service: service,
            fiscalYear: quarter.fiscalYear,
            quarter: quarter.quarter,
            minimumCellSize: minimumCellSize,
            stages: figures.configured ? figures.stages : [],
            stageOrder: figures.configured ? "configured" : "first-appearance",
            suppressed: figures.journeys < minimumCellSize,
            anonymousSuppressed: anonymousCount > 0 && anonymousCount < minimumCellSize
        )
        if anonymousCount == 0 || anonymousCount >= minimumCellSize { report.anonymousResponses = anonymousCount }
        guard !report.suppressed else { return report }
        report.stages = figures.stages
        report.journeys = figures.journeys
        report.completion = Proportion(favourable: figures.completed, n: figures.journeys)
        report.funnel = figures.stages.indices.map {
            JourneyStage(stage: figures.stages[$0], reached: figures.reached[$0], droppedOff: figures.droppedOff[$0])
        }
        report.trust = Proportion(favourable: figures.trustFavourable, n: figures.trustN)
        report.responsesAtUnlistedStages = figures.responsesAtUnlistedStages
        return report
    }
}
