import Foundation

/// Finds the themes of a set of comments, locally and deterministically: no model, no network, the same
/// comments in the same order give the same themes (and, unless more distinct n-grams than
/// ``ThemeSettings/countingCapacity`` are frequent, in any order).
///
/// The method (docs/services/reporting.md, "Themes"), in four passes over the comments, each in memory that
/// does not grow with their number:
/// 1. Words: lower-cased, placeholders and words with digits dropped, stop words and the agency's own names
///    skipped; a word seen at least ``ThemeSettings/minimumCount`` times is known, by its stem; a rarer word one
///    edit away from a word seen ``ThemeSettings/correctionRatio`` times as often is that word misspelt.
/// 2. Terms: the 1-3-grams of known words within a clause (a negated word is a word of its own: `not helpful`),
///    counted once per comment; the ``ThemeSettings/maximumCandidates`` most frequent are the candidates.
/// 3. Classes: for each candidate, its comments in each class (the A-11 options ticked, trust up or down). A
///    candidate is distinctive of a class when the lower bound of the class's share of its comments (Wilson, at
///    ``ThemeSettings/minimumZ`` standard errors) exceeds the class's share of all comments by
///    ``ThemeSettings/minimumDifference``. Per class, the ``ThemeSettings/termsPerClass`` distinctive terms with the highest class-based
///    TF-IDF (`tf(t, c) / n(c) · log(1 + A / f(t))`: the term's comments in the class over the class's
///    comments, `A` the mean comments per class, `f(t)` the term's comments over all classes) are kept. Kept
///    terms whose comment sets overlap by ``ThemeSettings/mergeOverlap`` (of the rarer) are one theme (similar
///    phrases, a phrase and its words, misspelt and negated forms), labelled by its most telling phrase.
/// 4. Counts: the comments of each theme; a theme under ``ThemeSettings/minimumCount`` comments is dropped,
///    and the ``ThemeSettings/maximumThemes`` most frequent are kept.
///
/// A topic that every class mentions alike (a greeting, a date, the channel used) is background, not a theme:
/// themes are what tells comments apart by how the response went.
package struct ThemeExtractor: Sendable {
    /// The settings.
    package var settings: ThemeSettings
    /// The names of the classes a ``ThemeComment``'s class bits index (at most 64).
    package var classNames: [String]

    /// An extractor over `classNames`.
    package init(settings: ThemeSettings = ThemeSettings(), classNames: [String]) {
        self.settings = settings
        self.classNames = Array(classNames.prefix(64))
    }

    /// The themes of the comments `comments()` yields; it is called once per pass (four times) and must yield
    /// the same comments each time.
    package func themes<Comments: Sequence<ThemeComment>>(of comments: () throws -> Comments) rethrows -> ThemeModel {
        var discovery = ThemeDiscovery(extractor: self)
        while true {
            for comment in try comments() { discovery.add(comment) }
            if let model = discovery.finishPass() { return model }
        }
    }

    typealias Theme = ThemeModel.Theme
}

