import CivicTestTraits
import Foundation
import Testing

@testable import CivicSentiment

@Suite("Python semantics helpers", .hangGuard)
struct PythonSemanticsTests {
    @Test(
        "round() matches CPython on ties, false ties and signs",
        arguments: [
            (0.0625, 3, 0.062), (0.3125, 3, 0.312), (0.5625, 3, 0.562), (0.0005, 3, 0.001), (0.12345, 4, 0.1235),
            (0.4404, 4, 0.4404), (-0.5423, 4, -0.5423), (1.0, 3, 1.0), (0.0, 3, 0.0), (-0.00001, 4, -0.0),
            (0.99995, 4, 1.0), (0.00015, 4, 0.0001), (2.675, 2, 2.67), (0.285, 2, 0.28), (1.5, 0, 2.0), (2.5, 0, 2.0),
        ] as [(Double, Int, Double)]
    )
    func rounding(_ value: Double, _ digits: Int, _ expected: Double) {
        let got = PythonRounding.round(value, digits: digits)
        #expect(got.bitPattern == expected.bitPattern, "round(\(value), \(digits)) = \(got), Python gives \(expected)")
    }

    @Test("round() matches CPython on 200,000 seeded values (oracle)")
    func roundingAgainstOracle() throws {
        let output = try PythonOracle.run(["rounding", "200000"])
        var checked = 0
        var mismatches: [String] = []
        for line in output.split(separator: UInt8(ascii: "\n")) {
            let fields = String(decoding: line, as: UTF8.self).split(separator: " ")
            guard fields.count == 3, let x = Double(String(fields[0])), let n = Int(fields[1]),
                let expected = Double(String(fields[2]))
            else {
                Issue.record("bad line \(String(decoding: line, as: UTF8.self))")
                continue
            }
            checked += 1
            let got = PythonRounding.round(x, digits: n)
            if got.bitPattern != expected.bitPattern && mismatches.count < 20 {
                mismatches.append("round(\(x), \(n)): Python \(expected), Swift \(got)")
            }
        }
        #expect(checked == 200_000)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("Whitespace set is Python's, not Swift's")
    func whitespace() {
        for scalar: UInt32 in [0x1C, 0x1F, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x202F, 0x205F, 0x3000] {
            #expect(PythonText.isWhitespace(scalar))
        }
        for scalar: UInt32 in [0x200B, 0xFEFF, 0x180E, 0x2060, 0x41] {
            #expect(!PythonText.isWhitespace(scalar))
        }
    }

    @Test("Canonically equivalent characters are not equal to their ASCII lookalikes")
    func canonicalEquivalence() throws {
        let analyzer = try VaderSentimentAnalyzer()
        // U+037E GREEK QUESTION MARK is canonically ";" but not ";" for Python.
        #expect(analyzer.polarityScores("\u{037E})") == analyzer.polarityScores("x"))
        #expect(analyzer.polarityScores(";)").compound > 0)
        // U+212A KELVIN SIGN lowercases to "k": "\u{212A}ind of" behaves like "kind of".
        #expect(analyzer.polarityScores("it was \u{212A}ind of good") == analyzer.polarityScores("it was kind of good"))
    }

    @Test("Bundled data files are byte-identical to the upstream releases")
    func resourceChecksums() throws {
        let expected = [
            "vader_lexicon.txt": "1ec9c6e9ee19aade328f8beb393a6afa71a5bb3acf7d3cc22d4ef568df374bf5",
            "emoji_utf8_lexicon.txt": "b8d54223ae1ce22a3e12c1f745316b71678c328eb5f5d3063a842f37cfbe2823",
            "AEV_Dict.csv": "08aada24af89ae8fe7353f205ea4e5ad6d0ea774bb099015ad78b271cc721459",
        ]
        var paths: [String] = []
        for name in expected.keys.sorted() {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            paths.append(try BundledResources.url(named: parts[0], extension: parts[1]).path)
        }
        let output = try PythonOracle.run(["sha256"] + paths)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == paths.count)
        for (name, line) in zip(expected.keys.sorted(), lines) {
            #expect(line == expected[name], "\(name): sha256 \(line)")
        }
    }
}
