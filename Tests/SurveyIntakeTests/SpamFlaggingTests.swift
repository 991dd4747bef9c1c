import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SurveyIntake

/// survey-intake's spam signals against a real PostgreSQL: each signal flags, flagged responses are stored and
/// forwarded with their reasons, replays keep their verdict and are not counted twice, and the counts survive a
/// restart.
@Suite(.hangGuard)
struct SpamFlaggingTests {
    typealias Fixture = IntakeFixture

    @Test func anOrdinaryResponseIsNotFlagged() async throws {
        let fixture = try await Fixture()
        let outputs = try await fixture.handler().handle([
            Fixture.message(Fixture.response("ok-1", comment: "The form was easy to fill in and quick.", submitter: "app-1"), offset: 1)
        ])
        let event = try #require(try Fixture.accepted(outputs).first)
        #expect(event.spam == SpamAssessment(flagged: false, reasons: []))
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.responses WHERE NOT spam_flagged") == 1)
    }

    @Test func aFilledHoneypotFlagsTheResponseAndIsRemoved() async throws {
        let fixture = try await Fixture()
        let outputs = try await fixture.handler().handle([
            Fixture.message(Fixture.response("hp-1", honeypot: "cheap pills"), offset: 1),
            Fixture.message(Fixture.response("hp-2", honeypot: "  "), offset: 2),
            Fixture.message(Fixture.response("hp-3", honeypot: "\n"), offset: 3),
            Fixture.message(Fixture.response("hp-4", honeypot: ""), offset: 4),
            Fixture.message(Fixture.response("hp-5", honeypot: nil), offset: 5),
        ])
        let events = try Fixture.accepted(outputs)
        // A field people never see is left exactly empty: any value, whitespace too, was typed by a bot.
        #expect(events.map(\.eventId) == ["hp-1", "hp-2", "hp-3", "hp-4", "hp-5"])
        #expect(events.map { $0.spam?.reasons.map(\.rawValue) } == [["honeypot"], ["honeypot"], ["honeypot"], [], []])
        #expect(events.allSatisfy { $0.honeypot == nil }, "the honeypot is not forwarded")
        let stored = try await fixture.client.query(
            "SELECT payload::text AS p, spam_flagged, array_to_string(spam_reasons, ',') AS r FROM intake.responses WHERE event_id = 'hp-1'"
        )
        let row = try #require(stored.first)
        #expect(try row.require("p", as: String.self).contains("\"honeypot\":") == false, "the honeypot is not stored")
        #expect(try row.require("spam_flagged", as: Bool.self))
        #expect(try row.require("r", as: String.self) == "honeypot")
    }

    @Test func manyResponsesFromOneSubmitterFlagTheOnesOverTheLimit() async throws {
        let fixture = try await Fixture()
        var spam = SpamDetector.Configuration()
        spam.sourceLimit = 3
        let handler = fixture.handler(spam: spam)
        // Five from one app install, across two batches; one from another install; one for another agency.
        var reasons = try Fixture.reasons(
            try await handler.handle([
                Fixture.message(Fixture.response("s1", submitter: "install-A"), offset: 1),
                Fixture.message(Fixture.response("s2", submitter: "install-A"), offset: 2),
            ])
        )
        reasons.merge(
            try Fixture.reasons(
                try await handler.handle([
                    Fixture.message(Fixture.response("s3", submitter: "install-A"), offset: 3),
                    Fixture.message(Fixture.response("s4", submitter: "install-A"), offset: 4),
                    Fixture.message(Fixture.response("other", submitter: "install-B"), offset: 5),
                    Fixture.message(Fixture.response("s5", submitter: "install-A"), offset: 6),
                    Fixture.message(Fixture.response("ssa", submitter: "install-A", agency: "SSA"), offset: 7),
                ])
            )
        ) { $1 }
        #expect(reasons["s1"] == [] && reasons["s2"] == [] && reasons["s3"] == [])
        #expect(reasons["s4"] == ["source_rate"])
        #expect(reasons["s5"] == ["source_rate"])
        #expect(reasons["other"] == [])
        #expect(reasons["ssa"] == [], "the limit is per agency")
        // Once the window has passed, the submitter starts afresh.
        fixture.clock.advance(seconds: 3_601)
        let later = try Fixture.reasons(try await handler.handle([Fixture.message(Fixture.response("s6", submitter: "install-A"), offset: 8)]))
        #expect(later["s6"] == [])
    }

