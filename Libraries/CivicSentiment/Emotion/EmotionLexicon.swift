import Foundation

/// The emotion dictionaries, compiled from three data files:
/// `AEV_Dict.csv` (Vocabulate, MIT), `empath_subset.tsv` (curated Empath 0.89, MIT) and
/// `emotion_mapping.tsv` (CivicPulse's mapping of those sources onto ``Emotion``).
final class EmotionLexicon: Sendable {
    struct Phrase: Sendable {
        var words: [VaderKey]
        var mask: UInt8
        var text: String
    }

    /// Whole-word terms → emotion mask.
    let exactTerms: [VaderKey: UInt8]
    /// Wildcard stems ("frustrat" from `frustrat*`) → emotion mask.
    let prefixTerms: [VaderKey: UInt8]
    /// The distinct stem lengths, ascending, so a token is probed only at useful lengths.
    let prefixLengths: [Int]
    /// Multi-word phrases keyed by their first word.
    let phrases: [VaderKey: [Phrase]]

    /// Words that negate an emotion word up to three words later in the same clause.
    let negators: Set<VaderKey>
    /// Words that raise the weight of the next emotion word (VADER's up-boosters plus a few).
    let intensifiers: Set<VaderKey>
    /// Words that lower it (VADER's dampeners plus "bit").
    let dampeners: Set<VaderKey>
    /// Words that end a clause like punctuation does.
    let clauseBreakers: Set<VaderKey>

    static let negatorWords: [String] =
        VaderLexicon.negations.filter { $0 != "despite" } + ["no", "nobody", "hardly", "barely", "lack", "lacks", "lacking"]
    static let intensifierWords: [String] = VaderLexicon.boostersUp + ["super", "truly", "too", "beyond"]
    static let dampenerWords: [String] = VaderLexicon.boostersDown + ["bit"]
    static let clauseBreakerWords: [String] = ["but", "however", "although", "though", "yet"]

    init(vocabulateData: Data, empathSubsetData: Data, mappingData: Data) throws(CivicSentimentError) {
        // AEV_Dict.csv: "Concepts,Neg,Pos,AnxFear,Anger,Sadness,NegUndiff"
        let aevLines = Self.textLines(vocabulateData)
        guard let header = aevLines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
            header.first == "Concepts"
        else {
            throw CivicSentimentError(code: .malformedResource, reason: "AEV_Dict.csv: missing Concepts header")
        }
        var aevRows: [(concept: String, columns: Set<String>)] = []
        for line in aevLines.dropFirst() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count else {
                throw CivicSentimentError(code: .malformedResource, reason: "AEV_Dict.csv: bad row \(line)")
            }
            var columns = Set<String>()
            for (index, field) in fields.enumerated().dropFirst() where field == "X" { columns.insert(header[index]) }
            aevRows.append((fields[0], columns))
        }

        // empath_subset.tsv: "category TAB term TAB term ..."
        var empath: [String: [String]] = [:]
        for line in Self.textLines(empathSubsetData) where !line.isEmpty {
            let fields = line.split(separator: "\t").map(String.init)
            empath[fields[0]] = Array(fields.dropFirst())
        }

        var included: [Emotion: [String]] = [:]  // AEV concept rows per emotion, in order
        var excluded: [Emotion: Set<String>] = [:]
        var exact: [VaderKey: UInt8] = [:]
        var prefix: [VaderKey: UInt8] = [:]
        var phraseTable: [VaderKey: [Phrase]] = [:]

        func key(_ word: String, in context: String) throws(CivicSentimentError) -> VaderKey {
            guard let key = VaderKey.exact(Array(word.utf8)) else {
                throw CivicSentimentError(
                    code: .malformedResource,
                    reason: "\(context): term \(word.debugDescription) is empty, not ASCII or longer than \(VaderKey.maximumLength) bytes"
                )
            }
            return key
        }

