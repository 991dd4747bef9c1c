import Foundation

/// A proportion with its 95% Wilson score interval.
package struct Proportion: Codable, Sendable, Equatable {
    /// The two-sided 95% normal quantile used by every interval and test in reporting.
    static let z95 = 1.959_963_984_540_054

    /// The denominator: respondents (or comments, or contacts) counted.
    package var n: Int
    /// How many of them have the property (top two boxes, thumbs up, ticked, expressed, ...).
    var favourable: Int
    /// favourable / n.
    package var share: Double
    /// Lower bound of the 95% Wilson interval.
    package var lower: Double
    /// Upper bound of the 95% Wilson interval.
    package var upper: Double

    /// The proportion `favourable / n` with its interval; `nil` when `n` is 0.
    init?(favourable: Int, n: Int) {
        guard n > 0 else { return nil }
        self.n = n
        self.favourable = favourable
        let p = Double(favourable) / Double(n)
        let z = Self.z95
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
