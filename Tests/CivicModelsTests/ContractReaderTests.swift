import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// The stages' fast reader of events (``FeedbackEvent/init(contractJSON:reading:)`` with every stage's
/// fields) against the contract's `JSONDecoder`: what it reads is what the decoder reads, on random events
/// using every field and on mutated bytes; what it gives up on is left to the decoder.
@Suite(.hangGuard) struct ContractReaderTests {
    @Test func everyStagesEventIsReadAsTheDecoderReadsIt() throws {
        let decoder = CivicJSON.makeDecoder()
        var generator = SeededGenerator(seed: 0x5CA1E)
        var read = 0
        for index in 0..<3_000 {
            let event = RandomFeedbackEvent.event(&generator)
            let bytes = try event.contractJSON()
            let decoded = try? decoder.decode(FeedbackEvent.self, from: Data(bytes))
            guard let fast = FeedbackEvent(contractJSON: bytes, reading: .anyStage) else { continue }
            read += 1
            guard fast == decoded else {
                Issue.record("event \(index) is read otherwise than decoded: \(String(decoding: bytes, as: UTF8.self))")
                return
            }
        }
        // Left to the decoder: the generator's integers beyond 18 digits and scores outside the normal range.
        #expect(read > 1_000, "the reader read \(read) of 3000")
        let example = Array(ContractExample.submittedV2.utf8)
        #expect(try FeedbackEvent(contractJSON: example, reading: .anyStage) == decoder.decode(FeedbackEvent.self, from: Data(example)))
    }

    @Test func mutatedBytesAreReadOnlyAsTheDecoderReadsThem() throws {
        let decoder = CivicJSON.makeDecoder()
        var generator = SeededGenerator(seed: 0xB17E)
        let alphabet = Array(#"{}[]":,\ 0123456789.-eEtrufalsn"#.utf8)
        for _ in 0..<10_000 {
            let event = RandomFeedbackEvent.event(&generator)
            var bytes = try event.contractJSON()
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0...2, using: &generator) {
                case 0: bytes.remove(at: position)
                case 1: bytes[position] = alphabet.randomElement(using: &generator) ?? 0x20
                default: bytes.insert(alphabet.randomElement(using: &generator) ?? 0x20, at: position)
                }
            }
            guard String(validating: bytes, as: UTF8.self) != nil, let fast = FeedbackEvent(contractJSON: bytes, reading: .anyStage) else {
                continue
            }
            let decoded = Result { try decoder.decode(FeedbackEvent.self, from: Data(bytes)) }
            #expect(fast == (try? decoded.get()), "read otherwise than decoded: \(String(decoding: bytes, as: UTF8.self)) \(decoded)")
        }
    }

    @Test func unknownKeysAreSkippedAndStageFieldsReadOnlyWhenAsked() throws {
        var event = FeedbackEvent(
            eventId: "e-1",
            occurredAt: Date(timeIntervalSince1970: 1_800_000_000),
            agency: "IRS",
            service: "s",
            channel: .web,
            form: .a11v2,
            answers: Answers(trust: .thumbs(1))
        )
        event.spam = SpamAssessment(flagged: false, reasons: [])
        var text = String(decoding: try event.contractJSON(), as: UTF8.self)
        text.insert(contentsOf: #""future":{"x":[1,2]},"#, at: text.index(after: text.startIndex))
        let bytes = Array(text.utf8)
        #expect(FeedbackEvent(contractJSON: bytes, reading: .anyStage) == event)
        #expect(FeedbackEvent(contractJSON: bytes, reading: .submitted) == nil)
        #expect(FeedbackEvent(contractJSON: try event.contractJSON(), reading: .submitted) == nil, "spam is a stage's field")
        #expect(try FeedbackEvent.decode(bytes, fallback: CivicJSON.makeDecoder()) == event)
    }
}
