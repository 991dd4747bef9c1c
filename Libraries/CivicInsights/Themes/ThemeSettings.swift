/// The settings of theme extraction, with their documented defaults (docs/services/reporting.md, "Themes").
package struct ThemeSettings: Sendable, Equatable {
    /// The fewest comments a term, and a published theme, rests on. Reporting passes its minimum cell size.
    package var minimumCount: Int = 10
    /// The most themes kept, the most frequent first.
    package var maximumThemes: Int = 12
    /// The most frequent n-grams (1-3 words) considered as candidate terms.
    package var maximumCandidates: Int = 1_500
    /// Terms kept per class, by class-based TF-IDF, among those distinctive of the class.
    package var termsPerClass: Int = 20
    /// A term is distinctive of a class when the lower bound of the class's share of its comments exceeds the
    /// class's share of all comments by this much...
    package var minimumDifference: Double = 0.10
    /// ...the bound taken at this many standard errors (a Wilson interval), which also its excess over chance
    /// must reach (binomial z).
    package var minimumZ: Double = 4
    /// Two terms are one theme when this share of the rarer one's comments also has the other (the overlap
    /// coefficient of their comment sets).
    package var mergeOverlap: Double = 0.5
    /// A word seen fewer times is replaced by a word one edit away (Damerau-Levenshtein) seen this many times
    /// as often, when there is one (misspellings); words of fewer than 4 letters are never corrected.
    package var correctionRatio: Int = 10
    /// The most distinct n-grams counted at once; past it the rarest are dropped (lossy counting), so memory
    /// stays flat however many comments there are.
    package var countingCapacity: Int = 1 << 20
    /// Words never part of a theme beyond the fixed English stop words: the agency's own names, its services
    /// and channels (matched case-insensitively, word by word).
    package var excludedWords: [String] = []

    /// Settings with the defaults.
    package init() {}
}
