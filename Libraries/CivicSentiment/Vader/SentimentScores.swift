/// The four VADER scores for one text, exactly as `vaderSentiment` 3.3.2 reports them.
///
/// `neg`, `neu` and `pos` are proportions rounded to 3 decimal places and `compound`
/// is the normalised sum in [-1, 1] rounded to 4, all with Python `round` semantics.
package struct SentimentScores: Sendable, Codable, Equatable, Hashable {
    /// Proportion of the text that is negative.
    package var neg: Double
    /// Proportion of the text that is neutral.
    package var neu: Double
    /// Proportion of the text that is positive.
    package var pos: Double
    /// Normalised, weighted composite score in [-1, 1].
    package var compound: Double

    /// Creates a score set from its four values.
    package init(neg: Double, neu: Double, pos: Double, compound: Double) {
        self.neg = neg
        self.neu = neu
        self.pos = pos
        self.compound = compound
    }

    /// The result for a text that has no tokens (empty or whitespace only): all zeros.
    package static let zero = SentimentScores(neg: 0.0, neu: 0.0, pos: 0.0, compound: 0.0)

    /// Bit-for-bit equality of all four doubles (distinguishes `0.0` from `-0.0`), which is
    /// what parity checks against the Python package need. `==` uses IEEE equality.
    package func isBitwiseIdentical(to other: SentimentScores) -> Bool {
        neg.bitPattern == other.neg.bitPattern && neu.bitPattern == other.neu.bitPattern
            && pos.bitPattern == other.pos.bitPattern && compound.bitPattern == other.compound.bitPattern
    }
}