        for line in Self.textLines(mappingData) where !line.isEmpty && !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, let emotion = Emotion(rawValue: fields[0]) else {
                throw CivicSentimentError(code: .malformedResource, reason: "emotion_mapping.tsv: bad row \(line)")
            }
            let selector = fields[2]
            switch fields[1] {
            case "aev-category":
                guard header.contains(selector) else {
                    throw CivicSentimentError(code: .malformedResource, reason: "emotion_mapping.tsv: no AEV column \(selector)")
                }
                included[emotion, default: []] += aevRows.filter { $0.columns.contains(selector) }.map(\.concept)
            case "aev-concept":
                guard aevRows.contains(where: { $0.concept == selector }) else {
                    throw CivicSentimentError(code: .malformedResource, reason: "emotion_mapping.tsv: no AEV concept \(selector)")
                }
                included[emotion, default: []].append(selector)
            case "aev-exclude":
                guard aevRows.contains(where: { $0.concept == selector }) else {
                    throw CivicSentimentError(code: .malformedResource, reason: "emotion_mapping.tsv: no AEV concept \(selector)")
                }
                excluded[emotion, default: []].insert(selector)
            case "empath":
                guard let terms = empath[selector] else {
                    throw CivicSentimentError(code: .malformedResource, reason: "empath_subset.tsv: no category \(selector)")
                }
                for term in terms { exact[try key(term, in: "empath_subset.tsv"), default: 0] |= emotion.bit }
            case "civic-term":
                exact[try key(selector, in: "emotion_mapping.tsv"), default: 0] |= emotion.bit
            case "civic-phrase":
                var words: [VaderKey] = []
                for word in selector.split(separator: " ") { words.append(try key(String(word), in: "emotion_mapping.tsv")) }
                guard words.count >= 2 else {
                    throw CivicSentimentError(code: .malformedResource, reason: "emotion_mapping.tsv: phrase \(selector) has one word")
                }
                phraseTable[words[0], default: []].append(Phrase(words: words, mask: emotion.bit, text: selector))
            default:
                throw CivicSentimentError(code: .malformedResource, reason: "emotion_mapping.tsv: unknown source \(fields[1])")
            }
        }

        for (emotion, concepts) in included {
            let skip = excluded[emotion] ?? []
            for concept in concepts where !skip.contains(concept) {
                for alternative in concept.split(separator: "|").map(String.init) {
                    if alternative.hasSuffix("*") {
                        prefix[try key(String(alternative.dropLast()), in: "AEV_Dict.csv"), default: 0] |= emotion.bit
                    } else {
                        exact[try key(alternative, in: "AEV_Dict.csv"), default: 0] |= emotion.bit
                    }
                }
            }
        }
        // Longer phrases first, so "does not make sense" wins over a shorter overlap.
        for (first, list) in phraseTable {
            phraseTable[first] = list.sorted { $0.words.count > $1.words.count }
        }

        func keys(_ words: [String]) -> Set<VaderKey> {
            Set(words.compactMap { VaderKey.exact(Array($0.utf8)) })
        }
        exactTerms = exact
        prefixTerms = prefix
        prefixLengths = Set(prefix.keys.map(\.length)).sorted()
        phrases = phraseTable
        negators = keys(Self.negatorWords)
        intensifiers = keys(Self.intensifierWords)
        dampeners = keys(Self.dampenerWords)
        clauseBreakers = keys(Self.clauseBreakerWords)
    }

    private static func textLines(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }

    /// Emotion mask of a single lowercased word (exact terms and wildcard stems).
    @inline(__always)
    func mask(of word: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var mask: UInt8 = 0
        if let key = VaderKey.exact(word), let value = exactTerms[key] { mask |= value }
        for length in prefixLengths {
            if length > word.count { break }
            if let key = VaderKey.exact(UnsafeBufferPointer(rebasing: word[0..<length])), let value = prefixTerms[key] {
                mask |= value
            }
        }
        return mask
    }
}
