import Foundation

/// Net promoter score: % of 9-10 answers minus % of 0-6 answers, among respondents who answered the 0-10
/// likelihood-to-recommend question.
///
/// Interval: each respondent scores +1 (promoter), 0 (passive) or -1 (detractor); the NPS is 100 times the
/// mean score. Its standard error is `100 * sqrt(((P + D) / n - (P - D)² / n²) / n)` (the variance of the
/// -1/0/+1 scores over n), and the 95% interval is the normal approximation `score ± 1.96 * SE`, clamped to
/// [-100, 100].
package struct NetPromoterScore: Codable, Sendable, Equatable {
    /// Respondents who answered.
    var n: Int
    /// Answers of 9 or 10.
    var promoters: Int
    /// Answers of 7 or 8.
    var passives: Int
    /// Answers of 0 to 6.
    var detractors: Int
    /// % promoters minus % detractors, -100...100.
    package var score: Double
    /// Lower bound of the 95% interval.
    var lower: Double
    /// Upper bound of the 95% interval.
    var upper: Double
    /// Standard error of `score`, in score points.
    var standardError: Double

    /// The score of `n` answers; `nil` when `n` is 0.
    init?(promoters: Int, detractors: Int, n: Int) {
        guard n > 0 else { return nil }
        self.n = n
        self.promoters = promoters
        self.detractors = detractors
        passives = n - promoters - detractors
        let total = Double(n)
        let mean = Double(promoters - detractors) / total
        let meanOfSquares = Double(promoters + detractors) / total
        let variance = max(0, meanOfSquares - mean * mean)
        standardError = 100 * (variance / total).squareRoot()
        score = 100 * mean
        lower = max(-100, score - Proportion.z95 * standardError)
        upper = min(100, score + Proportion.z95 * standardError)
    }
}
