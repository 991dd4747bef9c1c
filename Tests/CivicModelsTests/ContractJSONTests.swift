import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// `FeedbackEvent.contractJSON()` writes exactly what the contract's `JSONEncoder` writes, for seeded random
/// events that use every field, every answer shape, awkward strings and awkward numbers.
@Suite(.hangGuard) struct ContractJSONTests {

    @Test func writesExactlyWhatTheEncoderWrites() throws {
        let encoder = CivicJSON.makeEncoder()
        var generator = SeededGenerator(seed: 280)
        for index in 0..<3_000 {
            let event = RandomFeedbackEvent.event(&generator)
            let expected = Array(try encoder.encode(event))
            let written = try event.contractJSON()
            guard written == expected else {
                Issue.record(
                    "event \(index) differs:\nencoder: \(String(decoding: expected, as: UTF8.self))\nwritten: \(String(decoding: written, as: UTF8.self))"
                )
                return
            }
        }
    }

    @Test func theDesignExampleDecodesBackFromWhatIsWritten() throws {
        let event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(ContractExample.submittedV2.utf8))
        let decoded = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(try event.contractJSON()))
        #expect(decoded == event)
    }

    @Test func aNonFiniteScoreIsRefusedAsTheEncoderRefusesIt() {
        var event = FeedbackEvent(eventId: "e", occurredAt: Date(), agency: "IRS", service: "s", channel: .web, form: .a11v2, answers: Answers())
        event.sentiment = SentimentScores(neg: .nan, neu: 0, pos: 0, compound: 0)
        #expect(throws: EncodingError.self) { try event.contractJSON() }
    }
}
