import CivicModels
import Foundation
import Testing

@testable import SurveyIntake

/// Responses against a registered instrument (no database): the form and trust scale must be the
/// instrument's, ticked drivers must be offered options, the reference carries the options offered, and a
/// response after the clearance's last day is flagged. Instruments themselves are checked before they are stored.
struct InstrumentRulesTests {
    static let instrument = InstrumentDefinition(
        form: .a11v2Thumbs,
        ombControlNumber: "1545-2278",
        expiresOn: "2027-03-31",
        trustQuestion: "I trust the IRS to fulfil our country's commitment to the people it serves.",
        wentWellOptions: [.transparency, .effectiveness, .ease, .efficiency],
        didNotGoWellOptions: [.ease, .other],
        languages: ["en", "es-US"]
    )

    static func response(
        _ trust: TrustAnswer,
        form: SurveyForm = .a11v2,
        wentWell: [Driver]? = nil,
        didNotGoWell: [Driver]? = nil,
        at date: String
    )
        -> FeedbackEvent
    {
        FeedbackEvent(
            eventId: "i-1",
            occurredAt: Timestamp.parse(date) ?? Date(timeIntervalSince1970: 0),
            agency: "IRS",
            service: "free-file",
            channel: .kiosk,
            form: form,
            answers: Answers(trust: trust, wentWell: wentWell, didNotGoWell: didNotGoWell)
        )
    }

    @Test func anOfferedOptionIsAcceptedAndTheReferenceListsTheOptionsInDriverOrder() throws {
        let event = try InstrumentRules.apply(Self.instrument, to: Self.response(.thumbs(1), wentWell: [.ease], at: "2027-03-31T23:59:59Z")).get()
        let reference = try #require(event.instrument)
        #expect(reference.form == .a11v2Thumbs)
        #expect(reference.ombControlNumber == "1545-2278")
        #expect(reference.expiresOn == "2027-03-31")
        #expect(reference.praExpired == false, "the clearance covers its whole last day (UTC)")
        #expect(reference.wentWellOffered == [.effectiveness, .ease, .efficiency, .transparency])
        #expect(reference.didNotGoWellOffered == [.ease, .other])
    }

    @Test func aResponseAfterTheLastDayOfTheClearanceIsFlaggedNotRefused() throws {
        let event = try InstrumentRules.apply(Self.instrument, to: Self.response(.thumbs(0), didNotGoWell: [.other], at: "2027-04-01T00:00:00Z"))
            .get()
        #expect(event.instrument?.praExpired == true)
    }

    @Test func anOptionNotOfferedIsRefusedWithTheOptionsThatAre() {
        guard
            case .failure(let rejection) = InstrumentRules.apply(
                Self.instrument,
                to: Self.response(.thumbs(0), didNotGoWell: [.ease, .humanity], at: "2027-01-01T00:00:00Z")
            )
        else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.code == .optionNotOffered)
        #expect(rejection.field == "answers.didNotGoWell")
        #expect(
            rejection.reason
                == "answers.didNotGoWell: \"humanity\" is not an option of the instrument registered for IRS free-file kiosk (OMB 1545-2278), which offers ease, other"
        )
        #expect(rejection.eventId == "i-1")
    }

    @Test func anotherFormOrTrustScaleIsRefused() {
        let likert = InstrumentRules.apply(Self.instrument, to: Self.response(.likert5(5), at: "2027-01-01T00:00:00Z"))
        #expect((try? likert.get()) == nil)
        if case .failure(let rejection) = likert {
            #expect(rejection.code == .instrumentMismatch)
            #expect(rejection.field == "answers.trust.scale")
        }
        let legacy = InstrumentRules.apply(Self.instrument, to: Self.response(.legacy(4), form: .a11v1, at: "2027-01-01T00:00:00Z"))
        if case .failure(let rejection) = legacy {
            #expect(rejection.code == .instrumentMismatch)
            #expect(rejection.field == "form")
            #expect(rejection.reason.hasPrefix("form: a11-v1 is not the form of the instrument registered for IRS free-file kiosk"))
        } else {
            Issue.record("a v1 response was accepted by a v2 instrument")
        }
    }

    /// Each broken instrument with the field its refusal must name.
    static var broken: [(field: String, definition: InstrumentDefinition)] {
        func with(_ change: (inout InstrumentDefinition) -> Void) -> InstrumentDefinition {
            var definition = instrument
            change(&definition)
            return definition
        }
        return [
            ("ombControlNumber", with { $0.ombControlNumber = "1545-22781" }),
            ("ombControlNumber", with { $0.ombControlNumber = "15452-278" }),
            ("expiresOn", with { $0.expiresOn = "2027-02-30" }),
            ("expiresOn", with { $0.expiresOn = "27-02-01" }),
            ("federalRegisterURL", with { $0.federalRegisterURL = "http://federalregister.gov/d/2024-1" }),
            ("federalRegisterURL", with { $0.federalRegisterURL = "javascript:alert(1)" }),
            ("trustQuestion", with { $0.trustQuestion = " \n" }),
            ("trustQuestion", with { $0.trustQuestion = String(repeating: "q", count: 501) }),
            ("wentWellOptions", with { $0.wentWellOptions = [] }),
            ("didNotGoWellOptions", with { $0.didNotGoWellOptions = [.ease, .ease] }),
            ("wentWellOptions", with { $0.form = .a11v1 }),
            ("languages", with { $0.languages = [] }),
            ("languages", with { $0.languages = ["english!"] }),
            ("languages", with { $0.languages = ["en", "EN"] }),
        ]
    }

    @Test func aBadInstrumentIsRefusedNamingTheField() {
        #expect(Self.instrument.problem == nil)
        for (field, definition) in Self.broken {
            #expect(definition.problem?.hasPrefix("\(field): ") == true, "\(field): \(definition.problem ?? "accepted")")
        }
    }

    @Test func aLegacyInstrumentOffersNoOptions() throws {
        var legacy = Self.instrument
        legacy.form = .a11v1
        legacy.wentWellOptions = []
        legacy.didNotGoWellOptions = []
        #expect(legacy.problem == nil)
        let event = try InstrumentRules.apply(legacy, to: Self.response(.legacy(4), form: .a11v1, at: "2027-01-01T00:00:00Z")).get()
        #expect(event.instrument?.wentWellOffered == [])
    }
}
