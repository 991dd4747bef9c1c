/// The words theme extraction knows, learnt from one pass over the comments: each word seen at least the
/// minimum number of times, by its stem, and each rarer word one edit away from a much more frequent one (a
/// misspelling) mapped to that word's stem. Every other word is unknown: it is no term and breaks n-grams.
struct TermVocabulary: Sendable {
    /// Term ids are 1...count; a negated term is `id + count`; both fit in ``idBits`` bits.
    static let idBits: UInt64 = 21
    static let maximumTerms = (1 << 20) - 1

    /// Each known surface word's term id (1...count), and ``stopCode`` for a stop word, ``negatorCode`` for a
    /// negator: one lookup per word.
    private let ids: [String: Int32]
    private static let stopCode: Int32 = 0
    private static let negatorCode: Int32 = -1
    /// Each term's label: its most frequent surface word.
    private let labels: [String]
    /// Words that are never terms: English stop words and the excluded words.
    private let stopWords: Set<String>

    /// The number of terms.
    var count: Int { labels.count }

    /// The vocabulary of the words counted in `counts`.
    init(counts: [String: Int], settings: ThemeSettings, stopWords: Set<String>) {
        self.stopWords = stopWords
        let minimum = max(2, settings.minimumCount)
        var frequent = counts.filter { $0.value >= minimum }.map { (word: $0.key, count: $0.value) }
        frequent.sort { ($0.count, $1.word) > ($1.count, $0.word) }
        if frequent.count > Self.maximumTerms { frequent.removeLast(frequent.count - Self.maximumTerms) }
        var stemIds: [String: Int32] = [:]
        var labels: [String] = []
        var ids: [String: Int32] = [:]
        for (word, _) in frequent {
            let stem = EnglishWords.stem(word)
            if let id = stemIds[stem] {
                ids[word] = id
            } else {
                labels.append(word)
                let id = Int32(labels.count)
                stemIds[stem] = id
                ids[word] = id
            }
        }
        // Misspellings: an index of every single-letter deletion of each frequent word of 4 letters or more.
        let frequentCounts = Dictionary(uniqueKeysWithValues: frequent.map { ($0.word, $0.count) })
        var deletions: [String: [String]] = [:]
        for (word, _) in frequent where word.utf8.count >= 4 {
            for variant in Self.deletions(of: word) { deletions[variant, default: []].append(word) }
        }
        for (word, count) in counts where count < minimum && word.utf8.count >= 4 {
            var candidates: [String] = deletions[word] ?? []
            for variant in Self.deletions(of: word) {
                if frequentCounts[variant] != nil { candidates.append(variant) }
                candidates += deletions[variant] ?? []
            }
            var best: (word: String, count: Int)?
            for candidate in candidates {
                guard let frequency = frequentCounts[candidate], frequency >= settings.correctionRatio * count,
                    Self.oneEditApart(word, candidate)
                else { continue }
                if let current = best, (frequency, current.word) <= (current.count, candidate) { continue }
                best = (candidate, frequency)
            }
            if let best, let id = ids[best.word] { ids[word] = id }
        }
        for word in stopWords { ids[word] = Self.stopCode }
        for word in EnglishWords.negators { ids[word] = Self.negatorCode }
        self.ids = ids
        self.labels = labels
    }

    /// Whether `word` is a stop word.
    func isStopWord(_ word: String) -> Bool { stopWords.contains(word) }

    /// The 1-3-gram keys of a comment's words, in order (with repeats), into `keys`.
    ///
    /// Stop words are skipped (they do not break an n-gram), negators negate the next term of their clause,
    /// unknown words and clause breaks end n-grams.
    func keys(of words: CommentWords, into keys: inout [UInt64]) {
        keys.removeAll(keepingCapacity: true)
        let negation = Int32(labels.count)
        var previous: UInt64 = 0
        var beforePrevious: UInt64 = 0
        var negate = false
        for index in words.words.indices {
            let word = words.words[index]
            if words.startsClause[index] {
                previous = 0
                beforePrevious = 0
                negate = false
            }
            guard var id = ids[word] else {
                previous = 0
                beforePrevious = 0
                negate = false
                continue
            }
            if id == Self.negatorCode {
                negate = true
                continue
            }
            if id == Self.stopCode { continue }
            if negate {
                id += negation
                negate = false
            }
            let term = UInt64(id)
            keys.append(term)
            if previous != 0 {
                keys.append(previous | term << Self.idBits)
                if beforePrevious != 0 { keys.append(beforePrevious | previous << Self.idBits | term << (2 * Self.idBits)) }
            }
            beforePrevious = previous
            previous = term
        }
    }

    /// The readable label of an n-gram key: each term's most frequent surface word, `not` before a negated one.
    func label(of key: UInt64) -> String {
        var parts: [String] = []
        var rest = key
        let mask: UInt64 = (1 << Self.idBits) - 1
        while rest != 0 {
            let id = Int(rest & mask)
            rest >>= Self.idBits
            if id >= 1 && id <= labels.count {
                parts.append(labels[id - 1])
            } else if id > labels.count && id - labels.count <= labels.count {
                parts.append("not " + labels[id - labels.count - 1])
            }
        }
        return parts.joined(separator: " ")
    }

    /// The number of terms in an n-gram key (1-3).
    static func length(of key: UInt64) -> Int {
        key >> (2 * idBits) != 0 ? 3 : (key >> idBits != 0 ? 2 : 1)
    }

    private static func deletions(of word: String) -> [String] {
        let bytes = Array(word.utf8)
        return bytes.indices.map { index in
            var copy = bytes
            copy.remove(at: index)
            return String(decoding: copy, as: UTF8.self)
        }
    }

    /// Whether `a` and `b` are one insertion, deletion, substitution or adjacent transposition apart.
    static func oneEditApart(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        if x == y { return false }
        if x.count == y.count {
            let differences = x.indices.filter { x[$0] != y[$0] }
            if differences.count == 1 { return true }
            if differences.count == 2, differences[1] == differences[0] + 1 {
                return x[differences[0]] == y[differences[1]] && x[differences[1]] == y[differences[0]]
            }
            return false
        }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        guard long.count == short.count + 1 else { return false }
        var i = 0
        while i < short.count && long[i] == short[i] { i += 1 }
        return long[(i + 1)...].elementsEqual(short[i...])
    }
}
