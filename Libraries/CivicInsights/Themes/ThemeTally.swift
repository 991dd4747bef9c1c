/// What one cell's comments say about each theme of a model: counts, sentiment, the classes each goes with,
/// and a few example comments, in memory that does not grow with the comments.
package struct ThemeTally: Sendable {
    /// One theme's figures in the cell.
    package struct Figures: Sendable, Equatable {
        /// Comments with the theme.
        package var count = 0
        /// Comments with the theme and a sentiment score, and the sum of their compound scores.
        package var scored = 0
        package var sentimentSum = 0.0
        /// Comments with the theme in each class (indexed like the model's class names).
        package var classCounts: [Int]
        /// Examples: the comments with the smallest keys (a hash of the response's id, so the choice does not
        /// depend on the order comments arrive in), at most ``ThemeTally/exampleLimit``.
        package var examples: [(key: UInt64, text: String)] = []

        /// Mean compound sentiment (-1...1) of the theme's scored comments.
        package var meanSentiment: Double? { scored > 0 ? sentimentSum / Double(scored) : nil }

        package static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.count == rhs.count && lhs.scored == rhs.scored && lhs.sentimentSum == rhs.sentimentSum
                && lhs.classCounts == rhs.classCounts && lhs.examples.map(\.key) == rhs.examples.map(\.key)
                && lhs.examples.map(\.text) == rhs.examples.map(\.text)
        }
    }

    /// Examples kept per theme.
    package static let exampleLimit = 3

    /// Comments counted (the denominator of every theme's share).
    package private(set) var comments = 0
    /// Comments counted in each class.
    package private(set) var classTotals: [Int]
    /// Each theme's figures, indexed like the model's themes.
    package private(set) var themes: [Figures]

    /// An empty tally of `themeCount` themes over `classCount` classes.
    package init(themeCount: Int, classCount: Int) {
        classTotals = Array(repeating: 0, count: classCount)
        themes = Array(repeating: Figures(classCounts: Array(repeating: 0, count: classCount)), count: themeCount)
    }

    /// Counts one comment with the themes `found` (a bit set from ``ThemeMatcher``).
    package mutating func add(themes found: UInt64, classes: UInt64, sentiment: Double?, exampleKey: UInt64, text: String) {
        comments += 1
        for index in classTotals.indices where classes & (1 << UInt64(index)) != 0 { classTotals[index] += 1 }
        var remaining = found
        while remaining != 0 {
            let theme = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            guard theme < themes.count else { continue }
            themes[theme].count += 1
            if let sentiment, sentiment.isFinite {
                themes[theme].scored += 1
                themes[theme].sentimentSum += sentiment
            }
            for index in classTotals.indices where classes & (1 << UInt64(index)) != 0 { themes[theme].classCounts[index] += 1 }
            var examples = themes[theme].examples
            if examples.count < Self.exampleLimit || exampleKey < (examples.last?.key ?? .max) {
                let position = examples.firstIndex { $0.key > exampleKey } ?? examples.count
                examples.insert((exampleKey, text), at: position)
                if examples.count > Self.exampleLimit { examples.removeLast() }
                themes[theme].examples = examples
            }
        }
    }

    /// Adds another tally of the same model (for example, a service's cells into the service).
    package mutating func merge(_ other: ThemeTally) {
        comments += other.comments
        for index in classTotals.indices where index < other.classTotals.count { classTotals[index] += other.classTotals[index] }
        for theme in themes.indices where theme < other.themes.count {
            let theirs = other.themes[theme]
            themes[theme].count += theirs.count
            themes[theme].scored += theirs.scored
            themes[theme].sentimentSum += theirs.sentimentSum
            for index in themes[theme].classCounts.indices where index < theirs.classCounts.count {
                themes[theme].classCounts[index] += theirs.classCounts[index]
            }
            let examples = (themes[theme].examples + theirs.examples).sorted { ($0.key, $0.text) < ($1.key, $1.text) }
            themes[theme].examples = Array(examples.prefix(Self.exampleLimit))
        }
    }

    /// A stable 64-bit key of a string (FNV-1a), for choosing examples independently of arrival order.
    package static func key(_ identifier: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identifier.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
