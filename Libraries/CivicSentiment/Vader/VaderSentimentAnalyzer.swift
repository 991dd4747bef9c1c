import Foundation

/// An exact, allocation-light re-implementation of `SentimentIntensityAnalyzer.polarity_scores`
/// from the PyPI package vaderSentiment 3.3.2 (C.J. Hutto, MIT).
///
/// For every input it returns the same four doubles as the Python package running on
/// CPython 3.11, bit for bit after rounding. It works on the UTF-8 bytes of the text,
/// lowercases each token once, and runs in time linear in the length of the text
/// (the Python reference is quadratic because it re-lowercases the token list for every
/// lexicon word).
///
/// The data is parsed once per process; instances are cheap and safe to share across tasks.
public final class VaderSentimentAnalyzer: Sendable {
    let lexicon: VaderLexicon

    /// Creates an analyzer backed by the lexicons bundled with this module.
    /// - Throws: ``CivicSentimentError`` with code `resourceMissing`, `resourceUnreadable`
    ///   or `malformedResource` when the bundled data cannot be loaded.
    public init() throws(CivicSentimentError) {
        lexicon = try BundledResources.vaderLexicon()
    }

    /// Creates an analyzer from the contents of `vader_lexicon.txt` and
    /// `emoji_utf8_lexicon.txt` supplied by the caller.
    public init(lexiconData: Data, emojiLexiconData: Data) throws(CivicSentimentError) {
        lexicon = try VaderLexicon(lexiconData: lexiconData, emojiData: emojiLexiconData)
    }

    /// The VADER scores of `text`, identical to `polarity_scores(text)` in vaderSentiment 3.3.2.
    public func polarityScores(_ text: String) -> SentimentScores {
        var text = text
        return text.withUTF8 { bytes in
            scoreUTF8(bytes)
        }
    }

    /// The VADER scores of valid UTF-8 bytes (for callers that already hold bytes).
    /// Invalid UTF-8 is repaired the way `String(decoding:as:)` does before scoring.
    public func polarityScores(utf8 bytes: some Collection<UInt8>) -> SentimentScores {
        polarityScores(String(decoding: bytes, as: UTF8.self))
    }

    // MARK: - Pipeline

    func scoreUTF8(_ input: UnsafeBufferPointer<UInt8>) -> SentimentScores {
        // Step 1: emoji replacement, per code point. Skip entirely when there is no
        // scalar at or above the smallest emoji key.
        if let replaced = replaceEmoji(input) {
            return replaced.withUnsafeBufferPointer { scoreReplaced($0) }
        }
        return scoreReplaced(input)
    }

