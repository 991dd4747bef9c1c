import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// The event contract in DESIGN.md decodes into the shared models and round-trips.
@Suite(.hangGuard) struct ContractTests {
    @Test func designExampleDecodes() throws {
        let event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(ContractExample.submittedV2.utf8))
        #expect(event.agency == "IRS")
        #expect(event.channel == .web)
        #expect(event.form == .a11v2)
        #expect(event.answers.trust == .thumbs(1))
        #expect(event.answers.wentWell == [.effectiveness, .ease])
        #expect(event.answers.recommend == 9)
        #expect(event.identity?.idToken.hasPrefix("eyJ") == true)
        #expect(Timestamp.format(event.occurredAt) == "2026-11-20T15:04:05.000Z")
    }

    @Test func legacyFormWithBareTrustRoundTrips() throws {
        let json = """
            {"schema":"cx.feedback.submitted/1","eventId":"e1","occurredAt":"2026-01-02T03:04:05.250+02:00",
             "agency":"SSA","service":"retirement","channel":"in-person","level":"journey","journeyId":"j1","stage":"apply",
             "form":"a11-v1","scaleDirection":"agree-low",
             "answers":{"satisfaction":5,"trust":4,"effectiveness":4,"ease":3,"efficiency":4,"transparency":5,"employee":5}}
            """
        let event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(json.utf8))
        #expect(event.answers.trust == .legacy(4))
        #expect(event.channel == .inPerson)
        #expect(event.scaleDirection == .agreeLow)
        #expect(Timestamp.format(event.occurredAt) == "2026-01-02T01:04:05.250Z")
        let encoded = try CivicJSON.makeEncoder().encode(event)
        let again = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: encoded)
        #expect(again == event)
        #expect(String(decoding: encoded, as: UTF8.self).contains("\"trust\":4"))
    }

    @Test func unknownVocabularyNamesTheAcceptedValues() throws {
        let json = ContractExample.submittedV2.replacingOccurrences(of: "\"channel\": \"web\"", with: "\"channel\": \"fax\"")
        do {
            _ = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(json.utf8))
            Issue.record("decoding should fail")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("'fax' is not one of web, mobile, phone, in-person"))
        }
    }

    @Test(arguments: [
        ("2026-11-20T15:04:05Z", 1_795_187_045.0),
        ("2026-11-20T15:04:05.5Z", 1_795_187_045.5),
        ("2026-11-20T10:04:05-05:00", 1_795_187_045.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func timestampsParse(text: String, epoch: Double) {
        #expect(Timestamp.parse(text)?.timeIntervalSince1970 == epoch)
    }

    @Test(arguments: ["2026-11-20T15:04:05", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "yesterday", "2026-11-20T15:04:05+0500", ""])
    func malformedTimestampsAreRefused(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func channelsKnowWhichAreDigital() {
        #expect(Channel.allCases.filter(\.isDigital) == [.web, .mobile, .email, .chat, .kiosk])
    }
}
