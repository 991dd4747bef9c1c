/// The themes found in a set of comments, and which terms (1-3-grams) make each: a comment has a theme when it
/// has one of the theme's terms. Found by ``ThemeExtractor``; applied to any comment by ``ThemeMatcher`` (the
/// previous quarter's comments, one cell's comments), so counts of one theme compare and add up.
package struct ThemeModel: Sendable {
    /// One theme.
    package struct Theme: Sendable, Equatable, Codable {
        /// A readable label: its most telling phrase.
        package var label: String
        /// Its terms, the most frequent first (at most 8).
        package var terms: [String]
        /// The classes (indices into the extractor's class names) the theme is distinctive of, most
        /// distinctive first.
        package var classes: [Int]
        /// The comments it was found in, in the comments it was learnt from.
        package var count: Int
    }

    /// The themes, the most frequent first (at most 64).
    package let themes: [Theme]
    /// The class names the classes of ``Theme/classes`` index.
    package let classNames: [String]
    let vocabulary: TermVocabulary
    /// Each term's theme (an index into ``themes``).
    let themeOfTerm: [UInt64: Int]

    init(themes: [Theme], classNames: [String], vocabulary: TermVocabulary, themeOfTerm: [UInt64: Int]) {
        self.themes = themes
        self.classNames = classNames
        self.vocabulary = vocabulary
        self.themeOfTerm = themeOfTerm
    }
}

/// Finds the themes of comments one at a time, with buffers reused from comment to comment.
package struct ThemeMatcher: Sendable {
    /// The model it applies.
    package let model: ThemeModel
    private var words = CommentWords()
    private var keys: [UInt64] = []

    /// A matcher of `model`'s themes.
    package init(model: ThemeModel) { self.model = model }

    /// The themes of `text`, as a bit set of indices into the model's themes.
    package mutating func themes(of text: String) -> UInt64 {
        words.split(text)
        model.vocabulary.keys(of: words, into: &keys)
        var found: UInt64 = 0
        for key in keys {
            if let theme = model.themeOfTerm[key] { found |= 1 << UInt64(theme) }
        }
        return found
    }

    /// Whether `text` has at least one word theme extraction can use (a comment that counts).
    package mutating func hasWords(_ text: String) -> Bool {
        words.split(text)
        return words.words.contains { !model.vocabulary.isStopWord($0) && !EnglishWords.negators.contains($0) }
    }
}
