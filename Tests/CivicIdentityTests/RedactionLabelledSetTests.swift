import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import CivicIdentity

/// Recall and precision of the redactor per kind on the committed synthetic labelled set
/// (`ops/sample/redaction/labelled.txt`, written by `make_labelled_set.py` beside it): a few hundred comments
/// with every PII span marked `⟦kind|text⟧`, and tricky negatives (years, amounts, case and receipt numbers,
/// dates that are not birth dates); then (issue 29) PII written unusually — full-width forms, other scripts'
/// digits, e-mail spelled out, names in lower case — and its look-alikes ("at the office", "dot the i's"). Prints
/// the table BENCHMARKS.md quotes:
/// `swift test --disable-xctest --filter RedactionLabelledSetTests`.
@Suite(.hangGuard) struct RedactionLabelledSetTests {
    /// One labelled comment: its text and its marked spans (byte offsets into the text).
    struct Labelled {
        var text: String
        var spans: [PIIMatch]
    }

    /// Per-kind counts of the evaluation.
    struct Score {
        var truePositives = 0
        var falsePositives = 0
        var falseNegatives = 0
        var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
        var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
    }

    static func parse(_ line: String) throws -> Labelled {
        var text: [UInt8] = []
        var spans: [PIIMatch] = []
        var rest = Substring(line)
        while let open = rest.range(of: "⟦") {
            text += Array(rest[..<open.lowerBound].utf8)
            rest = rest[open.upperBound...]
            guard let bar = rest.firstIndex(of: "|"), let close = rest.range(of: "⟧") else {
                throw TestEnvironmentError("unterminated mark in \(line)")
            }
            let kindName = String(rest[..<bar])
            guard let kind = PIIKind(rawValue: kindName) else { throw TestEnvironmentError("unknown kind \(kindName) in \(line)") }
            let value = Array(rest[rest.index(after: bar)..<close.lowerBound].utf8)
            spans.append(PIIMatch(start: text.count, end: text.count + value.count, kind: kind))
            text += value
            rest = rest[close.upperBound...]
        }
        text += Array(rest.utf8)
        return Labelled(text: String(decoding: text, as: UTF8.self), spans: spans)
    }

    static func labelled() throws -> [Labelled] {
        let url = RepositoryLayout.root.appendingPathComponent("ops/sample/redaction/labelled.txt")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try parse(String($0)) }
    }

    /// A found span is right when it overlaps a marked span of the same kind; a marked span is found when a
    /// found span of its kind overlaps it. `any` scores overlap whatever the kinds (was the text redacted at all).
    static func score(_ set: [Labelled]) -> (perKind: [PIIKind: Score], any: Score, negativeLines: Int, cleanNegatives: Int) {
        var perKind: [PIIKind: Score] = [:]
        var any = Score()
        var negativeLines = 0
        var cleanNegatives = 0
        for item in set {
            // What the redactor itself finds: the folded text's matches, as spans of the original bytes.
            let found = PIIScanner.matches(in: Array(item.text.utf8), configuration: .init())
            func overlaps(_ a: PIIMatch, _ b: PIIMatch) -> Bool { a.start < b.end && b.start < a.end }
            for span in found {
                if item.spans.contains(where: { $0.kind == span.kind && overlaps($0, span) }) {
                    perKind[span.kind, default: Score()].truePositives += 1
                } else {
                    perKind[span.kind, default: Score()].falsePositives += 1
                }
                if item.spans.contains(where: { overlaps($0, span) }) { any.truePositives += 1 } else { any.falsePositives += 1 }
            }
            for span in item.spans {
                if !found.contains(where: { $0.kind == span.kind && overlaps($0, span) }) {
                    perKind[span.kind, default: Score()].falseNegatives += 1
                }
                if !found.contains(where: { overlaps($0, span) }) { any.falseNegatives += 1 }
            }
            if item.spans.isEmpty {
                negativeLines += 1
                if found.isEmpty { cleanNegatives += 1 }
            }
        }
        return (perKind, any, negativeLines, cleanNegatives)
    }

    @Test func theLabelledSetParsesAndIsLargeEnough() throws {
        let set = try Self.labelled()
        #expect(set.count >= 300)
        let kinds = Set(set.flatMap { $0.spans.map(\.kind) })
        #expect(kinds == Set(PIIKind.allCases), "every kind is labelled: missing \(Set(PIIKind.allCases).subtracting(kinds))")
        #expect(set.filter { $0.spans.isEmpty }.count >= 100, "negatives")
        let parsed = try Self.parse("a ⟦ssn|123-45-6789⟧ b")
        #expect(parsed.text == "a 123-45-6789 b" && parsed.spans == [PIIMatch(start: 2, end: 13, kind: .ssn)])
    }

    @Test func recallAndPrecisionPerKindStayAtTheirMeasuredLevels() throws {
        let set = try Self.labelled()
        let (perKind, any, negativeLines, cleanNegatives) = Self.score(set)
        func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        var table = "| kind | labelled | found right | missed | wrongly found | recall | precision |\n|---|---|---|---|---|---|---|\n"
        for kind in PIIKind.allCases {
            let score = perKind[kind] ?? Score()
            table += "| \(kind.rawValue) | \(score.truePositives + score.falseNegatives) | \(score.truePositives) | "
            table += "\(score.falseNegatives) | \(score.falsePositives) | \(percent(score.recall)) | \(percent(score.precision)) |\n"
        }
        table += "| any kind (redacted at all) | \(any.truePositives + any.falseNegatives) | \(any.truePositives) | "
        table += "\(any.falseNegatives) | \(any.falsePositives) | \(percent(any.recall)) | \(percent(any.precision)) |\n"
        print("redaction on \(set.count) labelled comments (\(negativeLines) negatives, \(cleanNegatives) left untouched):\n\(table)")
        // Floors just under the measured figures (BENCHMARKS.md), so a regression fails here.
        // 0.910 since issue 29 added unusual writing, hard cases included (0.936 on the first 407 lines alone).
        #expect(any.recall >= 0.90, "overall recall \(any.recall)")
        #expect(any.precision >= 0.97, "overall precision \(any.precision)")
        for kind in PIIKind.allCases {
            let score = perKind[kind] ?? Score()
            #expect(score.precision >= 0.95, "\(kind) precision \(score.precision)")
            #expect(score.recall >= 0.65, "\(kind) recall \(score.recall)")
        }
        #expect(cleanNegatives == negativeLines, "negatives left untouched")
    }
}
