import Foundation

/// How one figure moved since the previous fiscal quarter.
///
/// Significance at 95%, two-sided: for shares, the pooled two-proportion z-test
/// (`p = (x₁ + x₂) / (n₁ + n₂)`, `SE = sqrt(p (1 - p) (1/n₁ + 1/n₂))`); for NPS, the difference of two
/// independent scores (`SE = sqrt(SE₁² + SE₂²)` from ``NetPromoterScore/standardError``). The change is
/// significant when `|change| > 1.96 * SE`.
package struct Trend: Codable, Sendable, Equatable {
    /// The previous quarter's value (a share 0...1, or an NPS -100...100).
    var previous: Double
    /// This quarter's value.
    var current: Double
    /// current - previous.
    package var change: Double
    /// Whether the change is significant at 95%.
    package var significant: Bool

    /// The trend of a share from `previous` to `current`.
    init(from previous: Proportion, to current: Proportion) {
        self.previous = previous.share
        self.current = current.share
        change = current.share - previous.share
        let pooled = Double(previous.favourable + current.favourable) / Double(previous.n + current.n)
        let error = (pooled * (1 - pooled) * (1 / Double(previous.n) + 1 / Double(current.n))).squareRoot()
        significant = abs(change) > Proportion.z95 * error
    }

    /// The trend of a net promoter score from `previous` to `current`.
    init(from previous: NetPromoterScore, to current: NetPromoterScore) {
        self.previous = previous.score
        self.current = current.score
        change = current.score - previous.score
        let error = (previous.standardError * previous.standardError + current.standardError * current.standardError).squareRoot()
        significant = abs(change) > Proportion.z95 * error
    }
}
