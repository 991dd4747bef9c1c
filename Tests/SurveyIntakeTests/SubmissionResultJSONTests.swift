import CivicModels
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import SurveyIntake

/// The `202` body is written without `JSONEncoder`, so it must match the encoder's bytes (sorted keys,
/// unescaped slashes, absent optionals omitted) for every shape of result.
@Suite(.hangGuard) struct SubmissionResultJSONTests {
    static let texts = [
        "", "a", "accepted", "answers.ease: 7 is outside 1...5", "quote \" backslash \\ slash /", "tab\tnewline\ncr\r",
        "controls \u{0}\u{1}\u{8}\u{C}\u{1F}", "émoji 🇺🇸 \u{2028}", "bench-123e4567-e89b-12d3-a456-426614174000",
    ]

    @Test func writesWhatJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var random = SeededGenerator(seed: 0x5EED_2026)
        for _ in 0..<2_000 {
            let items = (0..<Int.random(in: 0...5, using: &random)).map { index in
                SubmissionResult.Item(
                    index: Bool.random(using: &random) ? index : Int.random(in: Int.min...Int.max, using: &random),
                    eventId: Bool.random(using: &random) ? Self.texts.randomElement(using: &random) : nil,
                    status: SubmissionResult.Status.allCases.randomElement(using: &random) ?? .accepted,
                    code: Bool.random(using: &random) ? Self.texts.randomElement(using: &random) : nil,
                    field: Bool.random(using: &random) ? Self.texts.randomElement(using: &random) : nil,
                    reason: Bool.random(using: &random) ? Self.texts.randomElement(using: &random) : nil
                )
            }
            let result = SubmissionResult(requestId: Self.texts.randomElement(using: &random) ?? "", results: items)
            let expected = Array(try encoder.encode(result))
            #expect(result.json() == expected, "\(String(decoding: expected, as: UTF8.self))")
            #expect(try JSONDecoder().decode(SubmissionResult.self, from: Data(result.json())) == result)
        }
    }

    @Test func requestIdsAreDistinctVersion4UUIDs() {
        let ids = (0..<1_000).map { _ in HTTPRequestID.make() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect(characters[14] == "4", "\(id) is not version 4")
            #expect("89ab".contains(characters[19]), "\(id) is not the RFC 4122 variant")
        }
    }
}
