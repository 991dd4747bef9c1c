import Foundation
import Testing

@testable import CivicSentiment

@Suite("Comment scorer")
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
        let result = scorer.score(CommentInput(id: .string("a"), text: "The service was great, thanks!", locale: "es-MX"))
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
        let result = scorer.score(CommentInput(id: .string("x"), text: text, locale: nil))
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
        let result = scorer.score(CommentInput(id: .integer(1), text: text, locale: "en-US"))
        #expect(result.sentiment == scorer.sentimentAnalyzer.polarityScores(text))
        #expect(result.unscoredReason == nil)
    }

    @Test("Batch scoring preserves order and equals one-by-one scoring")
    func batchOrder() async throws {
        let scorer = try CommentScorer()
        let texts = ["good", "bad", "not good", "Thanks so much!", "frustrating", "El servicio fue muy malo y lento"]
        let batch = (0..<1_000).map { index in
            CommentInput(id: .integer(index), text: texts[index % texts.count] + " \(index)", locale: index % 7 == 0 ? "fr" : "en")
        }
        let results = await scorer.score(batch)
        #expect(results.count == batch.count)
        #expect(results.map(\.id) == batch.map(\.id))
        #expect(results == batch.map(scorer.score))
    }

    @Test("JSON lines: ids echoed as given, Python number forms, order kept")
    func jsonLines() async throws {
        let scorer = try CommentScorer()
        let lines = [
            #"{"id": "c-1", "text": "The service was good."}"#,
            #"{"id": 42, "text": "bad"}"#,
            "",
            #"{"text": "The office was open.", "id": 1.50, "extra": [1, {"a": null}]}"#,
            #"{"id": "q\"uote", "text": "merci", "locale": "fr-FR"}"#,
            #"{"id": 7, "text": "I'm so frustrated \ud83d\ude21", "locale": null}"#,
        ]
        let output = try await scorer.scoreJSONLines(lines)
        #expect(output.count == 5)
        #expect(
            output[0]
                == #"{"id": "c-1", "sentiment": {"neg": 0.0, "neu": 0.508, "pos": 0.492, "compound": 0.4404}, "emotions": {}}"#
        )
        #expect(output[1] == #"{"id": 42, "sentiment": {"neg": 1.0, "neu": 0.0, "pos": 0.0, "compound": -0.5423}, "emotions": {}}"#)
        #expect(output[2] == #"{"id": 1.50, "sentiment": {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}, "emotions": {}}"#)
        #expect(output[3] == #"{"id": "q\"uote", "sentiment": null, "unscored_reason": "non_english_locale", "emotions": {}}"#)
        #expect(output[4].hasPrefix(#"{"id": 7, "sentiment": {"#))
        #expect(output[4].contains(#""frustration": {"count": 1, "negated": 0, "intensity": 1.5, "terms": ["frustrated"]}"#))
        for line in output {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not valid JSON: \(line)")
        }
    }

    @Test("Malformed JSON lines fail with the line number")
    func malformedLine() async throws {
        let scorer = try CommentScorer()
        await #expect(throws: CivicSentimentError.self) {
            _ = try await scorer.scoreJSONLines([#"{"id": 1, "text": "ok"}"#, #"{"id": 2}"#])
        }
        do {
            _ = try await scorer.scoreJSONLines([#"{"id": 1, "text": "ok"}"#, "{not json"])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedInput)
            #expect(error.reason.hasPrefix("line 2:"))
        }
    }

    @Test("Number text matches Python repr for zero, one and small values")
    func numberForms() {
        #expect(JSONText.number(0.0) == "0.0")
        #expect(JSONText.number(-0.0) == "-0.0")
        #expect(JSONText.number(1.0) == "1.0")
        #expect(JSONText.number(0.1) == "0.1")
        #expect(JSONText.number(0.0001) == "0.0001")
        #expect(JSONText.number(-0.5423) == "-0.5423")
    }
}
