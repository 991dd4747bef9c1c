import CivicModels
import Foundation

/// Seeded random ``FeedbackEvent``s that use every field, every answer shape, awkward strings and awkward
/// numbers, for property tests of the contract's readers and writers.
package enum RandomFeedbackEvent {
    /// Text with what escaping must handle: every control character, quotes, backslashes, slashes, DEL,
    /// U+2028, accents, emoji, and long runs of plain text between them.
    package static func text(_ generator: inout SeededGenerator) -> String {
        let pieces: [String] = [
            "plain words ", "\"", "\\", "/", "\u{7F}", "\u{2028}", "é", "😀", "https://example.gov/a?b=c", "中文", "",
        ]
        var text = ""
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            if Bool.random(using: &generator) {
                text.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0..<0x20, using: &generator)))
            } else {
                text += pieces.randomElement(using: &generator) ?? ""
            }
        }
        return text
    }

    package static func number(_ generator: inout SeededGenerator) -> Double {
        let special: [Double] = [
            0, -0.0, 1, -1, 0.5, 1e-7, 1e21, 123_456_789_012_345_683_968, 0.1 + 0.2, 1e16, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        ]
        if Bool.random(using: &generator) { return special.randomElement(using: &generator) ?? 0 }
        return Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &generator) ? 1 : -1)
    }

    package static func maybe<T>(_ generator: inout SeededGenerator, _ make: (inout SeededGenerator) -> T) -> T? {
        Bool.random(using: &generator) ? make(&generator) : nil
    }

    package static func event(_ generator: inout SeededGenerator) -> FeedbackEvent {
        let drivers = { (generator: inout SeededGenerator) -> [Driver] in
            (0..<Int.random(in: 0...3, using: &generator)).compactMap { _ in Driver.allCases.randomElement(using: &generator) }
        }
        let trust: TrustAnswer? = [
            TrustAnswer.thumbs(Int.random(in: 0...1, using: &generator)), .likert5(Int.random(in: 1...5, using: &generator)),
            .legacy(Int.random(in: -3...9, using: &generator)),
        ].randomElement(using: &generator)
        var event = FeedbackEvent(
            schema: text(&generator),
            eventId: text(&generator),
            occurredAt: Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator)) / 1000),
            agency: text(&generator),
            service: text(&generator),
            channel: Channel.allCases.randomElement(using: &generator) ?? .web,
            touchpoint: maybe(&generator, text),
            level: MeasurementLevel.allCases.randomElement(using: &generator) ?? .transaction,
            journeyId: maybe(&generator, text),
            stage: maybe(&generator, text),
            form: SurveyForm.allCases.randomElement(using: &generator) ?? .a11v2,
            scaleDirection: maybe(&generator) { ScaleDirection.allCases.randomElement(using: &$0) ?? .agreeHigh },
            answers: Answers(
                trust: Bool.random(using: &generator) ? trust : nil,
                wentWell: maybe(&generator, drivers),
                didNotGoWell: maybe(&generator, drivers),
                satisfaction: maybe(&generator) { Int.random(in: -10...10, using: &$0) },
                effectiveness: maybe(&generator) { Int.random(in: 1...5, using: &$0) },
                ease: maybe(&generator) { Int.random(in: 1...5, using: &$0) },
                efficiency: maybe(&generator) { Int.random(in: 1...5, using: &$0) },
                transparency: maybe(&generator) { Int.random(in: 1...5, using: &$0) },
                employee: maybe(&generator) { Int.random(in: 1...5, using: &$0) },
                recommend: maybe(&generator) { Int.random(in: Int.min...Int.max, using: &$0) }
            ),
            comment: maybe(&generator, text),
            identity: maybe(&generator) { IdentityAssertion(idToken: text(&$0)) },
            locale: maybe(&generator, text),
            submitter: maybe(&generator, text),
            honeypot: maybe(&generator, text)
        )
        event.receivedAt = maybe(&generator) { Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000_000, using: &$0)) / 1000) }
        event.spam = maybe(&generator) { generator in
            SpamAssessment(
                flagged: Bool.random(using: &generator),
                reasons: (0..<Int.random(in: 0...3, using: &generator)).compactMap { _ in SpamReason.allCases.randomElement(using: &generator) }
            )
        }
        event.instrument = maybe(&generator) { generator in
            InstrumentReference(
                form: InstrumentForm.allCases.randomElement(using: &generator) ?? .a11v2Thumbs,
                ombControlNumber: text(&generator),
                expiresOn: text(&generator),
                praExpired: Bool.random(using: &generator),
                wentWellOffered: Driver.allCases.filter { _ in Bool.random(using: &generator) },
                didNotGoWellOffered: Driver.allCases.filter { _ in Bool.random(using: &generator) }
            )
        }
        event.respondent = maybe(&generator) { generator in
            Respondent(
                status: RespondentStatus.allCases.randomElement(using: &generator) ?? .anonymous,
                pseudonym: maybe(&generator, text),
                previousPseudonyms: maybe(&generator) { generator in (0..<Int.random(in: 0...2, using: &generator)).map { _ in text(&generator) } },
                ial: maybe(&generator, text),
                aal: maybe(&generator, text),
                refusal: maybe(&generator, text)
            )
        }
        event.redactions = maybe(&generator) { generator in
            Dictionary((0..<Int.random(in: 0...4, using: &generator)).map { _ in (text(&generator), Int.random(in: 0...99, using: &generator)) }) {
                a,
                _ in a
            }
        }
        event.sentiment = maybe(&generator) { SentimentScores(neg: number(&$0), neu: number(&$0), pos: number(&$0), compound: number(&$0)) }
        event.emotions = maybe(&generator) { generator in
            Dictionary((0..<Int.random(in: 0...5, using: &generator)).map { _ in (text(&generator), number(&generator)) }) { a, _ in a }
        }
        event.scorer = maybe(&generator) { generator in
            ScorerInfo(
                version: text(&generator),
                unscoredReason: maybe(&generator) { ScorerInfo.UnscoredReason.allCases.randomElement(using: &$0) ?? .noComment }
            )
        }
        return event
    }
}
