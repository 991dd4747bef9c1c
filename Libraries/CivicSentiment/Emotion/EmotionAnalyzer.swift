import Foundation

/// Finds named emotions and CX signals in English text with curated dictionaries.
///
/// Method (see `README.md` for the full description):
/// 1. Words are runs of ASCII letters, digits and apostrophes (`’` is read as `'`), lowercased.
///    Punctuation `. , ; : ! ? ( ) [ ] { } " …` , dashes, line breaks and the words
///    *but, however, although, though, yet* end a clause.
/// 2. A word matches an emotion when it equals a dictionary term or starts with a wildcard
///    stem (`frustrat*`). Phrases (`fed up`, `makes no sense`) match first and consume their words.
/// 3. **Negation rule:** a match is *negated* when one of the three words before it, in the same
///    clause, is a negator (VADER's NEGATE list without "despite", any word ending in `n't`,
///    plus *no, nobody, hardly, barely, lack, lacks, lacking*). A negator followed by *only* or
///    *just* ("not only…", "not just…") does not negate. A match followed within three words by
///    *enough* is not negated ("can't thank you enough"). Negated matches are reported in
///    ``EmotionSignal/negated`` and do not count: "not frustrated" is not frustration, and it is
///    not turned into the opposite emotion either.
/// 4. Weights: 1 per match, ×1.5 after an intensifier and ×0.5 after a dampener within the two
///    previous words, ×1.5 when the matched word is in capitals inside a text that is not all capitals.
package final class EmotionAnalyzer: Sendable {
    let lexicon: EmotionLexicon

    /// Creates an analyzer backed by the dictionaries bundled with this module.
    /// - Throws: ``CivicSentimentError`` when the bundled data cannot be loaded.
    package init() throws(CivicSentimentError) {
        lexicon = try BundledResources.emotionLexicon()
    }

    /// Creates an analyzer from caller-supplied copies of the three data files.
    package init(vocabulateData: Data, empathSubsetData: Data, mappingData: Data) throws(CivicSentimentError) {
        lexicon = try EmotionLexicon(
            vocabulateData: vocabulateData,
            empathSubsetData: empathSubsetData,
            mappingData: mappingData
        )
    }

    /// The emotions expressed in `text`.
    package func emotions(in text: String) -> EmotionScores {
        var text = text
        return text.withUTF8 { analyze($0) }
    }

    // MARK: - Implementation

    private struct Word {
        var start: Int  // into the lowered buffer
        var end: Int
        var clause: Int
        var capitals: Bool
        var lowercaseLetters: Bool
    }

    private func analyze(_ text: UnsafeBufferPointer<UInt8>) -> EmotionScores {
        var lowered: [UInt8] = []
        lowered.reserveCapacity(text.count)
        var words: [Word] = []
        var clause = 0
        var index = 0
        var anyLowercase = false
        let count = text.count

        // Tokenise into lowered words and clause numbers.
        var current: Word?
        func finish() {
            guard var word = current else { return }
            word.end = lowered.count
            current = nil
            words.append(word)
        }
        while index < count {
            let byte = text[index]
            var wordByte: UInt8? = nil
            var breaksClause = false
            var length = 1
            if byte < 0x80 {
                switch byte {
                case 0x41...0x5A:
                    wordByte = byte | 0x20
                case 0x61...0x7A, 0x30...0x39:
                    wordByte = byte
                case 0x27:
                    wordByte = 0x27
                case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x22, 0x0A, 0x0D:
                    breaksClause = true
                default:
                    break
                }
            } else {
                let (scalar, scalarLength) = PythonText.decodeScalar(text, at: index)
                length = scalarLength
                switch scalar {
                case 0x2019, 0x2018:
                    wordByte = 0x27  // curly apostrophes read as '
                case 0x2026, 0x2013, 0x2014, 0x201C, 0x201D, 0x2028, 0x2029, 0x037E, 0xFF01, 0xFF1F, 0x3002:
                    breaksClause = true
                default:
                    if let value = Unicode.Scalar(scalar), value.properties.isAlphabetic {
                        // Non-ASCII letter: part of a word that can match no (ASCII) term.
                        wordByte = 0xFF
                    }
                }
            }
            if let wordByte {
                if current == nil {
                    current = Word(start: lowered.count, end: lowered.count, clause: clause, capitals: true, lowercaseLetters: false)
                }
                lowered.append(wordByte)
                if byte >= 0x61 && byte <= 0x7A {
                    current?.lowercaseLetters = true
                    current?.capitals = false
                    anyLowercase = true
                } else if wordByte == 0xFF {
                    current?.capitals = false
                }
            } else {
                finish()
                if breaksClause { clause += 1 }
            }
            index += length
        }
        finish()

        return lowered.withUnsafeBufferPointer { buffer in
            score(words: words, buffer: buffer, textHasLowercase: anyLowercase)
        }
    }

    private func score(words rawWords: [Word], buffer: UnsafeBufferPointer<UInt8>, textHasLowercase: Bool) -> EmotionScores {
        // Split clause breakers ("but", "however", ...) out as clause boundaries.
        var words: [Word] = []
        words.reserveCapacity(rawWords.count)
        var keys: [VaderKey?] = []
        keys.reserveCapacity(rawWords.count)
        var clauseShift = 0
        for var word in rawWords {
            word.clause += clauseShift
            let slice = UnsafeBufferPointer(rebasing: buffer[word.start..<word.end])
            let key = VaderKey.exact(slice)
            if let key, lexicon.clauseBreakers.contains(key) {
                clauseShift += 1
                continue
            }
            words.append(word)
            keys.append(key)
        }

        var signals: [Emotion: EmotionSignal] = [:]
        var consumed = [Bool](repeating: false, count: words.count)

        func isNegator(_ i: Int) -> Bool {
            guard !consumed[i] else { return false }
            let isWord: Bool
            if let key = keys[i], lexicon.negators.contains(key) {
                isWord = true
            } else {
                let w = words[i]
                let length = w.end - w.start
                isWord = length >= 3 && buffer[w.end - 3] == 0x6E && buffer[w.end - 2] == 0x27 && buffer[w.end - 1] == 0x74
            }
            guard isWord else { return false }
            // "not only", "not just" do not negate.
            if i + 1 < words.count, let next = keys[i + 1], next == Self.onlyKey || next == Self.justKey {
                return false
            }
            return true
        }

        func record(_ mask: UInt8, start: Int, end: Int, term: String) {
            let clause = words[start].clause
            var negated = false
            var lookBack = start - 1
            while lookBack >= 0 && lookBack >= start - 3 && words[lookBack].clause == clause {
                if isNegator(lookBack) {
                    negated = true
                    break
                }
                lookBack -= 1
            }
            if negated {
                var ahead = end
                while ahead < words.count && ahead < end + 3 && words[ahead].clause == clause {
                    if keys[ahead] == Self.enoughKey {
                        negated = false
                        break
                    }
                    ahead += 1
                }
            }
            var weight = 1.0
            if !negated {
                var modifier = start - 1
                while modifier >= 0 && modifier >= start - 2 && words[modifier].clause == clause {
                    if let key = keys[modifier] {
                        if lexicon.intensifiers.contains(key) {
                            weight *= 1.5
                            break
                        }
                        if lexicon.dampeners.contains(key) {
                            weight *= 0.5
                            break
                        }
                    }
                    modifier -= 1
                }
                let first = words[start]
                if textHasLowercase && first.capitals && first.end - first.start >= 2 {
                    weight *= 1.5
                }
            }
            for emotion in Emotion.allCases where mask & emotion.bit != 0 {
                var signal = signals[emotion] ?? EmotionSignal()
                if negated {
                    signal.negated += 1
                } else {
                    signal.count += 1
                    signal.intensity += weight
                    if signal.terms.count < 8 && !signal.terms.contains(term) { signal.terms.append(term) }
                }
                signals[emotion] = signal
            }
        }

        var i = 0
        while i < words.count {
            if let key = keys[i], let candidates = lexicon.phrases[key] {
                var matched: EmotionLexicon.Phrase?
                for phrase in candidates where i + phrase.words.count <= words.count {
                    var ok = true
                    for (offset, word) in phrase.words.enumerated() {
                        let position = i + offset
                        if keys[position] != word || words[position].clause != words[i].clause {
                            ok = false
                            break
                        }
                    }
                    if ok {
                        matched = phrase
                        break
                    }
                }
                if let matched {
                    let end = i + matched.words.count
                    record(matched.mask, start: i, end: end, term: matched.text)
                    for position in i..<end { consumed[position] = true }
                    i = end
                    continue
                }
            }
            let word = words[i]
            let slice = UnsafeBufferPointer(rebasing: buffer[word.start..<word.end])
            let mask = lexicon.mask(of: slice)
            if mask != 0 {
                record(mask, start: i, end: i + 1, term: String(decoding: slice, as: UTF8.self))
            }
            i += 1
        }
        return EmotionScores(signals: signals)
    }

    private static let onlyKey = VaderKey.exact(Array("only".utf8))
    private static let justKey = VaderKey.exact(Array("just".utf8))
    private static let enoughKey = VaderKey.exact(Array("enough".utf8))
}