    /// Returns the text with emoji replaced, or nil when nothing was replaced.
    private func replaceEmoji(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        var index = 0
        // Fast scan, eight bytes at a time, for any non-ASCII byte (emoji keys are all ≥ U+00A9).
        if let base = input.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count {
                if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
        }
        while index < count && input[index] < 0x80 { index += 1 }
        if index == count { return nil }

        let smallest = lexicon.smallestEmojiScalar
        var output: [UInt8] = []
        var copiedUpTo = 0  // input[copiedUpTo..<index] still needs copying into output
        var replacedAny = false
        var previousWasSpace = true
        index = 0
        while index < count {
            let byte = input[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let (scalar, length) = PythonText.decodeScalar(input, at: index)
            if scalar >= smallest, let slot = lexicon.emojiIndex[scalar] {
                if !replacedAny {
                    output.reserveCapacity(count + 64)
                    replacedAny = true
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copiedUpTo..<index]))
                // The flag says whether the last emitted character was U+0020.
                if index > copiedUpTo {
                    previousWasSpace = input[index - 1] == 0x20
                } else if copiedUpTo == 0 {
                    previousWasSpace = true
                }  // otherwise the last emitted thing was a description: flag stays false
                if !previousWasSpace { output.append(0x20) }
                output.append(contentsOf: lexicon.emojiDescriptions[slot])
                previousWasSpace = false
                copiedUpTo = index + length
            }
            index += length
        }
        guard replacedAny else { return nil }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copiedUpTo..<count]))
        return output
    }

    private func scoreReplaced(_ text: UnsafeBufferPointer<UInt8>) -> SentimentScores {
        // At most one token per two bytes (a token and its separator), plus one.
        let capacity = text.count / 2 + 1
        return withUnsafeTemporaryAllocation(of: Token.self, capacity: capacity) { storage in
            var counts = PunctuationCounts()
            let tokenCount = tokenize(text, into: storage, counts: &counts)
            if tokenCount == 0 { return SentimentScores.zero }
            let tokens = UnsafeMutableBufferPointer(rebasing: storage[0..<tokenCount])
            defer { _ = tokens.deinitialize() }

            var upperCount = 0
            var butIndex = -1
            for i in 0..<tokenCount {
                if tokens[i].flags & Token.upper != 0 { upperCount += 1 }
                if butIndex < 0 && tokens[i].word == .but { butIndex = i }
            }
            let capDifferential = upperCount > 0 && upperCount < tokenCount
            let readOnly = UnsafeBufferPointer(tokens)
            for i in 0..<tokenCount {
                let value = valence(at: i, tokens: readOnly, capDifferential: capDifferential)
                tokens[i].sentiment = value
            }
            if butIndex >= 0 {
                Self.applyButRule(tokens, butIndex: butIndex)
            }
            return Self.aggregate(UnsafeBufferPointer(tokens), exclamations: counts.exclamations, questions: counts.questions)
        }
    }

    // MARK: - Tokens

    struct PunctuationCounts {
        var exclamations = 0
        var questions = 0
    }

    /// One token with every property the rules need, computed once.
    struct Token {
        static let inLexicon: UInt8 = VaderEntry.inLexicon
        static let isBooster: UInt8 = VaderEntry.isBooster
        static let boosterNegative: UInt8 = VaderEntry.boosterNegative
        static let negated: UInt8 = 8
        static let upper: UInt8 = 16

        /// Lexicon valence (when in the lexicon).
        var valence: Double
        /// The computed sentiment of this position.
        var sentiment: Double
        var word: VaderWord
        var flags: UInt8

        @inline(__always) var inLexicon: Bool { flags & Token.inLexicon != 0 }
        @inline(__always) var isBooster: Bool { flags & Token.isBooster != 0 }
        @inline(__always) var booster: Double {
            flags & Token.boosterNegative != 0 ? VaderLexicon.boosterDecrement : VaderLexicon.boosterIncrement
        }
        @inline(__always) var negated: Bool { flags & Token.negated != 0 }
        @inline(__always) var upper: Bool { flags & Token.upper != 0 }
    }

    /// Python `text.split()` then `strip(string.punctuation)` unless that leaves ≤ 2 code
    /// points, with every per-token property computed in the same pass. Also counts `!`/`?`.
    @inline(__always)
    private func tokenize(
        _ text: UnsafeBufferPointer<UInt8>, into storage: UnsafeMutableBufferPointer<Token>,
        counts: inout PunctuationCounts
    ) -> Int {
        let count = text.count
        var tokenCount = 0
        var index = 0
        var exclamations = 0
        var questions = 0
        while index < count {
            // Skip whitespace.
            let byte = text[index]
            if byte < 0x80 {
                if Self.isASCIIWhitespace(byte) {
                    index += 1
                    continue
                }
            } else {
                let space = PythonText.whitespaceLength(text, at: index)
                if space > 0 {
                    index += space
                    continue
                }
            }
            // Scan one token.
            let start = index
            var nonASCII = false
            var apostrophe = false
            while index < count {
                let b = text[index]
                if b < 0x80 {
                    if Self.isASCIIWhitespace(b) { break }
                    if b == 0x21 {
                        exclamations += 1
                    } else if b == 0x3F {
                        questions += 1
                    } else if b == 0x27 {
                        apostrophe = true
                    }
                    index += 1
                } else {
                    if PythonText.whitespaceLength(text, at: index) > 0 { break }
                    nonASCII = true
                    index += PythonText.sequenceLength(b)
                }
            }
            (storage.baseAddress.unsafelyUnwrapped + tokenCount).initialize(
                to: makeToken(text, start: start, end: index, nonASCII: nonASCII, apostrophe: apostrophe))
            tokenCount += 1
        }
        counts.exclamations = exclamations
        counts.questions = questions
        return tokenCount
    }

    /// Python whitespace among ASCII: 0x09–0x0D, 0x1C–0x20.
    @inline(__always)
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte <= 0x20 && (0x1_F000_3E00 as UInt64) >> UInt64(byte) & 1 != 0
    }

    @inline(__always)
    private func makeToken(
        _ text: UnsafeBufferPointer<UInt8>, start: Int, end: Int, nonASCII: Bool, apostrophe: Bool
    ) -> Token {
        var low = start
        var high = end
        while low < high && PythonText.isASCIIPunctuation(text[low]) { low += 1 }
        while high > low && PythonText.isASCIIPunctuation(text[high - 1]) { high -= 1 }
        if low != start || high != end {
            // Keep the original token when the stripped one has two code points or fewer.
            var scalars = 0
            if nonASCII {
                var probe = low
                while probe < high && scalars <= 2 {
                    if text[probe] & 0xC0 != 0x80 { scalars += 1 }
                    probe += 1
                }
            } else {
                scalars = high - low
            }
            if scalars <= 2 {
                low = start
                high = end
            }
        }
        var flags: UInt8 = 0
        if apostrophe && Self.containsNApostropheT(text, from: low, to: high) { flags |= Token.negated }
        let key: VaderKey?
        if !nonASCII {
            let length = high - low
            if length <= VaderKey.maximumLength {
                let packed = VaderKey.asciiLowercased(text, from: low, length: length)
                if packed.hasUpper && !packed.hasLower { flags |= Token.upper }
                key = packed.key
            } else {
                if PythonText.isUpper(text, from: low, to: high) { flags |= Token.upper }
                key = nil
            }
        } else {
            if PythonText.isUpper(text, from: low, to: high) { flags |= Token.upper }
            key = VaderKey.lowercased(text, from: low, to: high)
        }
        guard let key, let entry = lexicon.words.lookup(key) else {
            return Token(valence: 0, sentiment: 0, word: .none, flags: flags)
        }
        flags |= entry.flags & (Token.inLexicon | Token.isBooster | Token.boosterNegative)
        if entry.flags & VaderEntry.isNegation != 0 { flags |= Token.negated }
        return Token(valence: entry.valence, sentiment: 0, word: entry.word, flags: flags)
    }

    /// Whether the lowercased token contains `n't` (ASCII apostrophe). Only ASCII letters
    /// lowercase to `n`/`t` (Kelvin sign gives `k`), so a case-insensitive byte scan is exact.
    @inline(__always)
    private static func containsNApostropheT(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard end - start >= 3 else { return false }
        var index = start + 1
        while index < end - 1 {
            if text[index] == 0x27 {
                let before = text[index - 1] | 0x20
                let after = text[index + 1] | 0x20
                if before == 0x6E && after == 0x74 { return true }
            }
            index += 1
        }
        return false
    }

    // MARK: - Rules

    /// `sentiment_valence` for token `i` (and the booster / "kind of" short-cuts before it).
    @inline(__always)
    private func valence(at i: Int, tokens: UnsafeBufferPointer<Token>, capDifferential: Bool) -> Double {
        let n = tokens.count
        let token = tokens[i]
        if token.isBooster { return 0 }
        if i < n - 1 && token.word == .kind && tokens[i + 1].word == .of { return 0 }
        guard token.inLexicon else { return 0 }

        let negationScalar = VaderLexicon.negationScalar
        let capsIncrement = VaderLexicon.capsIncrement
        var v = token.valence

        if token.word == .no && i != n - 1 && tokens[i + 1].inLexicon {
            v = 0.0
        }
        if (i > 0 && tokens[i - 1].word == .no) || (i > 1 && tokens[i - 2].word == .no)
            || (i > 2 && tokens[i - 3].word == .no && (tokens[i - 1].word == .or || tokens[i - 1].word == .nor))
        {
            v = token.valence * negationScalar
        }
        if token.upper && capDifferential {
            if v > 0 { v += capsIncrement } else { v -= capsIncrement }
        }

        for startI in 0..<3 {
            let distance = startI + 1
            guard i > startI, !tokens[i - distance].inLexicon else { continue }
            let previous = tokens[i - distance]
            var s = 0.0
            if previous.isBooster {
                s = previous.booster
                if v < 0 { s *= -1 }
                if previous.upper && capDifferential {
                    if v > 0 { s += capsIncrement } else { s -= capsIncrement }
                }
            }
            if startI == 1 && s != 0 { s = s * 0.95 }
            if startI == 2 && s != 0 { s = s * 0.9 }
            v = v + s

            switch startI {
            case 0:
                if tokens[i - 1].negated { v = v * negationScalar }
            case 1:
                let w2 = tokens[i - 2].word
                let w1 = tokens[i - 1].word
                if w2 == .never && (w1 == .so || w1 == .this) {
                    v = v * 1.25
                } else if w2 == .without && w1 == .doubt {
                    // "without doubt": unchanged
                } else if tokens[i - 2].negated {
                    v = v * negationScalar
                }
            default:
                let w3 = tokens[i - 3].word
                let w2 = tokens[i - 2].word
                let w1 = tokens[i - 1].word
                // Python precedence: (never and (w2 so/this)) or (w1 so/this).
                if (w3 == .never && (w2 == .so || w2 == .this)) || (w1 == .so || w1 == .this) {
                    v = v * 1.25
                } else if w3 == .without && (w2 == .doubt || w1 == .doubt) {
                    // unchanged
                } else if tokens[i - 3].negated {
                    v = v * negationScalar
                }
                v = Self.specialIdioms(v, at: i, tokens: tokens)
            }
        }

        // _least_check
        if i > 1 && !tokens[i - 1].inLexicon && tokens[i - 1].word == .least {
            if tokens[i - 2].word != .at && tokens[i - 2].word != .very {
                v = v * negationScalar
            }
        } else if i > 0 && !tokens[i - 1].inLexicon && tokens[i - 1].word == .least {
            v = v * negationScalar
        }
        return v
    }

    /// `_special_idioms_check`; only called when `i >= 3`.
    @inline(__always)
    private static func specialIdioms(_ valence: Double, at i: Int, tokens: UnsafeBufferPointer<Token>) -> Double {
        var v = valence
        let w3 = tokens[i - 3].word
        let w2 = tokens[i - 2].word
        let w1 = tokens[i - 1].word
        let w0 = tokens[i].word
        if let value = specialCase(w1, w0) ?? specialCase(w2, w1, w0) ?? specialCase(w2, w1)
            ?? specialCase(w3, w2, w1) ?? specialCase(w3, w2)
        {
            v = value
        }
        let n = tokens.count
        if n - 1 > i, let value = specialCase(w0, tokens[i + 1].word) {
            v = value
        }
        if n - 1 > i + 1, let value = specialCase(w0, tokens[i + 1].word, tokens[i + 2].word) {
            v = value
        }
        // n_grams = [threetwoone, threetwo, twoone]; no booster key has three words.
        if isBoosterBigram(w3, w2) { v = v + VaderLexicon.boosterDecrement }
        if isBoosterBigram(w2, w1) { v = v + VaderLexicon.boosterDecrement }
        return v
    }

    /// Two-word SPECIAL_CASES.
    @inline(__always)
    private static func specialCase(_ a: VaderWord, _ b: VaderWord) -> Double? {
        switch (a, b) {
        case (.the, .shit): 3
        case (.the, .bomb): 3
        case (.bad, .ass): 1.5
        case (.bus, .stop): 0.0
        case (.yeah, .right): -2
        case (.beating, .heart): 3.5
        default: nil
        }
    }

    /// Three-word SPECIAL_CASES.
    @inline(__always)
    private static func specialCase(_ a: VaderWord, _ b: VaderWord, _ c: VaderWord) -> Double? {
        switch (a, b, c) {
        case (.kiss, .of, .death): -1.5
        case (.to, .die, .for): 3
        default: nil
        }
    }

    /// The multi-word booster keys "just enough", "kind of", "sort of" (all −0.293).
    @inline(__always)
    private static func isBoosterBigram(_ a: VaderWord, _ b: VaderWord) -> Bool {
        (a == .just && b == .enough) || (a == .kind && b == .of) || (a == .sort && b == .of)
    }

    // MARK: - "but"

    /// `_but_check`, including its value-matching quirk: for each position k in order, the
    /// *first* position j whose current value equals the value at k is scaled (×0.5 before
    /// "but", ×1.5 after). Zeros are skipped: scaling a zero leaves it zero, and a zero never
    /// equals a non-zero. Runs in O(m log m) for m non-zero values.
    static func applyButRule(_ tokens: UnsafeMutableBufferPointer<Token>, butIndex: Int) {
        var positions: [Int] = []
        for index in tokens.indices where tokens[index].sentiment != 0 { positions.append(index) }
        if positions.isEmpty { return }
        if positions.count <= 48 {
            for k in positions {
                let x = tokens[k].sentiment
                var j = k
                for candidate in positions {
                    if candidate >= k { break }
                    if tokens[candidate].sentiment == x {
                        j = candidate
                        break
                    }
                }
                if j < butIndex {
                    tokens[j].sentiment = x * 0.5
                } else if j > butIndex {
                    tokens[j].sentiment = x * 1.5
                }
            }
            return
        }
        // Index of positions per value, each a binary min-heap of positions. Non-zero finite
        // doubles are equal exactly when their bit patterns are.
        var heaps: [UInt64: [Int]] = [:]
        heaps.reserveCapacity(positions.count)
        for position in positions {
            heaps[tokens[position].sentiment.bitPattern, default: []].append(position)  // ascending: a valid heap
        }
        for k in positions {
            let x = tokens[k].sentiment
            guard let j = heaps[x.bitPattern]?.first else { continue }  // cannot fail: k itself holds x
            let replacement: Double
            if j < butIndex {
                replacement = x * 0.5
            } else if j > butIndex {
                replacement = x * 1.5
            } else {
                continue
            }
            heaps[x.bitPattern]?.popMinimum()
            tokens[j].sentiment = replacement
            if replacement != 0 {
                heaps[replacement.bitPattern, default: []].pushHeap(j)
            }
        }
    }

    // MARK: - Aggregation

    /// `score_valence`: punctuation emphasis, normalisation, proportions and rounding.
    static func aggregate(_ tokens: UnsafeBufferPointer<Token>, exclamations: Int, questions: Int) -> SentimentScores {
        var sum = 0.0
        for token in tokens { sum += token.sentiment }

        let exclamationAmplifier = Double(min(exclamations, 4)) * 0.292
        var questionAmplifier = 0.0
        if questions > 1 {
            questionAmplifier = questions <= 3 ? Double(questions) * 0.18 : 0.96
        }
        let amplifier = exclamationAmplifier + questionAmplifier
        if sum > 0 {
            sum += amplifier
        } else if sum < 0 {
            sum -= amplifier
        }
        var compound = sum / (sum * sum + 15).squareRoot()
        if compound < -1.0 { compound = -1.0 } else if compound > 1.0 { compound = 1.0 }

        var positiveSum = 0.0
        var negativeSum = 0.0
        var neutralCount = 0
        for token in tokens {
            let value = token.sentiment
            if value > 0 { positiveSum += value + 1 }
            if value < 0 { negativeSum += value - 1 }
            if value == 0 { neutralCount += 1 }
        }
        if positiveSum > abs(negativeSum) {
            positiveSum += amplifier
        } else if positiveSum < abs(negativeSum) {
            negativeSum -= amplifier
        }
        let total = positiveSum + abs(negativeSum) + Double(neutralCount)
        let pos = abs(positiveSum / total)
        let neg = abs(negativeSum / total)
        let neu = abs(Double(neutralCount) / total)
        return SentimentScores(
            neg: PythonRounding.round(neg, digits: 3),
            neu: PythonRounding.round(neu, digits: 3),
            pos: PythonRounding.round(pos, digits: 3),
            compound: PythonRounding.round(compound, digits: 4)
        )
    }
}

extension Array where Element == Int {
    /// Removes the smallest element of a binary min-heap.
    fileprivate mutating func popMinimum() {
        guard let last = popLast(), !isEmpty else { return }
        self[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            let right = left + 1
            let child = (right < count && self[right] < self[left]) ? right : left
            guard self[child] < self[parent] else { break }
            swapAt(child, parent)
            parent = child
        }
    }

    /// Inserts into a binary min-heap.
    fileprivate mutating func pushHeap(_ value: Int) {
        append(value)
        var child = count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self[child] < self[parent] else { break }
            swapAt(child, parent)
            child = parent
        }
    }
}
