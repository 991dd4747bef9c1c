import CivicTestTraits
import Testing

@testable import CivicSentiment

@Suite("Comment scorer, positional batch", .hangGuard)
struct CommentScorerPositionalTests {
    @Test("Result i belongs to text i, in the sequential and the parallel path", arguments: [3, 200])
    func positional(_ count: Int) async throws {
        let scorer = try CommentScorer()
        let samples = [
            "The service was great, thanks!", "Terrible wait, nobody helped me.",
            "El servicio fue muy lento y no me ayudaron con el trámite", "ok",
        ]
        let texts = (0..<count).map { samples[$0 % samples.count] + " \($0)" }
        let locales: [String?] = (0..<count).map { $0 % 5 == 0 ? "es-MX" : ($0 % 2 == 0 ? "en-US" : nil) }
        let results = await scorer.scores(texts, locales: locales)
        #expect(results.count == count)
        for index in 0..<count {
            let expected = scorer.score(text: texts[index], locale: locales[index])
            #expect(results[index].sentiment == expected.sentiment)
            #expect(results[index].unscoredReason == expected.unscoredReason)
            #expect(results[index].emotions == expected.emotions)
            #expect(results[index].scorerVersion == expected.scorerVersion)
        }
    }

    @Test("Without locales every text is of unknown locale")
    func withoutLocales() async throws {
        let scorer = try CommentScorer()
        let results = await scorer.scores(["Great help, thank you", "Muy lento"])
        #expect(results.count == 2)
        #expect(results[0] == scorer.score(text: "Great help, thank you", locale: nil))
        #expect(results[1] == scorer.score(text: "Muy lento", locale: nil))
        #expect(await scorer.scores([]).isEmpty)
    }
}
