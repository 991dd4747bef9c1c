import CivicInsights

/// The key drivers of one row of `GET /v1/reports/drivers`: an agency's quarter, or one of its services,
/// channels or collections.
package struct DriversReport: Codable, Sendable, Equatable {
    package var agency: String
    package var service: String?
    package var channel: String?
    package var fiscalYear: Int
    package var quarter: Int
    /// One analysis per form and outcome with respondents in the row.
    package var analyses: [DriverFindings]
}

/// One key-driver analysis: which predictors go with an outcome, by dominance analysis (Shapley values of R²).
package struct DriverFindings: Codable, Sendable, Equatable {
    /// `a11-v1` or `a11-v2`.
    package var form: String
    /// `trust` (top-two-box or thumbs up on v2, the 1-5 answer on v1) or `satisfaction` (v1, 1-5).
    package var outcome: String
    /// The predictors (the seven v1 Likert items other than the outcome; on v2, the comment's themes,
    /// channel, touchpoint and journey stage).
    package var predictors: [String]
    /// Whether it is withheld: fewer respondents than the minimum (the larger of the minimum cell size and
    /// `CIVIC_REPORTING_DRIVERS_MIN_N`), or withheld so that no small n can be derived from the others.
    package var suppressed: Bool
    /// The respondents it rests on (sampled down to `CIVIC_REPORTING_DRIVERS_MAX_ROWS`); `nil` when suppressed.
    package var n: Int?
    /// The full model's R² and its 95% bootstrap interval.
    package var rSquared: Double?
    package var rSquaredLower: Double?
    package var rSquaredUpper: Double?
    /// The drivers, the largest weight first.
    package var drivers: [DriverAnalysis.Driver]
}
