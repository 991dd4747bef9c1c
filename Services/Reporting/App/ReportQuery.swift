import CivicPostgres
import Foundation

/// A proportion with its 95% Wilson score interval.
public struct Proportion: Codable, Sendable, Equatable {
    /// Respondents who answered.
    public var n: Int
    /// Respondents who answered favourably (top two boxes, or thumbs up).
    public var favourable: Int
    /// favourable / n.
    public var share: Double
    /// Lower bound of the 95% Wilson interval.
    public var lower: Double
    /// Upper bound of the 95% Wilson interval.
    public var upper: Double

    /// The proportion `favourable / n` with its interval; `nil` when `n` is 0.
    public init?(favourable: Int, n: Int) {
        guard n > 0 else { return nil }
        self.n = n
        self.favourable = favourable
        let p = Double(favourable) / Double(n)
        let z = 1.959_963_984_540_054
        let z2 = z * z
        let total = Double(n)
        let denominator = 1 + z2 / total
        let centre = (p + z2 / (2 * total)) / denominator
        let half = z * ((p * (1 - p) / total + z2 / (4 * total * total)).squareRoot()) / denominator
        share = p
        lower = max(0, centre - half)
        upper = min(1, centre + half)
    }
}

/// One row of `GET /v1/reports`: an agency's figures for one fiscal quarter (optionally per service and
/// channel). A row with fewer responses than the minimum cell size shows no figures at all.
public struct QuarterlyReport: Codable, Sendable, Equatable {
    /// Agency code.
    public var agency: String
    /// Service, when grouped by service.
    public var service: String?
    /// Channel, when grouped by channel.
    public var channel: String?
    /// Fiscal year.
    public var fiscalYear: Int
    /// Fiscal quarter, 1-4.
    public var quarter: Int
    /// Whether the survey figures are withheld because the cell is smaller than the minimum.
    public var suppressed: Bool
    /// Responses counted (spam excluded); `nil` when suppressed.
    public var responses: Int?
    /// Trust: share of thumbs up or 4-5.
    public var trust: Proportion?
    /// Satisfaction (CSAT, legacy forms): share of 4-5.
    public var satisfaction: Proportion?
    /// Net promoter score: % 9-10 minus % 0-6, from the respondents who answered.
    public var nps: Double?
    /// Mean compound sentiment of scored comments.
    public var meanSentiment: Double?
    /// Comments scored for sentiment.
    public var scoredComments: Int?
    /// Comments left unscored for sentiment because their locale or language is not English (VADER is
    /// English-only).
    public var unscoredComments: Int?
    /// Operational figures from `cx.operations.v1`; `nil` when there were no contacts or fewer than the
    /// minimum cell size.
    public var operations: OperationsFigures?
    /// Whether the operational figures are withheld because there were fewer contacts than the minimum.
    public var operationsSuppressed: Bool = false
}

/// First-contact resolution, handle time and digital adoption for one cell.
public struct OperationsFigures: Codable, Sendable, Equatable {
    /// Contacts (transactions) counted.
    public var contacts: Int
    /// Contacts resolved on the first contact, among those that reported it.
    public var firstContactResolution: Proportion?
    /// Mean handle time in seconds, among contacts that reported it.
    public var averageHandleSeconds: Double?
    /// Transactions in digital channels (web, mobile, email, chat, kiosk) among all transactions.
    public var digitalAdoption: Proportion?
}

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
                report.nps = 100 * Double(promoters - detractors) / Double(recommendN)
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
