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
package final class VaderSentimentAnalyzer: Sendable {
    let lexicon: VaderLexicon

    /// Creates an analyzer backed by the lexicons bundled with this module.
    /// - Throws: ``CivicSentimentError`` with code `resourceMissing`, `resourceUnreadable`
    ///   or `malformedResource` when the bundled data cannot be loaded.
    package init() throws(CivicSentimentError) {
        lexicon = try BundledResources.vaderLexicon()
    }

    /// Creates an analyzer from the contents of `vader_lexicon.txt` and
    /// `emoji_utf8_lexicon.txt` supplied by the caller.
    package init(lexiconData: Data, emojiLexiconData: Data) throws(CivicSentimentError) {
        lexicon = try VaderLexicon(lexiconData: lexiconData, emojiData: emojiLexiconData)
    }

    /// The VADER scores of `text`, identical to `polarity_scores(text)` in vaderSentiment 3.3.2.
    package func polarityScores(_ text: String) -> SentimentScores {
        var text = text
        return text.withUTF8 { bytes in
            scoreUTF8(bytes)
        }
    }

    /// The VADER scores of valid UTF-8 bytes (for callers that already hold bytes).
    /// Invalid UTF-8 is repaired the way `String(decoding:as:)` does before scoring.
    package func polarityScores(utf8 bytes: some Collection<UInt8>) -> SentimentScores {
        polarityScores(String(decoding: bytes, as: UTF8.self))
    }

    // MARK: - Pipeline

    /// Scores valid UTF-8: emoji replacement (skipped for pure-ASCII text), tokenisation,
    /// per-token valence, the `but` rule and aggregation.
    func scoreUTF8(_ input: UnsafeBufferPointer<UInt8>) -> SentimentScores {
        if Self.isASCII(input) { return score(input, ascii: true) }
        guard let length = lexicon.emoji.replacedLength(input) else { return score(input, ascii: false) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { buffer in
            lexicon.emoji.replace(input, into: buffer)
            let replaced = UnsafeBufferPointer(buffer)
            return score(replaced, ascii: Self.isASCII(replaced))
        }
    }

    /// Whether every byte is below 0x80 (16 bytes per step).
    static func isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var seen: UInt64 = 0
        var index = 0
        let count = text.count
        while index + 16 <= count {
            seen |= SWAR.load8(text, at: index) | SWAR.load8(text, at: index + 8)
            index += 16
        }
        while index < count {
            seen |= UInt64(text[index])
            index += 1
        }
        return seen & SWAR.high == 0
    }

    /// Scores text after emoji replacement. `ascii` selects the tokenizer: the fast one for
    /// text known to be pure ASCII, or the general one (which also accepts ASCII, so tests can
    /// check that both agree).
    func score(_ text: UnsafeBufferPointer<UInt8>, ascii: Bool) -> SentimentScores {
        // Tokens are at least one byte and separated by at least one byte.
        let capacity = text.count / 2 + 1
        return withUnsafeTemporaryAllocation(of: Token.self, capacity: capacity) { storage in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { scoring in
                lexicon.words.withView { table in
                    var tokenizer = Tokenizer(text: text, table: table, storage: storage, scoring: scoring)
                    if ascii { tokenizer.tokenizeASCII() } else { tokenizer.tokenizeUnicode() }
                    return Self.rate(tokenizer, tokens: storage, scoring: scoring)
                }
            }
        }
    }

    /// Rates the tokens, applies the `but` rule and aggregates. Only the "scoring" tokens
    /// (lexicon words that are not boosters) can be non-zero, so every later step visits just
    /// those positions, in text order.
    @inline(__always)
    private static func rate(
        _ tokenizer: Tokenizer,
        tokens storage: UnsafeMutableBufferPointer<Token>,
        scoring: UnsafeMutableBufferPointer<Int>
    ) -> SentimentScores {
        let tokenCount = tokenizer.count
        if tokenCount == 0 { return SentimentScores.zero }
        let tokens = UnsafeMutableBufferPointer(rebasing: storage[0..<tokenCount])
        let positions = UnsafeBufferPointer(rebasing: scoring[0..<tokenizer.scoringCount])
        let capDifferential = tokenizer.upperCount > 0 && tokenizer.upperCount < tokenCount
        for i in positions {
            // The rules only react to rule words, boosters and negations among the three previous
            // tokens, and (for idioms, "kind of" and "no") to the token being a rule word itself.
            // Without any of them `sentiment_valence` reduces to the valence plus the ALL-CAPS step.
            var context = tokens[i].flags & Token.ruleWord
            if i >= 1 { context |= tokens[i - 1].flags & Token.context }
            if i >= 2 { context |= tokens[i - 2].flags & Token.context }
            if i >= 3 { context |= tokens[i - 3].flags & Token.context }
            if context == 0 {
                var v = tokens[i].value
                if tokens[i].upper && capDifferential {
                    if v > 0 { v += VaderLexicon.capsIncrement } else { v -= VaderLexicon.capsIncrement }
                }
                tokens[i].value = v
            } else {
                tokens[i].value = valence(at: i, tokens: UnsafeBufferPointer(tokens), capDifferential: capDifferential)
            }
        }
        if tokenizer.butIndex >= 0 {
            applyButRule(tokens, candidates: positions, butIndex: tokenizer.butIndex)
        }
        return aggregate(
            UnsafeBufferPointer(tokens),
            positions: positions,
            exclamations: tokenizer.exclamations,
            questions: tokenizer.questions
        )
    }

    // MARK: - Tokens

    /// One token with every property the rules need, computed once (16 bytes).
    struct Token {
        static let inLexicon: UInt8 = VaderEntry.inLexicon
        static let isBooster: UInt8 = VaderEntry.isBooster
        static let boosterNegative: UInt8 = VaderEntry.boosterNegative
        static let negated: UInt8 = VaderEntry.isNegation
        static let upper: UInt8 = 16
        static let ruleWord: UInt8 = VaderEntry.isRuleWord
        /// Flags of a previous token that can change a word's valence.
        static let context: UInt8 = ruleWord | isBooster | negated

        /// The lexicon valence (0 outside the lexicon and for boosters) until the token is rated, then its
        /// sentiment. Rating token `i` reads only its own valence and its neighbours' flags and
        /// words, so the slot can be overwritten in place.
        var value: Double
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

    /// Python `text.split()` then `strip(string.punctuation)` unless that leaves ≤ 2 code points,
    /// with every per-token property (lowercased lexicon entry, `isupper`, negation) computed in
    /// the same pass, plus the ALL-CAPS count, the first `but`, and the `!` and `?` counts (the
    /// reference counts them in the whole text; whitespace never holds them, so counting inside
    /// tokens is the same).
    struct Tokenizer {
        let text: UnsafeBufferPointer<UInt8>
        let table: VaderKeyTable.View
        let storage: UnsafeMutableBufferPointer<Token>
        /// Indices of the scoring tokens (lexicon words that are not boosters), in order.
        let scoring: UnsafeMutableBufferPointer<Int>
        private(set) var count = 0
        private(set) var upperCount = 0
        private(set) var butIndex = -1
        private(set) var exclamations = 0
        private(set) var questions = 0
        private(set) var scoringCount = 0

        init(
            text: UnsafeBufferPointer<UInt8>,
            table: VaderKeyTable.View,
            storage: UnsafeMutableBufferPointer<Token>,
            scoring: UnsafeMutableBufferPointer<Int>
        ) {
            precondition(scoring.count == storage.count)
            self.text = text
            self.table = table
            self.storage = storage
            self.scoring = scoring
        }

        /// Appends a token given its table slot (the sentinel when the lowercased token is not a
        /// key) and its own flags. Branch-free: the sentinel slot has no flags, value 0 and no word.
        @inline(__always)
        private mutating func append(slot index: Int, flags: UInt8) {
            let slot = table.slot(index)
            // Table flag bits coincide with token flag bits (VaderEntry.isNegation == Token.negated).
            let token = Token(value: table.valence(index), word: slot.word, flags: flags | slot.flags)
            precondition(count < storage.count, "token buffer overflow")
            storage.baseAddress.unsafelyUnwrapped.advanced(by: count).initialize(to: token)
            // Branch-free: always write the index (scoringCount <= count), keep it if scoring.
            scoring.baseAddress.unsafelyUnwrapped.advanced(by: scoringCount).initialize(to: count)
            scoringCount &+= token.flags & (Token.inLexicon | Token.isBooster) == Token.inLexicon ? 1 : 0
            upperCount &+= Int(truncatingIfNeeded: (token.flags & Token.upper) &>> 4)
            if token.word == .but && butIndex < 0 { butIndex = count }
            count += 1
        }

        // MARK: ASCII text

        /// Tokenizes text known to be pure ASCII.
        mutating func tokenizeASCII() {
            let end = text.count
            var index = 0
            while index < end {
                if VaderSentimentAnalyzer.isASCIIWhitespace(text[index]) {
                    index += 1
                    continue
                }
                let start = index
                if end >= 8, let length = appendShortASCII(at: start) {
                    index = start + length + 1  // the token and the whitespace byte after it
                    continue
                }
                if start + 16 <= end, let length = appendLongerWord(at: start) {
                    index = start + length + 1
                    continue
                }
                index = asciiTokenEnd(after: start)
                countMarks(from: start, to: index)
                appendASCII(start: start, end: index)
                index += 1  // text[index] is whitespace (or the end)
            }
        }

        /// The fast path for the usual token: at most 7 bytes followed by whitespace or the end
        /// of the text, so that one 8-byte load holds all of it and stripping, case flags and the
        /// key are computed in registers. Returns the token's length, or nil (appending nothing)
        /// for other tokens. Requires `text.count >= 8`.
        @inline(__always)
        private mutating func appendShortASCII(at start: Int) -> Int? {
            let end = text.count
            // Near the end, load the last eight bytes and shift: the bytes past the end read as 0.
            let x =
                start &+ 8 <= end
                ? SWAR.load8(text, at: start)
                : SWAR.load8(text, at: end &- 8) &>> UInt64(truncatingIfNeeded: (start &+ 8 &- end) &<< 3)
            // In ASCII, the lowest byte flagged by this subtraction is exactly the first byte below
            // 0x21 (higher flags can be borrow artefacts). It must be whitespace or the end of the
            // text, not a control character that belongs to the token.
            let below = (x &- 0x2121_2121_2121_2121) & SWAR.high
            let length = below.trailingZeroBitCount &>> 3  // 8 when below == 0
            let terminator = start &+ length
            guard length > 0, length < 8,
                terminator == end || VaderSentimentAnalyzer.isASCIIWhitespace(text[terminator])
            else {
                return nil
            }
            let token = x & SWAR.lowBytes(length)
            let letters = SWAR.asciiLetters(token)
            if letters.upper | letters.lower == SWAR.high & SWAR.lowBytes(length) {
                // Only letters (most words): nothing to strip, no `'`, `!` or `?`.
                let flags: UInt8 = letters.lower == 0 ? Token.upper : 0
                append(slot: table.slotIndex(short: token | (letters.upper &>> 2), length: length), flags: flags)
                return length
            }
            // Python strip(string.punctuation), unless that leaves two characters or fewer.
            var low = 0
            var high = length
            let punctuation = SWAR.asciiPunctuation(token, letters: letters)
            if punctuation != 0 {
                exclamations &+= SWAR.byteCount(SWAR.zeroBytes(token ^ 0x2121_2121_2121_2121))
                questions &+= SWAR.byteCount(SWAR.zeroBytes(token ^ 0x3F3F_3F3F_3F3F_3F3F))
            }
            let kept = ~punctuation & SWAR.high & SWAR.lowBytes(length)
            if kept != 0 {
                let first = kept.trailingZeroBitCount &>> 3
                let last = (63 &- kept.leadingZeroBitCount) &>> 3
                if last &- first &+ 1 > 2 {
                    low = first
                    high = last &+ 1
                }
            }
            // Punctuation is not a letter, so the letters of the kept bytes are the token's.
            var flags: UInt8 = letters.upper != 0 && letters.lower == 0 ? Token.upper : 0
            if SWAR.hasZeroByte(token ^ 0x2727_2727_2727_2727)
                && VaderSentimentAnalyzer.containsNApostropheT(text, from: start &+ low, to: start &+ high)
            {
                flags |= Token.negated
            }
            // 0x80 >> 2 == 0x20: setting it in a capital's byte lowercases it.
            let lowercased = (token | (letters.upper &>> 2)) &>> UInt64(truncatingIfNeeded: low &<< 3)
            let key = lowercased & SWAR.lowBytes(high &- low)
            append(slot: table.slotIndex(short: key, length: high &- low), flags: flags)
            return length
        }

        /// The fast path for a word of 8 to 15 letters followed by whitespace, in two loads.
        /// Returns its length, or nil (appending nothing) for other tokens.
        /// Requires `start + 16 <= text.count`.
        @inline(__always)
        private mutating func appendLongerWord(at start: Int) -> Int? {
            let x0 = SWAR.load8(text, at: start)
            let x1 = SWAR.load8(text, at: start &+ 8)
            // As in appendShortASCII: the first byte below 0x21 ends the token.
            guard (x0 &- 0x2121_2121_2121_2121) & SWAR.high == 0 else { return nil }
            let below = (x1 &- 0x2121_2121_2121_2121) & SWAR.high
            let tail = below.trailingZeroBitCount &>> 3  // 8 when below == 0
            guard tail < 8, VaderSentimentAnalyzer.isASCIIWhitespace(text[start &+ 8 &+ tail]) else { return nil }
            let t1 = x1 & SWAR.lowBytes(tail)
            let letters0 = SWAR.asciiLetters(x0)
            let letters1 = SWAR.asciiLetters(t1)
            guard letters0.upper | letters0.lower == SWAR.high,
                letters1.upper | letters1.lower == SWAR.high & SWAR.lowBytes(tail)
            else { return nil }
            let flags: UInt8 = letters0.lower | letters1.lower == 0 ? Token.upper : 0
            let key = VaderKey(
                w0: x0 | (letters0.upper &>> 2),
                w1: t1 | (letters1.upper &>> 2),
                w2: 0,
                length: 8 &+ tail
            )
            append(slot: table.slotIndex(key), flags: flags)
            return 8 &+ tail
        }

        /// Counts the `!` and `?` of `text[start..<end]`.
        private mutating func countMarks(from start: Int, to end: Int) {
            for index in start..<end {
                let byte = text[index]
                if byte == 0x21 { exclamations += 1 } else if byte == 0x3F { questions += 1 }
            }
        }

        /// The index of the first whitespace byte after `start` (or the text length).
        @inline(__always)
        private func asciiTokenEnd(after start: Int) -> Int {
            let end = text.count
            var index = start + 1
            while index + 8 <= end {
                // In ASCII, the lowest byte flagged by this subtraction is exactly the first byte
                // below 0x21 (higher flags can be borrow artefacts and are ignored).
                let below = (SWAR.load8(text, at: index) &- 0x2121_2121_2121_2121) & SWAR.high
                if below == 0 {
                    index += 8
                    continue
                }
                let candidate = index + below.trailingZeroBitCount &>> 3
                if VaderSentimentAnalyzer.isASCIIWhitespace(text[candidate]) { return candidate }
                index = candidate + 1  // a control character inside the token
            }
            while index < end && !VaderSentimentAnalyzer.isASCIIWhitespace(text[index]) { index += 1 }
            return index
        }

        @inline(__always)
        private mutating func appendASCII(start: Int, end: Int) {
            var low = start
            var high = end
            while low < high && PythonText.isASCIIPunctuation(text[low]) { low += 1 }
            while high > low && PythonText.isASCIIPunctuation(text[high - 1]) { high -= 1 }
            // Keep the original token when the stripped one has two characters or fewer.
            if high - low <= 2 && (low != start || high != end) {
                low = start
                high = end
            }
            let length = high - low
            if length <= 8 {
                // The common case: one word holds the whole (lowercased) key.
                let x = SWAR.load(text, at: low, count: length)
                let letters = SWAR.asciiLetters(x)
                var flags: UInt8 = letters.upper != 0 && letters.lower == 0 ? Token.upper : 0
                if SWAR.hasZeroByte(x ^ 0x2727_2727_2727_2727)
                    && VaderSentimentAnalyzer.containsNApostropheT(text, from: low, to: high)
                {
                    flags |= Token.negated
                }
                append(slot: table.slotIndex(short: x | (letters.upper &>> 2), length: length), flags: flags)
            } else if length <= VaderKey.maximumLength {
                let packed = VaderKey.asciiLowercased(text, from: low, length: length)
                var flags: UInt8 = packed.hasUpper && !packed.hasLower ? Token.upper : 0
                if packed.hasApostrophe && VaderSentimentAnalyzer.containsNApostropheT(text, from: low, to: high) {
                    flags |= Token.negated
                }
                append(slot: table.slotIndex(packed.key), flags: flags)
            } else {
                // Too long to be a lexicon key; only the case and `n't` flags matter.
                var flags: UInt8 = 0
                if PythonText.isUpper(text, from: low, to: high) { flags |= Token.upper }
                if VaderSentimentAnalyzer.containsNApostropheT(text, from: low, to: high) { flags |= Token.negated }
                append(slot: table.absent, flags: flags)
            }
        }

        // MARK: Any text

        /// Tokenizes any valid UTF-8 text (Python's full whitespace set, code-point lengths).
        mutating func tokenizeUnicode() {
            let end = text.count
            var index = 0
            while index < end {
                // Skip whitespace.
                let byte = text[index]
                if byte < 0x80 {
                    if VaderSentimentAnalyzer.isASCIIWhitespace(byte) {
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
                while index < end {
                    let b = text[index]
                    if b < 0x80 {
                        if VaderSentimentAnalyzer.isASCIIWhitespace(b) { break }
                        if b == 0x27 {
                            apostrophe = true
                        } else if b == 0x21 {
                            exclamations += 1
                        } else if b == 0x3F {
                            questions += 1
                        }
                        index += 1
                    } else {
                        if PythonText.whitespaceLength(text, at: index) > 0 { break }
                        nonASCII = true
                        index += PythonText.sequenceLength(b)
                    }
                }
                appendUnicode(start: start, end: min(index, end), nonASCII: nonASCII, apostrophe: apostrophe)
            }
        }

        private mutating func appendUnicode(start: Int, end: Int, nonASCII: Bool, apostrophe: Bool) {
            if !nonASCII {
                appendASCII(start: start, end: end)
                return
            }
            var low = start
            var high = end
            while low < high && PythonText.isASCIIPunctuation(text[low]) { low += 1 }
            while high > low && PythonText.isASCIIPunctuation(text[high - 1]) { high -= 1 }
            if low != start || high != end {
                // Keep the original token when the stripped one has two code points or fewer.
                var scalars = 0
                var probe = low
                while probe < high && scalars <= 2 {
                    if text[probe] & 0xC0 != 0x80 { scalars += 1 }
                    probe += 1
                }
                if scalars <= 2 {
                    low = start
                    high = end
                }
            }
            var flags: UInt8 = 0
            if apostrophe && VaderSentimentAnalyzer.containsNApostropheT(text, from: low, to: high) {
                flags |= Token.negated
            }
            if PythonText.isUpper(text, from: low, to: high) { flags |= Token.upper }
            let key = VaderKey.lowercased(text, from: low, to: high)
            append(slot: key.map(table.slotIndex) ?? table.absent, flags: flags)
        }
    }

    /// Python whitespace among ASCII: 0x09–0x0D, 0x1C–0x20.
    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte <= 0x20 && (0x1_F000_3E00 as UInt64) &>> UInt64(byte) & 1 != 0
    }

    /// Whether the lowercased token contains `n't` (ASCII apostrophe). Only ASCII letters
    /// lowercase to `n`/`t` (Kelvin sign gives `k`), so a case-insensitive byte scan is exact.
    @inline(__always)
    static func containsNApostropheT(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
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

    /// `sentiment_valence` for token `i`, which the caller has checked is a lexicon word and
    /// not a booster (every other token scores 0), including the "kind of" short-cut.
    @inline(__always)
    private static func valence(at i: Int, tokens: UnsafeBufferPointer<Token>, capDifferential: Bool) -> Double {
        let n = tokens.count
        let token = tokens[i]
        if i < n - 1 && token.word == .kind && tokens[i + 1].word == .of { return 0 }

        let negationScalar = VaderLexicon.negationScalar
        let capsIncrement = VaderLexicon.capsIncrement
        var v = token.value

        if token.word == .no && i != n - 1 && tokens[i + 1].inLexicon {
            v = 0.0
        }
        if (i > 0 && tokens[i - 1].word == .no) || (i > 1 && tokens[i - 2].word == .no)
            || (i > 2 && tokens[i - 3].word == .no && (tokens[i - 1].word == .or || tokens[i - 1].word == .nor))
        {
            v = token.value * negationScalar
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
    /// equals a non-zero. Runs in O(m log m) for m non-zero values (O(m²) below 48, which is
    /// faster there).
    /// `candidates` are the positions that can be non-zero, in order.
    static func applyButRule(
        _ tokens: UnsafeMutableBufferPointer<Token>,
        candidates: UnsafeBufferPointer<Int>,
        butIndex: Int
    ) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: candidates.count) { buffer in
            var m = 0
            for index in candidates where tokens[index].value != 0 {
                buffer.initializeElement(at: m, to: index)
                m += 1
            }
            let positions = UnsafeBufferPointer(rebasing: buffer[0..<m])
            if m <= 48 {
                applyButRuleDirectly(tokens, positions: positions, butIndex: butIndex)
            } else {
                applyButRuleIndexed(tokens, positions: positions, butIndex: butIndex)
            }
        }
    }

    /// The quadratic scan over the non-zero positions, for few of them.
    private static func applyButRuleDirectly(
        _ tokens: UnsafeMutableBufferPointer<Token>,
        positions: UnsafeBufferPointer<Int>,
        butIndex: Int
    ) {
        for k in positions {
            let x = tokens[k].value
            var j = k
            for candidate in positions {
                if candidate >= k { break }
                if tokens[candidate].value == x {
                    j = candidate
                    break
                }
            }
            if j < butIndex {
                tokens[j].value = x * 0.5
            } else if j > butIndex {
                tokens[j].value = x * 1.5
            }
        }
    }

    /// Index of positions per value, each a binary min-heap of positions. Non-zero finite
    /// doubles are equal exactly when their bit patterns are.
    private static func applyButRuleIndexed(
        _ tokens: UnsafeMutableBufferPointer<Token>,
        positions: UnsafeBufferPointer<Int>,
        butIndex: Int
    ) {
        var heaps: [UInt64: [Int]] = [:]
        heaps.reserveCapacity(positions.count)
        for position in positions {
            heaps[tokens[position].value.bitPattern, default: []].append(position)  // ascending: a valid heap
        }
        for k in positions {
            let x = tokens[k].value
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
            tokens[j].value = replacement
            if replacement != 0 {
                heaps[replacement.bitPattern, default: []].pushHeap(j)
            }
        }
    }

    // MARK: - Aggregation

    /// `score_valence`: punctuation emphasis, normalisation, proportions and rounding.
    ///
    /// Only `positions` can hold non-zero values; the reference's sums over all tokens equal
    /// the sums over these in order (adding ±0.0 never changes a sum that starts at +0.0), and
    /// every other token is neutral.
    static func aggregate(
        _ tokens: UnsafeBufferPointer<Token>,
        positions: UnsafeBufferPointer<Int>,
        exclamations: Int,
        questions: Int
    ) -> SentimentScores {
        var sum = 0.0
        var positiveSum = 0.0
        var negativeSum = 0.0
        var neutralCount = tokens.count
        for index in positions {
            let value = tokens[index].value
            sum += value
            if value > 0 {
                positiveSum += value + 1
                neutralCount -= 1
            } else if value < 0 {
                negativeSum += value - 1
                neutralCount -= 1
            }
        }

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
