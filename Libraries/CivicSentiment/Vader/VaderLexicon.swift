import Foundation

/// The parsed VADER data: the word table (lexicon + rule words) and the emoji table.
///
/// Built once from `vader_lexicon.txt` and `emoji_utf8_lexicon.txt` exactly as
/// vaderSentiment 3.3.2 parses them, then never mutated.
final class VaderLexicon: Sendable {
    /// Words (lexicon keys, boosters, negations and rule words), lowercased ASCII.
    let words: VaderKeyTable
    /// The single-code-point emoji keys and their descriptions.
    let emoji: VaderEmojiTable
    /// Number of lexicon entries after de-duplication (later lines win), for diagnostics.
    let lexiconEntryCount: Int

    // MARK: Constants of vaderSentiment 3.3.2

    static let boosterIncrement = 0.293
    static let boosterDecrement = -0.293
    static let capsIncrement = 0.733
    static let negationScalar = -0.74

    static let negations: [String] = [
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    ]

    static let boostersUp: [String] = [
        "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
        "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
        "exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin",
        "frackin", "fracking", "fricking", "frickin", "frigging", "friggin", "fully", "fuckin",
        "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely", "incredible",
        "incredibly", "intensely", "major", "majorly", "more", "most", "particularly", "purely",
        "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally",
        "tremendous", "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very",
    ]

    /// Single-word dampeners. The multi-word keys ("just enough", "kind of", "sort of") can
    /// only act through the idiom step and are handled there by word identity.
    static let boostersDown: [String] = [
        "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little", "marginal",
        "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely", "slight",
        "slightly", "somewhat", "sorta", "sortof", "sort-of",
    ]

    static let ruleWords: [(String, VaderWord)] = [
        ("kind", .kind), ("of", .of), ("no", .no), ("or", .or), ("nor", .nor), ("never", .never),
        ("so", .so), ("this", .this), ("without", .without), ("doubt", .doubt), ("least", .least),
        ("at", .at), ("very", .very), ("but", .but), ("the", .the), ("shit", .shit), ("bomb", .bomb),
        ("bad", .bad), ("ass", .ass), ("bus", .bus), ("stop", .stop), ("yeah", .yeah), ("right", .right),
        ("kiss", .kiss), ("death", .death), ("to", .to), ("die", .die), ("for", .for),
        ("beating", .beating), ("heart", .heart), ("just", .just), ("enough", .enough), ("sort", .sort),
    ]

    // MARK: Loading

    init(lexiconData: Data, emojiData: Data) throws(CivicSentimentError) {
        var table: [VaderKey: VaderWordInfo] = [:]
        table.reserveCapacity(8_192)
        func update(_ key: VaderKey, _ body: (inout VaderWordInfo) -> Void) {
            body(&table[key, default: VaderWordInfo()])
        }
        var lexiconCount = 0
        let lexiconLines = Self.lines(of: lexiconData)
        for line in lexiconLines {
            guard !line.rawIsEmpty else { continue }
            let fields = line.stripped.split(separator: 0x09, omittingEmptySubsequences: false)
            guard fields.count >= 2 else {
                throw CivicSentimentError(
                    code: .malformedResource,
                    reason: "vader_lexicon.txt: a line has fewer than two tab-separated fields"
                )
            }
            guard let valence = Double(String(decoding: fields[1], as: UTF8.self).trimmingCharacters(in: .whitespaces))
            else {
                throw CivicSentimentError(
                    code: .malformedResource,
                    reason: "vader_lexicon.txt: unparseable valence for key \(String(decoding: fields[0], as: UTF8.self))"
                )
            }
            lexiconCount += 1
            // Keys with capitals, whitespace or non-ASCII can never equal a lowercased token.
            let keyBytes = Array(fields[0])
            guard
                keyBytes.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) && !PythonText.isWhitespace(UInt32($0)) }),
                let key = VaderKey.exact(keyBytes)
            else { continue }
            update(key) { info in
                info.inLexicon = true
                info.valence = valence
            }
        }
        guard table.count > 7_000 else {
            throw CivicSentimentError(
                code: .malformedResource,
                reason: "vader_lexicon.txt: only \(table.count) usable keys; the file is truncated or not the 3.3.2 lexicon"
            )
        }
        for word in Self.negations {
            if let key = VaderKey.exact(Array(word.utf8)) { update(key) { $0.isNegation = true } }
        }
        for word in Self.boostersUp {
            if let key = VaderKey.exact(Array(word.utf8)) {
                update(key) {
                    $0.isBooster = true
                    $0.booster = Self.boosterIncrement
                }
            }
        }
        for word in Self.boostersDown {
            if let key = VaderKey.exact(Array(word.utf8)) {
                update(key) {
                    $0.isBooster = true
                    $0.booster = Self.boosterDecrement
                }
            }
        }
        for (word, id) in Self.ruleWords {
            if let key = VaderKey.exact(Array(word.utf8)) { update(key) { $0.word = id } }
        }
        words = VaderKeyTable(table)
        lexiconEntryCount = lexiconCount

        var index: [UInt32: Int] = [:]
        var descriptions: [(scalar: UInt32, bytes: [UInt8])] = []
        for line in Self.lines(of: emojiData, trimTrailingNewlines: true) {
            let fields = line.stripped.split(separator: 0x09, omittingEmptySubsequences: false)
            guard fields.count >= 2 else {
                throw CivicSentimentError(
                    code: .malformedResource,
                    reason: "emoji_utf8_lexicon.txt: a line has fewer than two tab-separated fields"
                )
            }
            let keyBytes = Array(fields[0])
            guard !keyBytes.isEmpty else { continue }
            let scalarCount = keyBytes.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
            guard scalarCount == 1 else { continue }
            let value = keyBytes.withUnsafeBufferPointer { PythonText.decodeScalar($0, at: 0).value }
            let description = Array(fields[1])
            if let existing = index[value] {
                descriptions[existing].bytes = description  // later line wins, as in a dict
            } else {
                index[value] = descriptions.count
                descriptions.append((value, description))
            }
        }
        guard descriptions.count > 1_000 else {
            throw CivicSentimentError(
                code: .malformedResource,
                reason: "emoji_utf8_lexicon.txt: only \(descriptions.count) single-code-point keys"
            )
        }
        emoji = VaderEmojiTable(descriptions)
    }

    /// One line of a data file: the raw bytes and the Python-`strip()`ped bytes.
    private struct Line {
        var rawIsEmpty: Bool
        var stripped: ArraySlice<UInt8>
    }

    /// Python `text.rstrip('\n').split('\n')` (when `trimTrailingNewlines`) or
    /// `text.rstrip('\n').split('\n')` with empty lines kept for the caller to skip.
    private static func lines(of data: Data, trimTrailingNewlines: Bool = true) -> [Line] {
        var bytes = [UInt8](data)
        if trimTrailingNewlines {
            while bytes.last == 0x0A { bytes.removeLast() }
        }
        let all = ArraySlice(bytes)
        return all.split(separator: 0x0A, omittingEmptySubsequences: false).map { raw in
            var slice = raw
            while let first = slice.first, PythonText.isWhitespace(UInt32(first)) { slice = slice.dropFirst() }
            while let last = slice.last, PythonText.isWhitespace(UInt32(last)) { slice = slice.dropLast() }
            return Line(rawIsEmpty: raw.isEmpty, stripped: slice)
        }
    }
}
