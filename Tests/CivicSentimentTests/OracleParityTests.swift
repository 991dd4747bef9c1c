import CivicTestTraits
import Foundation
import Testing

@testable import CivicSentiment

/// Compares the Swift analyzer with the real vaderSentiment 3.3.2 package, run at test time.
@Suite("VADER parity with the Python oracle", .serialized, .hangGuard)
struct OracleParityTests {
    struct CorpusItem: Decodable {
        var id: String
        var text: String
    }

    struct OracleResult: Decodable {
        var id: String
        var neg: String
        var neu: String
        var pos: String
        var compound: String

        func scores() throws -> SentimentScores {
            func parse(_ hex: String) throws -> Double {
                guard let value = Double(hex) else {
                    throw PythonOracle.Failure(description: "unparseable float.hex() value \(hex)")
                }
                return value
            }
            return SentimentScores(neg: try parse(neg), neu: try parse(neu), pos: try parse(pos), compound: try parse(compound))
        }
    }

    static func corpusURL() throws -> URL {
        try #require(Bundle.module.url(forResource: "oracle_corpus", withExtension: "jsonl", subdirectory: "Data"))
    }

    @Test("Every corpus text scores bit-identically to vaderSentiment 3.3.2")
    func corpusMatchesOracle() throws {
        let url = try Self.corpusURL()
        let decoder = JSONDecoder()
        let corpus = try Data(contentsOf: url).split(separator: UInt8(ascii: "\n")).map {
            try decoder.decode(CorpusItem.self, from: Data($0))
        }
        #expect(corpus.count >= 2_000)

        let output = try PythonOracle.run(["scores", url.path])
        let results = try output.split(separator: UInt8(ascii: "\n")).map {
            try decoder.decode(OracleResult.self, from: Data($0))
        }
        try #require(results.count == corpus.count, "oracle returned \(results.count) results for \(corpus.count) texts")

        let analyzer = try VaderSentimentAnalyzer()
        var mismatches = 0
        for (item, result) in zip(corpus, results) {
            try #require(item.id == result.id)
            let expected = try result.scores()
            let got = analyzer.polarityScores(item.text)
            if !got.isBitwiseIdentical(to: expected) {
                mismatches += 1
                Issue.record(
                    "\(item.id): text=\(item.text.prefix(300).debugDescription) expected=\(expected) got=\(got)"
                )
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(corpus.count) texts differ from the oracle")
    }

    @Test("Case flags and whitespace agree with the oracle for every code point")
    func unicodeTablesMatchOracle() throws {
        let info = try JSONSerialization.jsonObject(with: PythonOracle.run(["info"])) as? [String: String]
        let unidata = info?["unidata_version"] ?? "?"
        let output = try PythonOracle.run(["casetable"])
        var oracle: [UInt32: (Bool, Bool, Bool)] = [:]
        for line in output.split(separator: UInt8(ascii: "\n")) {
            let fields = String(decoding: line, as: UTF8.self).split(separator: " ")
            guard fields.count == 4, let cp = UInt32(fields[0], radix: 16) else {
                Issue.record("bad casetable line \(String(decoding: line, as: UTF8.self))")
                continue
            }
            oracle[cp] = (fields[1] == "1", fields[2] == "1", fields[3] == "1")
        }
        #expect(oracle.count > 4_000)
        // A different Unicode database than 14.0.0 legitimately differs for later scalars.
        let sameUnicode = unidata == "14.0.0"
        var mismatches: [String] = []
        for cp in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(cp) else { continue }
            if !sameUnicode, let age = scalar.properties.age, age.major > 14 { continue }
            let expected = oracle[cp] ?? (false, false, false)
            let flags = PythonText.caseFlags(cp)
            // isupper() semantics: only `upper && !lowerOrTitle` matters beside lowerOrTitle.
            let gotUpper = flags.upper && !flags.lowerOrTitle
            let expectedUpper = expected.1 && !expected.0
            let space = PythonText.isWhitespace(cp)
            if flags.lowerOrTitle != expected.0 || gotUpper != expectedUpper || space != expected.2 {
                mismatches.append(String(cp, radix: 16, uppercase: true))
            }
        }
        #expect(mismatches.isEmpty, "code points differing from Python (unicodedata \(unidata)): \(mismatches.prefix(50))")
    }
}
