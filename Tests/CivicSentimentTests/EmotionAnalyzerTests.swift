import CivicTestTraits
import Foundation
import Testing

@testable import CivicSentiment

@Suite("Emotion analyzer", .hangGuard)
struct EmotionAnalyzerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var expressed: Set<Emotion>
        var negated: Set<Emotion> = []
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        // Explicit emotions
        Case(text: "I am so frustrated with this form.", expressed: [.frustration, .anger]),
        Case(text: "The website is confusing and I'm confused.", expressed: [.confusion]),
        Case(text: "Thank you so much, I'm really grateful!", expressed: [.gratitude]),
        Case(text: "Thanks for the quick help", expressed: [.gratitude]),
        Case(text: "I appreciate the follow-up from your team", expressed: [.gratitude]),
        Case(text: "Very disappointed with the outcome.", expressed: [.disappointment, .sadness]),
        Case(text: "I'm worried my documents got lost", expressed: [.fear]),
        Case(text: "This makes me anxious and nervous", expressed: [.fear]),
        Case(text: "I was furious when they hung up on me", expressed: [.anger]),
        Case(text: "So happy the renewal was quick!", expressed: [.joy]),
        Case(text: "Delighted with the new appointment system", expressed: [.joy]),
        Case(text: "It's sad that nobody answered", expressed: [.sadness]),
        Case(text: "I'm fed up with waiting", expressed: [.frustration]),
        Case(text: "The instructions make no sense at all", expressed: [.confusion]),
        Case(text: "The letter doesn't make sense to me", expressed: [.confusion]),
        Case(text: "I'm not sure which form to use", expressed: [.confusion]),
        Case(text: "What a waste of time.", expressed: [.frustration]),
        Case(text: "Really let down by the service", expressed: [.disappointment]),
        Case(text: "Annoying, slow and unclear", expressed: [.frustration, .anger, .confusion]),
        Case(text: "I can't thank you enough for your help", expressed: [.gratitude]),
        Case(text: "Not only frustrating but also confusing", expressed: [.frustration, .anger, .confusion]),
        Case(text: "I am SO ANGRY right now", expressed: [.anger]),
        // Negation suppresses
        Case(text: "I'm not frustrated at all", expressed: [], negated: [.frustration, .anger]),
        Case(text: "I was never confused by the form", expressed: [], negated: [.confusion]),
        Case(text: "Nothing disappointing about this visit", expressed: [], negated: [.disappointment, .sadness]),
        Case(text: "I don't feel worried anymore", expressed: [], negated: [.fear]),
        Case(text: "I’m not angry", expressed: [], negated: [.anger]),
        Case(text: "no frustration whatsoever", expressed: [], negated: [.frustration, .anger]),
        Case(text: "I wasn't happy with the wait", expressed: [], negated: [.joy]),
        Case(text: "Without any confusion, it worked", expressed: [], negated: [.confusion]),
        // Negation stops at the clause boundary
        Case(text: "It's not fast, but I'm grateful", expressed: [.gratitude]),
        Case(text: "Not great. Frustrated!", expressed: [.frustration, .anger]),
        Case(text: "I did not expect this; I am delighted", expressed: [.joy]),
        // Negation is limited to three words
        Case(text: "not that I would ever say I was angry", expressed: [.anger]),
        // Neutral text
        Case(text: "I renewed my passport online on Tuesday.", expressed: []),
        Case(text: "", expressed: []),
        Case(text: "   ", expressed: []),
        Case(text: "Please update my mailing address.", expressed: []),
        Case(text: "The missing form was found", expressed: []),
        Case(text: "Ich bin sehr enttäuscht", expressed: []),
    ]

    @Test("Expressed and negated emotions", arguments: cases)
    func table(_ testCase: Case) throws {
        let analyzer = try EmotionAnalyzer()
        let scores = analyzer.emotions(in: testCase.text)
        #expect(Set(scores.expressed) == testCase.expressed, "\(scores)")
        let negated = Set(Emotion.allCases.filter { scores[$0].negated > 0 })
        #expect(negated == testCase.negated, "\(scores)")
    }

    @Test("Intensifiers, dampeners and capitals change intensity, not count")
    func intensity() throws {
        let analyzer = try EmotionAnalyzer()
        #expect(analyzer.emotions(in: "I was frustrated")[.frustration].intensity == 1.0)
        #expect(analyzer.emotions(in: "I was very frustrated")[.frustration].intensity == 1.5)
        #expect(analyzer.emotions(in: "I was slightly frustrated")[.frustration].intensity == 0.5)
        #expect(analyzer.emotions(in: "I was very FRUSTRATED")[.frustration].intensity == 2.25)
        #expect(analyzer.emotions(in: "I WAS FRUSTRATED")[.frustration].intensity == 1.0)
        let twice = analyzer.emotions(in: "Frustrated, so frustrating!")[.frustration]
        #expect(twice.count == 2)
        #expect(twice.terms == ["frustrated", "frustrating"])
    }

    @Test("JSON encodes only emotions with matches, keyed by name")
    func coding() throws {
        let analyzer = try EmotionAnalyzer()
        let scores = analyzer.emotions(in: "Thanks! Not confused at all.")
        let data = try JSONEncoder().encode(scores)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"gratitude\""))
        #expect(json.contains("\"confusion\""))
        #expect(!json.contains("\"anger\""))
        let decoded = try JSONDecoder().decode(EmotionScores.self, from: data)
        #expect(decoded == scores)
    }
}