/// ``ThemeExtractor``'s passes as a value that is fed comments, for callers that read them asynchronously (a
/// database cursor per pass): `add` every comment, then `finishPass()`, until it returns the model.
package struct ThemeDiscovery: Sendable {
    private enum Pass: Sendable {
        case words(LossyCounter<String>)
        case terms(TermVocabulary, LossyCounter<UInt64>)
        case classes(TermVocabulary, CandidateStatistics)
        case counts(TermVocabulary, CandidateStatistics, [[Int]], [UInt64: Int], [Int])
    }

    private let settings: ThemeSettings
    private let classNames: [String]
    private let stopWords: Set<String>
    /// Stop words and negators: never counted as words.
    private let skipped: Set<String>
    private var pass: Pass
    private var words = CommentWords()
    private var keys: [UInt64] = []

    /// The passes of `extractor`.
    package init(extractor: ThemeExtractor) {
        settings = extractor.settings
        classNames = extractor.classNames
        var stopWords = EnglishWords.stopWords
        var excludedWords = CommentWords()
        let excluded = settings.excludedWords.joined(separator: " ")
        excludedWords.split(excluded.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " "))
        for word in excludedWords.words { stopWords.insert(word) }
        self.stopWords = stopWords
        skipped = stopWords.union(EnglishWords.negators)
        pass = .words(LossyCounter(capacity: settings.countingCapacity))
    }

    /// The number of the pass under way (1-4).
    package var passNumber: Int {
        switch pass {
        case .words: 1
        case .terms: 2
        case .classes: 3
        case .counts: 4
        }
    }

    /// Counts one comment in the pass under way.
    package mutating func add(_ comment: ThemeComment) {
        words.split(comment.text)
        switch pass {
        case .words(var counter):
            pass = .words(LossyCounter(capacity: 1))
            for word in words.words where !skipped.contains(word) { counter.add(word) }
            pass = .words(counter)
        case .terms(let vocabulary, var counter):
            pass = .words(LossyCounter(capacity: 1))
            vocabulary.keys(of: words, into: &keys)
            keys.sort()
            var last: UInt64 = 0
            for key in keys where key != last {
                counter.add(key)
                last = key
            }
            pass = .terms(vocabulary, counter)
        case .classes(let vocabulary, var statistics):
            pass = .words(LossyCounter(capacity: 1))
            vocabulary.keys(of: words, into: &keys)
            statistics.add(keys: keys, classes: comment.classes)
            pass = .classes(vocabulary, statistics)
        case .counts(let vocabulary, let statistics, let grouping, let themeOfTerm, var counts):
            pass = .words(LossyCounter(capacity: 1))
            vocabulary.keys(of: words, into: &keys)
            var found: UInt64 = 0
            for key in keys { if let theme = themeOfTerm[key], theme < 64 { found |= 1 << UInt64(theme) } }
            while found != 0 {
                counts[found.trailingZeroBitCount] += 1
                found &= found - 1
            }
            pass = .counts(vocabulary, statistics, grouping, themeOfTerm, counts)
        }
    }

    /// Adds what `other` counted in the same pass (another share of the comments, counted on another core
    /// from a copy of this value taken when the pass began). Passes that differ are left alone.
    package mutating func merge(_ other: ThemeDiscovery) {
        switch (pass, other.pass) {
        case (.words(var counter), .words(let theirs)):
            pass = .words(LossyCounter(capacity: 1))
            counter.merge(theirs)
            pass = .words(counter)
        case (.terms(let vocabulary, var counter), .terms(_, let theirs)):
            pass = .words(LossyCounter(capacity: 1))
            counter.merge(theirs)
            pass = .terms(vocabulary, counter)
        case (.classes(let vocabulary, var statistics), .classes(_, let theirs)):
            pass = .words(LossyCounter(capacity: 1))
            statistics.merge(theirs)
            pass = .classes(vocabulary, statistics)
        case (.counts(let vocabulary, let statistics, let grouping, let themeOfTerm, var counts), .counts(_, _, _, _, let theirs)):
            for index in counts.indices where index < theirs.count { counts[index] += theirs[index] }
            pass = .counts(vocabulary, statistics, grouping, themeOfTerm, counts)
        default:
            break
        }
    }

    /// Ends the pass under way: the model after the fourth, nil before (feed the same comments again).
    package mutating func finishPass() -> ThemeModel? {
        switch pass {
        case .words(let counter):
            pass = .terms(
                TermVocabulary(counts: counter.counts, settings: settings, stopWords: stopWords),
                LossyCounter(capacity: settings.countingCapacity)
            )
            return nil
        case .terms(let vocabulary, let counter):
            var candidates = counter.counts.filter { $0.value >= settings.minimumCount }.map { (key: $0.key, count: $0.value) }
            candidates.sort { ($0.count, $1.key) > ($1.count, $0.key) }
            if candidates.count > settings.maximumCandidates { candidates.removeLast(candidates.count - settings.maximumCandidates) }
            pass = .classes(vocabulary, CandidateStatistics(candidates: candidates.map(\.key), classCount: classNames.count))
            return nil
        case .classes(let vocabulary, let statistics):
            // At most 64 groups are counted (the most frequent kept later are a subset of these).
            var grouping = statistics.themes(settings: settings)
            grouping.sort { (statistics.support($0), $1.first ?? 0) > (statistics.support($1), $0.first ?? 0) }
            grouping = Array(grouping.prefix(64))
            var themeOfTerm: [UInt64: Int] = [:]
            for (theme, members) in grouping.enumerated() {
                for member in members { themeOfTerm[statistics.candidates[member]] = theme }
            }
            pass = .counts(vocabulary, statistics, grouping, themeOfTerm, Array(repeating: 0, count: grouping.count))
            return nil
        case .counts(let vocabulary, let statistics, let grouping, _, let counts):
            var kept: [(theme: ThemeModel.Theme, members: [Int])] = []
            for (index, members) in grouping.enumerated() where counts[index] >= settings.minimumCount {
                kept.append((statistics.describe(members, count: counts[index], vocabulary: vocabulary, settings: settings), members))
            }
            kept.sort { ($0.theme.count, $1.theme.label) > ($1.theme.count, $0.theme.label) }
            kept = Array(kept.prefix(min(64, settings.maximumThemes)))
            var themeOfTerm: [UInt64: Int] = [:]
            for (index, entry) in kept.enumerated() {
                for member in entry.members { themeOfTerm[statistics.candidates[member]] = index }
            }
            let model = ThemeModel(themes: kept.map(\.theme), classNames: classNames, vocabulary: vocabulary, themeOfTerm: themeOfTerm)
            pass = .counts(vocabulary, statistics, [], [:], [])
            return model
        }
    }
}

