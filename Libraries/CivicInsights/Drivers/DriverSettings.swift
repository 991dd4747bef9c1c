/// The settings of key-driver analysis, with their documented defaults (docs/services/reporting.md, "Key drivers").
package struct DriverSettings: Sendable, Equatable {
    /// The fewest respondents an analysis is published on. Under 200 the bootstrap's percentile intervals of
    /// R² shares are unreliable (they undercover), and one respondent moves a share by more than a point.
    package var minimumN: Int = 200
    /// Bootstrap resamples for the intervals.
    package var bootstrapSamples: Int = 200
    /// The seed of the resampling: the same rows and seed give the same intervals.
    package var seed: UInt64 = 0x2026_A11D
    /// The most respondents analysed: past it, those with the smallest keys (a hash of the response's id, so a
    /// fixed, order-independent sample) are kept, so time and memory stay bounded.
    package var maximumRows: Int = 20_000
    /// The most predictors (groups of columns): dominance analysis fits a regression for each of their 2^p
    /// subsets.
    package var maximumPredictors: Int = 12

    /// Settings with the defaults.
    package init() {}
}