    @Test func theSameTextSeenThreeTimesIsFlaggedButShortCommentsAreNot() async throws {
        let fixture = try await Fixture()
        let handler = fixture.handler()
        let variants = [
            "Visit our site for the best deals on tax help!",
            "  VISIT our site, for the best deals on tax help ",
            "visit our site for the best deals on tax help...",
            "Visit our site for the best deals on tax help",
        ]
        var batch = variants.enumerated().map { index, text in Fixture.message(Fixture.response("r\(index)", comment: text), offset: Int64(index)) }
        batch += (0..<5).map { index in Fixture.message(Fixture.response("t\(index)", comment: "Thanks!"), offset: Int64(10 + index)) }
        let reasons = try Fixture.reasons(try await handler.handle(batch))
        #expect(reasons["r0"] == [] && reasons["r1"] == [])
        #expect(reasons["r2"] == ["repeated_text"])
        #expect(reasons["r3"] == ["repeated_text"])
        #expect((0..<5).allSatisfy { reasons["t\($0)"] == [] }, "short comments are never counted as repeated")
        // After the 24 h window the text is counted afresh (the earlier copies fall out of it).
        fixture.clock.advance(seconds: 86_401)
        let later = try Fixture.reasons(try await handler.handle([Fixture.message(Fixture.response("r9", comment: variants[0]), offset: 20)]))
        #expect(later["r9"] == [])
    }

    @Test func commentsStuffedWithLinksAreFlagged() async throws {
        let fixture = try await Fixture()
        let outputs = try await fixture.handler().handle([
            Fixture.message(Fixture.response("l1", comment: "deals http://a.example https://b.example www.c.example"), offset: 1),
            Fixture.message(Fixture.response("l2", comment: "see https://spam.example/offers/tax-refund-now-click"), offset: 2),
            Fixture.message(
                Fixture.response("l3", comment: "The page https://www.irs.gov/filing was clear, but the upload step timed out twice."),
                offset: 3
            ),
        ])
        let reasons = try Fixture.reasons(outputs)
        #expect(reasons["l1"] == ["link_stuffing"])
        #expect(reasons["l2"] == ["link_stuffing"])
        #expect(reasons["l3"] == [])
    }

    @Test func aReplayGetsTheSameVerdictAndIsNotCountedTwice() async throws {
        let fixture = try await Fixture()
        let handler = fixture.handler()
        let text = "I love this agency, everyone should click here now"
        let first = [
            Fixture.message(Fixture.response("a", comment: text), offset: 1),
            Fixture.message(Fixture.response("b", comment: text), offset: 2),
        ]
        let outputs = try await handler.handle(first)
        #expect(try Fixture.reasons(outputs) == ["a": [], "b": []])
        for _ in 0..<3 {
            let replay = try await handler.handle(first)
            #expect(replay.map(\.value) == outputs.map(\.value), "a replay is forwarded byte for byte as before")
        }
        // The same event id re-sent from elsewhere is a duplicate: not forwarded and not counted.
        #expect(try await handler.handle([Fixture.message(Fixture.response("a", comment: text), offset: 7, partition: 1)]).isEmpty)
        // The third real copy is flagged (three seen, not eight).
        let third = [Fixture.message(Fixture.response("c", comment: text), offset: 3)]
        let flagged = try await handler.handle(third)
        #expect(try Fixture.reasons(flagged) == ["c": ["repeated_text"]])
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.responses WHERE text_fingerprint IS NOT NULL") == 3)
        // Replayed two days later, when a fresh count would no longer flag it, it keeps its verdict.
        fixture.clock.advance(seconds: 2 * 86_400)
        #expect(try await handler.handle(third).map(\.value) == flagged.map(\.value))
    }