/// Counts with a fixed capacity: when full, every entry at the lowest count present is dropped, the rarest
/// first (lossy counting), so memory stays bounded. A key with `minimumCount` or more occurrences survives as
/// long as fewer than `capacity` keys are as frequent.
struct LossyCounter<Key: Hashable & Sendable>: Sendable {
    private(set) var counts: [Key: Int] = [:]
    private let capacity: Int
    private var floor = 1

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Adds `other`'s counts, then drops the rarest as ``add(_:)`` does when over capacity.
    mutating func merge(_ other: LossyCounter<Key>) {
        for (key, count) in other.counts { counts[key, default: 0] += count }
        floor = max(floor, other.floor)
        while counts.count >= capacity {
            counts = counts.filter { $0.value > floor }
            floor += 1
        }
    }

    mutating func add(_ key: Key) {
        if let index = counts.index(forKey: key) {
            counts.values[index] += 1
            return
        }
        if counts.count >= capacity {
            while counts.count >= capacity / 2 {
                counts = counts.filter { $0.value > floor }
                floor += 1
            }
        }
        counts[key] = 1
    }
}

/// Pass 3 of ``ThemeExtractor``: each candidate's comments, per class and together with each other candidate.
struct CandidateStatistics: Sendable {
    let candidates: [UInt64]
    let classCount: Int
    /// Comments with at least one known word.
    private(set) var documents = 0
    private(set) var classDocuments: [Int]
    private(set) var frequency: [Int]
    /// `classFrequency[candidate * classCount + class]`.
    private(set) var classFrequency: [Int]
    /// `together[i * count + j]` for i < j.
    private(set) var together: [UInt32]
    private var distinctive: [[Int]] = []

    private let index: [UInt64: Int]
    private var present: [Int] = []

