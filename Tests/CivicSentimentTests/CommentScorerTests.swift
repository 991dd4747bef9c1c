import CivicTestTraits
import Foundation
import Testing

@testable import CivicSentiment

@Suite("Comment scorer", .hangGuard)
struct CommentScorerTests {
    @Test(
        "Locale decides English",
        arguments: [
            (nil as String?, true), ("en", true), ("EN", true), ("en-US", true), ("en_GB", true),
            ("es", false), ("es-MX", false), ("fr-CA", false), ("eng", false), ("e", false), ("", false),
        ]
    )
    func englishLocale(_ locale: String?, _ english: Bool) {
        #expect(CommentScorer.isEnglishLocale(locale) == english)
    }

    @Test("Non-English locale is unscored, with no emotions")
    func nonEnglishLocaleUnscored() throws {
        let scorer = try CommentScorer()
        let result = scorer.score(text: "The service was great, thanks!", locale: "es-MX")
        #expect(result.sentiment == nil)
        #expect(result.unscoredReason == .nonEnglishLocale)
        #expect(result.emotions == .none)
        #expect(result.scorerVersion == CommentScorer.scorerVersion)
    }

    @Test(
        "Detector flags non-English text even with an English or unknown locale",
        arguments: [
            "El servicio fue muy lento y no me ayudaron con el trámite",
            "Le service était très lent et je suis pas content",
            "Der Service war sehr langsam und ich bin nicht zufrieden",
            "O atendimento foi muito ruim e não resolveram nada",
            "Il servizio è stato molto lento e non sono contento",
            "Служба работала очень медленно",
            "服务很慢",
        ]
    )
    func nonEnglishTextUnscored(_ text: String) throws {
        let scorer = try CommentScorer()
        let result = scorer.score(text: text, locale: nil)
        #expect(result.sentiment == nil)
        #expect(result.unscoredReason == .nonEnglishText)
    }

    @Test(
        "English text, short text and emoji stay scored",
        arguments: [
            "The service was slow and the clerk was rude.", "ok", "👍", "", "Great!!!", "Gracias!",
            "I went to the café in Montréal and it was lovely", "Yes, the form is in Spanish: solicitud de pasaporte",
        ]
    )
    func englishScored(_ text: String) throws {
        let scorer = try CommentScorer()
        let result = scorer.score(text: text, locale: "en-US")
        #expect(result.sentiment == scorer.sentimentAnalyzer.polarityScores(text))
        #expect(result.unscoredReason == nil)
    }

    @Test("Batch scoring preserves order and equals one-by-one scoring")
    func batchOrder() async throws {
        let scorer = try CommentScorer()
        let texts = ["good", "bad", "not good", "Thanks so much!", "frustrating", "El servicio fue muy malo y lento"]
        let batch = (0..<1_000).map { texts[$0 % texts.count] + " \($0)" }
        let locales: [String?] = (0..<1_000).map { $0 % 7 == 0 ? "fr" : "en" }
        let results = await scorer.scores(batch, locales: locales)
        #expect(results.count == batch.count)
        #expect(results == zip(batch, locales).map { scorer.score(text: $0, locale: $1) })
    }
}