    @Test func countsSurviveARestartOfTheHandler() async throws {
        let fixture = try await Fixture()
        let text = "Same words posted from a script over and over again"
        _ = try await fixture.handler().handle([
            Fixture.message(Fixture.response("x1", comment: text), offset: 1),
            Fixture.message(Fixture.response("x2", comment: text), offset: 2),
        ])
        // A new process: new database client, new registry, new handler.
        let restarted = fixture.handler(fresh: true)
        let outputs = try await restarted.handle([Fixture.message(Fixture.response("x3", comment: text), offset: 3)])
        #expect(try Fixture.reasons(outputs) == ["x3": ["repeated_text"]])
    }

    @Test func flaggedResponsesAreListedForReviewWithTheAdminToken() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.handler().handle([
            Fixture.message(Fixture.response("spam-1", submitter: "secret-install-id", honeypot: "x"), offset: 1),
            Fixture.message(Fixture.response("fine-1", submitter: "secret-install-id"), offset: 2),
            Fixture.message(Fixture.response("spam-ssa", honeypot: "x", agency: "SSA"), offset: 3),
        ])
        let store = IntakeStore(client: fixture.client)
        let router = Router()
        SpamReviewRoute<BasicRequestContext>(store: store, authorization: AdminAuthorization(adminToken: "s3cret-token")).register(on: router)
        try await Application(router: router).test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer s3cret-token"]
            try await client.execute(uri: "/v1/spam?agency=IRS&limit=10", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                let body = try CivicJSON.makeDecoder().decode(SpamReviewBody.self, from: Data(text.utf8))
                #expect(body.responses.map(\.eventId) == ["spam-1"])
                #expect(body.responses.first?.reasons == ["honeypot"])
                #expect(body.responses.first?.receivedAt == ResponseValidatorTests.now)
                #expect(!text.contains("secret-install-id") && !text.contains("submitter"), "the submitter is never exposed")
            }
            try await client.execute(uri: "/v1/spam?agency=IRS", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/spam?agency=IRS", method: .get, headers: [.authorization: "Bearer s3cret-tokeN"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/spam", method: .get, headers: bearer) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("agency"))
            }
            try await client.execute(uri: "/v1/spam?agency=IRS&limit=0", method: .get, headers: bearer) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("limit"))
            }
        }
        // Without a configured token the route does not exist (IntakeAdminTests, with the other admin routes).
    }
}

/// The spam detector's text rules, without a database.
@Suite(.hangGuard) struct SpamDetectorTests {
    /// The byte-wise fold of ASCII text is the `Character` fold: every ASCII byte, CR LF pairs, runs.
    @Test func asciiFoldingMatchesFoldingByCharacter() {
        var generator = SystemRandomNumberGenerator()
        let every = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        var texts = [every, "\r\n", "a\r\nb", "  Hello,   WORLD!! ...it's me ", "", "___", "A1b2_C3"]
        for _ in 0..<2_000 {
            texts.append(
                String(
                    decoding: (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0..<128, using: &generator) },
                    as: UTF8.self
                )
            )
        }
        for text in texts {
            #expect(SpamDetector.fold(text) == SpamDetector.foldCharacters(text), "\(Array(text.utf8))")
        }
        #expect(SpamDetector.fold("Crème BRÛLÉE, s'il vous plaît") == "crème brûlée s il vous plaît")
    }

    @Test func foldingIgnoresCaseWhitespaceAndPunctuation() {
        let detector = SpamDetector()
        #expect(SpamDetector.fold("  Hello,   WORLD!! ...it's me ") == "hello world it s me")
        let a = detector.textFingerprint("The line was long and nobody answered")
        #expect(a != nil)
        #expect(a == detector.textFingerprint("the LINE was long -- and nobody answered!!!"))
        #expect(a != detector.textFingerprint("The line was short and somebody answered"))
        #expect(detector.textFingerprint("Thanks!!!") == nil)
        #expect(detector.textFingerprint(nil) == nil)
    }

    @Test func linksAreCountedPerWord() {
        let detector = SpamDetector()
        #expect(SpamDetector.links(in: "a https://x.example b www.y.example HTTP://Z.example c").count == 3)
        #expect(detector.isLinkStuffed("no links here at all") == false)
        #expect(detector.isLinkStuffed("https://only.example/a-link"))
        #expect(detector.isLinkStuffed("Read https://irs.gov before you call, the phone queue was long today.") == false)
    }
}