    init(candidates: [UInt64], classCount: Int) {
        self.candidates = candidates
        self.classCount = classCount
        let count = candidates.count
        index = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1, $0) })
        classDocuments = Array(repeating: 0, count: classCount)
        frequency = Array(repeating: 0, count: count)
        classFrequency = Array(repeating: 0, count: count * classCount)
        together = Array(repeating: 0, count: count * count)
    }

    /// Counts one comment's n-gram keys.
    mutating func add(keys: [UInt64], classes bits: UInt64) {
        guard !keys.isEmpty else { return }
        let count = candidates.count
        documents += 1
        let classes = (0..<classCount).filter { bits & (1 << UInt64($0)) != 0 }
        for c in classes { classDocuments[c] += 1 }
        present.removeAll(keepingCapacity: true)
        for key in keys { if let i = index[key] { present.append(i) } }
        present.sort()
        var unique = 0
        for i in present.indices where i == 0 || present[i] != present[i - 1] {
            present[unique] = present[i]
            unique += 1
        }
        for a in 0..<unique {
            let i = present[a]
            frequency[i] += 1
            for c in classes { classFrequency[i * classCount + c] += 1 }
            for b in (a + 1)..<unique { together[i * count + present[b]] &+= 1 }
        }
    }

    /// Adds `other`'s counts (the same candidates and classes, over other comments).
    mutating func merge(_ other: CandidateStatistics) {
        guard other.candidates == candidates, other.classCount == classCount else { return }
        documents += other.documents
        for i in classDocuments.indices { classDocuments[i] += other.classDocuments[i] }
        for i in frequency.indices { frequency[i] += other.frequency[i] }
        for i in classFrequency.indices { classFrequency[i] += other.classFrequency[i] }
        for i in together.indices { together[i] &+= other.together[i] }
    }

    /// A group's support: the comments of its most frequent term.
    func support(_ members: [Int]) -> Int { members.map { frequency[$0] }.max() ?? 0 }

    /// The z score of candidate `i`'s comments in class `c` against chance, and how far the lower bound of the
    /// class's share of its comments (Wilson, at `minimumZ` standard errors) exceeds the class's share of all
    /// comments: a term in few comments must be that much more lopsided to count, so chance among thousands of
    /// candidates and classes makes no theme.
    private func association(_ i: Int, _ c: Int, minimumZ: Double) -> (z: Double, difference: Double, raw: Double) {
        let n = Double(frequency[i])
        guard n > 0, documents > 0 else { return (0, 0, 0) }
        let p = Double(classDocuments[c]) / Double(documents)
        guard p > 0, p < 1 else { return (0, 0, 0) }
        let observed = Double(classFrequency[i * classCount + c])
        let z = (observed - n * p) / (n * p * (1 - p)).squareRoot()
        let share = observed / n
        let z2 = minimumZ * minimumZ
        let centre = (share + z2 / (2 * n)) / (1 + z2 / n)
        let half = minimumZ * (share * (1 - share) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (z, centre - half - p, share - p)
    }

    /// The kept candidates grouped into themes (indices into ``candidates``), in a fixed order.
    func themes(settings: ThemeSettings) -> [[Int]] {
        let count = candidates.count
        let meanPerClass = Double(classDocuments.reduce(0, +)) / Double(max(1, classCount))
        var kept = Set<Int>()
        for c in 0..<classCount where classDocuments[c] >= settings.minimumCount {
            var scored: [(index: Int, weight: Double)] = []
            for i in 0..<count {
                let (z, difference, _) = association(i, c, minimumZ: settings.minimumZ)
                guard z >= settings.minimumZ, difference >= settings.minimumDifference else { continue }
                let inClasses = (0..<classCount).reduce(0) { $0 + classFrequency[i * classCount + $1] }
                let tf = Double(classFrequency[i * classCount + c]) / Double(classDocuments[c])
                let weight = tf * log(1 + meanPerClass / Double(max(1, inClasses)))
                scored.append((i, weight))
            }
            scored.sort { ($0.weight, $1.index) > ($1.weight, $0.index) }
            for entry in scored.prefix(settings.termsPerClass) { kept.insert(entry.index) }
        }
        // Union-find over kept terms whose comment sets overlap.
        let members = kept.sorted()
        var parent = Dictionary(uniqueKeysWithValues: members.map { ($0, $0) })
        func root(_ x: Int) -> Int {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        for (position, i) in members.enumerated() {
            for j in members[(position + 1)...] {
                let shared = Double(together[i * count + j])
                let smaller = Double(min(frequency[i], frequency[j]))
                guard smaller > 0, shared / smaller >= settings.mergeOverlap else { continue }
                let (a, b) = (root(i), root(j))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in members { groups[root(i), default: []].append(i) }
        return groups.keys.sorted().compactMap { groups[$0] }
    }

    /// A theme of the candidates `members`: its label, terms and classes. A theme goes with a class when one of
    /// its terms' comments fall in it by ``ThemeSettings/minimumDifference`` more than all comments do, at
    /// ``ThemeSettings/minimumZ`` (a description of a theme already found, so the plain difference suffices).
    func describe(_ members: [Int], count: Int, vocabulary: TermVocabulary, settings: ThemeSettings) -> ThemeModel.Theme {
        // Terms by frequency; the label is the phrase with the best frequency, longer phrases favoured.
        let byFrequency = members.sorted { (frequency[$0], candidates[$1]) > (frequency[$1], candidates[$0]) }
        func telling(_ i: Int) -> Double {
            Double(frequency[i]) * (1 + 0.5 * Double(TermVocabulary.length(of: candidates[i]) - 1))
        }
        let top = Double(byFrequency.first.map { frequency[$0] } ?? 0)
        let label =
            byFrequency.filter { Double(frequency[$0]) >= 0.3 * top }
            .max { (telling($0), candidates[$1]) < (telling($1), candidates[$0]) }
            .map { vocabulary.label(of: candidates[$0]) } ?? ""
        var terms: [String] = []
        for i in byFrequency where terms.count < 8 {
            let term = vocabulary.label(of: candidates[i])
            if !terms.contains(term) { terms.append(term) }
        }
        var classScores: [(c: Int, z: Double)] = []
        for c in 0..<classCount {
            let best =
                members.map { association($0, c, minimumZ: settings.minimumZ) }.filter { $0.raw >= settings.minimumDifference }.map(\.z).max()
                ?? 0
            if best >= settings.minimumZ { classScores.append((c, best)) }
        }
        classScores.sort { ($0.z, $1.c) > ($1.z, $0.c) }
        return ThemeModel.Theme(label: label, terms: terms, classes: classScores.map(\.c), count: count)
    }
}
