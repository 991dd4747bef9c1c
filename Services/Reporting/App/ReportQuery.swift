import CivicPostgres
import Foundation

/// Reads report rows from the quarterly cells.
struct ReportQuery: Sendable {
    let client: PostgresClient
    let minimumCellSize: Int

    struct Filter {
        var agency: String?
        var fiscalYear: Int?
        var quarter: Int?
        var byService = false
        var byChannel = false
    }

    func reports(_ filter: Filter) async throws -> [QuarterlyReport] {
        var groups = ["agency", "fiscal_year", "fiscal_quarter"]
        if filter.byService { groups.append("service") }
        if filter.byChannel { groups.append("channel") }
        let sql = """
            SELECT \(groups.joined(separator: ", ")),
                   sum(responses) AS responses, sum(trust_n) AS trust_n, sum(trust_favourable) AS trust_favourable,
                   sum(satisfaction_n) AS satisfaction_n, sum(satisfaction_favourable) AS satisfaction_favourable,
                   sum(recommend_n) AS recommend_n, sum(promoters) AS promoters, sum(detractors) AS detractors,
                   sum(sentiment_n) AS sentiment_n, sum(sentiment_sum) AS sentiment_sum,
                   sum(sentiment_unscored) AS sentiment_unscored, sum(contacts) AS contacts,
                   sum(resolved_first) AS resolved_first, sum(handle_n) AS handle_n, sum(handle_sum) AS handle_sum,
                   sum(digital_contacts) AS digital_contacts
            FROM reporting.quarterly_cells
            WHERE ($1::text IS NULL OR agency = $1)
              AND ($2::int IS NULL OR fiscal_year = $2)
              AND ($3::int IS NULL OR fiscal_quarter = $3)
            GROUP BY \(groups.joined(separator: ", "))
            HAVING sum(responses) > 0 OR sum(contacts) > 0
            ORDER BY \(groups.joined(separator: ", "))
            """
        let rows = try await client.query(sql, [filter.agency, filter.fiscalYear, filter.quarter])
        return try rows.rows.map { row in
            let responses: Int = try row.require("responses")
            var report = QuarterlyReport(
                agency: try row.require("agency"),
                service: filter.byService ? try row.require("service") : nil,
                channel: filter.byChannel ? try row.require("channel") : nil,
                fiscalYear: try row.require("fiscal_year"),
                quarter: try row.require("fiscal_quarter"),
                suppressed: responses < minimumCellSize
            )
            let contacts: Int = try row.require("contacts")
            if contacts > 0 {
                if contacts < minimumCellSize {
                    report.operationsSuppressed = true
                } else {
                    let handleN: Int = try row.require("handle_n")
                    report.operations = OperationsFigures(
                        contacts: contacts,
                        // FCR among all contacts: a contact that did not report resolution counts as not resolved.
                        firstContactResolution: Proportion(favourable: try row.require("resolved_first"), n: contacts),
                        averageHandleSeconds: handleN > 0 ? try row.require("handle_sum", as: Double.self) / Double(handleN) : nil,
                        digitalAdoption: Proportion(favourable: try row.require("digital_contacts"), n: contacts)
                    )
                }
            }
            guard !report.suppressed else { return report }
            report.responses = responses
            report.trust = Proportion(favourable: try row.require("trust_favourable"), n: try row.require("trust_n"))
            report.satisfaction = Proportion(
                favourable: try row.require("satisfaction_favourable"),
                n: try row.require("satisfaction_n")
            )
            let recommendN: Int = try row.require("recommend_n")
            if recommendN > 0 {
                let promoters: Int = try row.require("promoters")
                let detractors: Int = try row.require("detractors")
                report.nps = NetPromoterScore(promoters: promoters, detractors: detractors, n: recommendN)
            }
            let sentimentN: Int = try row.require("sentiment_n")
            report.scoredComments = sentimentN
            report.unscoredComments = try row.require("sentiment_unscored")
            if sentimentN > 0 {
                report.meanSentiment = try row.require("sentiment_sum", as: Double.self) / Double(sentimentN)
            }
            return report
        }
    }
}
