import Foundation

/// One row of `GET /v1/reports`: an agency's transaction-level figures for one fiscal quarter (optionally per
/// service and channel).
///
/// Small cells: a row with fewer responses than the minimum cell size shows no survey figures at all, and
/// within a shown row every figure whose own n is below the minimum is left out too (`nil`, or absent from a
/// map), so no number rests on fewer than the minimum.
package struct QuarterlyReport: Codable, Sendable, Equatable {
    /// Agency code.
    package var agency: String
    /// Service, when grouped by (or filtered on) service.
    package var service: String?
    /// Channel, when grouped by (or filtered on) channel.
    var channel: String?
    /// Fiscal year.
    package var fiscalYear: Int
    /// Fiscal quarter, 1-4.
    package var quarter: Int
    /// Whether the survey figures are withheld because the cell is smaller than the minimum.
    package var suppressed: Bool
    /// Responses counted (spam excluded); `nil` when suppressed.
    package var responses: Int?
    /// Trust (both forms): share of thumbs up or 4-5.
    package var trust: Proportion?
    /// Satisfaction, i.e. CSAT (v1 forms): share of 4-5.
    package var satisfaction: Proportion?
    /// The A-11 drivers.
    package var drivers: DriverFigures?
    /// Net promoter score with its interval, from the respondents who answered the recommend question.
    package var nps: NetPromoterScore?
    /// Sentiment of the comments.
    package var sentiment: SentimentFigures?
    /// Mean compound sentiment of scored comments (same as `sentiment.meanCompound`).
    package var meanSentiment: Double?
    /// Comments scored for sentiment (same as `sentiment.scored`).
    package var scoredComments: Int?
    /// Comments left unscored for sentiment because their locale or language is not English (VADER is
    /// English-only); same as `sentiment.unscored`.
    var unscoredComments: Int?
    /// Share of scored comments expressing each emotion, keyed by the scorer's emotion name (anger, fear,
    /// sadness, joy, frustration, confusion, disappointment, gratitude). A comment expresses an emotion when
    /// the scorer's `emotions` map gives it an intensity > 0 (at least one match not under negation).
    /// Denominator: scored comments.
    package var emotions: [String: Proportion]?
    /// Change since the previous fiscal quarter, for the same agency (service, channel); `nil` unless both
    /// quarters are unsuppressed.
    package var trend: TrendFigures?
    /// Operational figures from `cx.operations.v1`; `nil` when there were no contacts or fewer than the
    /// minimum cell size.
    package var operations: OperationsFigures?
    /// Whether the operational figures are withheld because there were fewer contacts than the minimum.
    package var operationsSuppressed: Bool = false
}

/// The A-11 drivers of one cell, keyed by driver name.
package struct DriverFigures: Codable, Sendable, Equatable {
    /// v1 (legacy) forms: top-two-box share (4-5 among answers given) per driver: effectiveness, ease,
    /// efficiency, transparency, employee. Trust and satisfaction are reported at the top level.
    package var topTwoBox: [String: Proportion] = [:]
    /// v2 forms: share of v2 respondents in the cell who ticked the driver under "What went well?"
    /// (effectiveness, ease, efficiency, transparency, humanity, employee, other). Denominator: every v2
    /// respondent in the cell, whether or not they were shown the question.
    package var wentWell: [String: Proportion] = [:]
    /// v2 forms: share of v2 respondents in the cell who ticked the driver under "What didn't go so well?".
    /// Denominator: every v2 respondent in the cell.
    package var didNotGoWell: [String: Proportion] = [:]
}

/// Sentiment of one cell's comments (VADER compound; DESIGN.md thresholds).
package struct SentimentFigures: Codable, Sendable, Equatable {
    /// Comments scored.
    var scored: Int
    /// Comments left unscored (not English).
    var unscored: Int
    /// Mean compound score of the scored comments.
    var meanCompound: Double?
    /// Share of scored comments with compound >= 0.05.
    package var positive: Proportion?
    /// Share of scored comments with -0.05 < compound < 0.05.
    package var neutral: Proportion?
    /// Share of scored comments with compound <= -0.05.
    package var negative: Proportion?
}

/// Changes since the previous fiscal quarter (see ``Trend`` for the test). A figure is present only when
/// it is shown in both quarters.
package struct TrendFigures: Codable, Sendable, Equatable {
    /// The previous quarter's fiscal year.
    var previousFiscalYear: Int
    /// The previous quarter, 1-4.
    var previousQuarter: Int
    /// Trust share.
    package var trust: Trend?
    /// Satisfaction (CSAT) share.
    var satisfaction: Trend?
    /// Net promoter score.
    var nps: Trend?
    /// Drivers, by the same keys as ``DriverFigures``.
    var drivers: DriverTrends = DriverTrends()
}

/// Driver trends keyed by driver name.
struct DriverTrends: Codable, Sendable, Equatable {
    /// v1 top-two-box shares.
    var topTwoBox: [String: Trend] = [:]
    /// v2 went-well shares.
    var wentWell: [String: Trend] = [:]
    /// v2 didn't-go-well shares.
    var didNotGoWell: [String: Trend] = [:]
}

/// First-contact resolution, handle time and digital adoption for one cell.
package struct OperationsFigures: Codable, Sendable, Equatable {
    /// Contacts (transactions) counted.
    package var contacts: Int
    /// Contacts resolved on the first contact, among all contacts (one that did not report it counts as not
    /// resolved).
    package var firstContactResolution: Proportion?
    /// Mean handle time in seconds, among contacts that reported it.
    package var averageHandleSeconds: Double?
    /// Transactions in digital channels (web, mobile, email, chat, kiosk) among all transactions.
    package var digitalAdoption: Proportion?
}
