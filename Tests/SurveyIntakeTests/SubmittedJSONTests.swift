import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import SurveyIntake

/// survey-intake's one-parse reader of submitted responses (``FeedbackEvent/init(submittedJSON:)``) against
/// the contract's decoder.
@Suite(.hangGuard) struct SubmittedJSONTests {
    /// What an agency sends (no stage's additions), written with every kind of escape, is read straight from
    /// its bytes into what the contract's decoder reads; stage additions and non-plain numbers are left to
    /// the decoder.
    @Test func submittedEventsAreReadFromTheirBytesAsTheDecoderReadsThem() throws {
        let decoder = CivicJSON.makeDecoder()
        var generator = SeededGenerator(seed: 0xA11)
        for index in 0..<3_000 {
            var event = RandomFeedbackEvent.event(&generator)
            (event.receivedAt, event.spam, event.instrument, event.respondent, event.redactions) = (nil, nil, nil, nil, nil)
            (event.sentiment, event.emotions, event.scorer) = (nil, nil, nil)
            event.answers.recommend = event.answers.recommend.map { $0 % 1_000 }
            let bytes = try event.contractJSON()
            let decoded = try decoder.decode(FeedbackEvent.self, from: Data(bytes))
            guard let read = FeedbackEvent(submittedJSON: bytes), read == decoded else {
                Issue.record("event \(index) is not read as decoded: \(String(decoding: bytes, as: UTF8.self))")
                return
            }
        }
        let example = Array(ContractExample.submittedV2.utf8)
        #expect(try FeedbackEvent(submittedJSON: example) == decoder.decode(FeedbackEvent.self, from: Data(example)))
        for leftToTheDecoder in [
            #"{"eventId":"a","eventId":"b"}"#, #"{"schema":"x","receivedAt":"2026-01-01T00:00:00Z"}"#,
            String(decoding: example.dropLast(), as: UTF8.self), String(decoding: example, as: UTF8.self) + "x",
            String(decoding: example, as: UTF8.self).replacingOccurrences(of: #""recommend": 9"#, with: #""recommend": 9.0"#),
            String(decoding: example, as: UTF8.self).replacingOccurrences(of: #""value": 1"#, with: #""value": 01"#),
            String(decoding: example, as: UTF8.self).replacingOccurrences(of: #""IRS""#, with: #""\uD800""#),
        ] {
            #expect(FeedbackEvent(submittedJSON: Array(leftToTheDecoder.utf8)) == nil, "\(leftToTheDecoder)")
        }
    }
}
