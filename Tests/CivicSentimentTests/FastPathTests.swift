import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import CivicSentiment

/// Checks the building blocks of the fast paths (SWAR byte classes, bounded loads, the word
/// table) exhaustively, and that the ASCII tokenizer agrees with the general one.
@Suite("VADER fast paths", .hangGuard)
struct FastPathTests {
    /// Python's `string.punctuation`.
    static let punctuation = Set(##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##.utf8)

    @Test("Punctuation, letter and digit classes agree with Python for every byte and lane")
    func byteClasses() {
        #expect(Self.punctuation.count == 32)
        for byte in 0...255 {
            let b = UInt8(byte)
            #expect(PythonText.isASCIIPunctuation(b) == Self.punctuation.contains(b), "byte \(byte)")
        }
        for byte in 0..<128 {
            let b = UInt8(byte)
            for lane in 0..<8 {
                // The byte in one lane, surrounded by letters and digits that must not leak into it.
                var word: UInt64 = 0
                for other in 0..<8 { word |= UInt64(other == lane ? b : (other.isMultiple(of: 2) ? 0x61 : 0x37)) << (8 * other) }
                let letters = SWAR.asciiLetters(word)
                let bit: UInt64 = 0x80 << (8 * lane)
                #expect((letters.upper & bit != 0) == (b >= 0x41 && b <= 0x5A), "upper \(byte) lane \(lane)")
                #expect((letters.lower & bit != 0) == (b >= 0x61 && b <= 0x7A), "lower \(byte) lane \(lane)")
                let punctuation = SWAR.asciiPunctuation(word, letters: letters)
                #expect((punctuation & bit != 0) == Self.punctuation.contains(b), "punctuation \(byte) lane \(lane)")
                #expect(punctuation & ~bit == 0, "punctuation leaked from byte \(byte) lane \(lane)")
                #expect(SWAR.hasZeroByte(word ^ (UInt64(b) * SWAR.ones)))
                #expect(
                    SWAR.byteCount(SWAR.zeroBytes(word ^ (UInt64(b) * SWAR.ones)))
                        == (0..<8).filter { lane == $0 || UInt8(truncatingIfNeeded: word >> (8 * $0)) == b }.count
                )
            }
        }
    }

    @Test("Bounded loads read exactly the requested bytes of every buffer size")
    func boundedLoads() {
        for size in 1...24 {
            let bytes = (0..<size).map { UInt8(0x41 + $0) }
            bytes.withUnsafeBufferPointer { buffer in
                for offset in 0..<size {
                    for count in 1...min(8, size - offset) {
                        var expected: UInt64 = 0
                        for k in 0..<count { expected |= UInt64(bytes[offset + k]) << (8 * k) }
                        #expect(SWAR.load(buffer, at: offset, count: count) == expected, "size \(size) offset \(offset) count \(count)")
                    }
                }
            }
        }
    }

    @Test("Every word-table key is found, by the general and the short lookup")
    func wordTable() throws {
        let lexicon = try BundledResources.vaderLexicon()
        let url = try BundledResources.url(named: "vader_lexicon", extension: "txt")
        // The file has CRLF line endings, and "\r\n" is one Character: split the bytes.
        let lines = try Data(contentsOf: url).split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        var checked = 0
        lexicon.words.withView { view in
            for line in lines {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                let word = String(fields[0])
                // Keys with capitals or spaces can never match a token and are not stored.
                guard word == word.lowercased(), !word.contains(" "), let key = VaderKey.exact(Array(word.utf8)) else {
                    continue
                }
                let index = view.slotIndex(key)
                #expect(index != view.absent, "\(word) not found")
                #expect(view.slot(index).flags & VaderEntry.inLexicon != 0, "\(word) not flagged as lexicon word")
                if key.length <= 8 { #expect(view.slotIndex(short: key.w0, length: key.length) == index, "\(word)") }
                checked += 1
            }
            for word in ["zzzzzz", "the agent", "qwertyuiopasdfghjklzxcvb", "a"] {
                if let key = VaderKey.exact(Array(word.utf8)), lexicon.words.lookup(key) == nil {
                    #expect(view.slotIndex(key) == view.absent)
                }
            }
        }
        #expect(checked > 7_000)
    }

    @Test("The ASCII tokenizer and the general tokenizer give identical scores")
    func asciiTokenizerMatchesGeneral() throws {
        let analyzer = try VaderSentimentAnalyzer()
        let words = [
            "good", "GOOD", "Good", "not", "isn't", "ISN'T", "don't!", "n't", "but", "BUT", "kind", "of", "no", "never",
            "so", "this", "without", "doubt", "least", "at", "very", "extremely", "slightly", "kinda", "the", "shit",
            "bomb", "bad", "ass", "yeah", "right", "kiss", "death", "to", "die", "for", "just", "enough", "sort",
            "great.", "(great)", "...", "!!!", "?!", ":)", ":-D", "<3", "ok.", "no,", "a", "I", "x!y?z", "'good'",
            "frustrating", "FRUSTRATING", "appointment", "unbelievably", "extraordinarily", "abcdefghijklmnop",
            "abcdefghijklmnopqrstuvwxyz", "GOODGOODGOOD", "good,good", "12345678", "wow!!!!!!", "\u{1}", "a\u{0}b",
            "\u{7F}", "love", "hate", "happy", "sad", "terrible", "wonderful",
        ]
        let spaces = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}"]
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            var text = ""
            if generator.next() % 8 == 0 { text += spaces[Int(generator.next() % UInt64(spaces.count))] }
            for _ in 0..<Int(generator.next() % 24) {
                text += words[Int(generator.next() % UInt64(words.count))]
                text += spaces[Int(generator.next() % UInt64(spaces.count))]
            }
            if generator.next() % 2 == 0, !text.isEmpty { text.removeLast() }
            var copy = text
            let (fast, general) = copy.withUTF8 { bytes in
                (analyzer.score(bytes, ascii: true), analyzer.score(bytes, ascii: false))
            }
            #expect(fast.isBitwiseIdentical(to: general), "\(text.debugDescription): \(fast) vs \(general)")
            #expect(fast.isBitwiseIdentical(to: analyzer.polarityScores(text)))
        }
    }
}
