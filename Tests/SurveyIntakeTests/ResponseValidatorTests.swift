import CivicModels
import CivicTestTraits
import Foundation
import Testing

@testable import SurveyIntake

/// survey-intake's validation: every rejection code with the reason text it gives, and normalisation.
@Suite(.hangGuard) struct ResponseValidatorTests {
    static let now = Timestamp.parse("2026-11-20T12:00:00Z") ?? Date()

    static func valid(_ changes: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
        var object: [String: Any] = [
            "schema": "cx.feedback.submitted/1", "eventId": "evt-1", "occurredAt": "2026-11-20T11:00:00Z",
            "agency": "IRS", "service": "free-file", "channel": "web", "level": "transaction", "form": "a11-v2",
            "answers": ["trust": ["scale": "thumbs", "value": 1], "wentWell": ["ease"], "recommend": 9],
            "comment": "Quick and clear.", "locale": "en-US",
        ]
        changes(&object)
        return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    static func legacy(_ direction: String, _ answers: [String: Any]) -> [UInt8] {
        valid {
            $0["form"] = "a11-v1"
            $0["scaleDirection"] = direction
            $0["answers"] = answers
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var code: Rejection.Code
        var field: String?
        var reason: String
        var testDescription: String { name }

        /// Expects `result` to be this case's rejection: its code, field, and a reason starting as written.
        func expectRejected<Value>(_ result: Result<Value, Rejection>) {
            guard case .failure(let rejection) = result else {
                Issue.record("\(name) was accepted: \(result)")
                return
            }
            #expect(rejection.code == code, "\(name)")
            #expect(rejection.field == field, "\(name)")
            #expect(rejection.reason.hasPrefix(reason), "\(name): got \(rejection.reason)")
        }
    }

    static let cases: [Case] = [
        Case(
            name: "transaction point too long",
            bytes: valid { $0["touchpoint"] = String(repeating: "t", count: 101) },
            code: .invalidValue,
            field: "touchpoint",
            reason: "touchpoint: is 101 characters; the limit is 100"
        ),
        Case(
            name: "thumbs up with didNotGoWell",
            bytes: valid { $0["answers"] = ["trust": ["scale": "thumbs", "value": 1], "didNotGoWell": ["ease"]] },
            code: .displayLogic,
            field: "answers.didNotGoWell",
            reason: "answers.didNotGoWell: is not shown after a favourable trust answer (thumbs up or 4-5); only wentWell is"
        ),
        Case(
            name: "3 of 5 with wentWell",
            bytes: valid { $0["answers"] = ["trust": ["scale": "likert5", "value": 3], "wentWell": ["ease"]] },
            code: .displayLogic,
            field: "answers.wentWell",
            reason: "answers.wentWell: is not shown after an unfavourable trust answer (thumbs down or 1-3); only didNotGoWell is"
        ),
        Case(
            name: "oversized",
            bytes: Array(repeating: 32, count: 70_000),
            code: .payloadTooLarge,
            field: nil,
            reason: "payload is 70000 bytes; the limit is 65536"
        ),
        Case(name: "not UTF-8", bytes: [0x7B, 0xFF, 0x7D], code: .notUTF8, field: nil, reason: "payload is not valid UTF-8"),
        Case(name: "not JSON", bytes: Array("{\"schema\": ".utf8), code: .notJSON, field: nil, reason: "payload is not JSON"),
        Case(name: "JSON array", bytes: Array("[1,2]".utf8), code: .notJSON, field: nil, reason: "payload is JSON but not an object"),
        Case(
            name: "duplicate key",
            bytes: Array(
                #"{"schema":"cx.feedback.submitted/1","answers":{"trust":{"scale":"thumbs","value":1},"trust":{"scale":"thumbs","value":0}}}"#
                    .utf8
            ),
            code: .duplicateKey,
            field: "answers.trust",
            reason: "answers.trust: appears more than once in the same object"
        ),
        Case(
            name: "no schema",
            bytes: valid { $0.removeValue(forKey: "schema") },
            code: .missingField,
            field: "schema",
            reason: "schema: is required"
        ),
        Case(
            name: "unknown schema",
            bytes: valid { $0["schema"] = "cx.feedback.submitted/2" },
            code: .unknownSchema,
            field: "schema",
            reason: "schema: \"cx.feedback.submitted/2\" is not a supported version"
        ),
        Case(
            name: "submitter too long",
            bytes: valid { $0["submitter"] = String(repeating: "s", count: 201) },
            code: .invalidValue,
            field: "submitter",
            reason: "submitter: is 201 characters; the limit is 200"
        ),
        Case(
            name: "NUL in the comment",
            bytes: valid { $0["comment"] = "fine\u{0}then" },
            code: .invalidValue,
            field: "comment",
            reason: "comment: contains U+0000 (NUL), which cannot be stored"
        ),
        Case(
            name: "NUL in the identity token",
            bytes: valid { $0["identity"] = ["idToken": "a\u{0}b"] },
            code: .invalidValue,
            field: "identity.idToken",
            reason: "identity.idToken: contains U+0000 (NUL), which cannot be stored"
        ),
        Case(
            name: "submitter not a string",
            bytes: valid { $0["submitter"] = 42 },
            code: .wrongType,
            field: "submitter",
            reason: "submitter: expected a string"
        ),
        Case(
            name: "missing agency",
            bytes: valid { $0.removeValue(forKey: "agency") },
            code: .missingField,
            field: "agency",
            reason: "agency: is required"
        ),
        Case(
            name: "null service",
            bytes: valid { $0["service"] = NSNull() },
            code: .missingField,
            field: "service",
            reason: "service: must not be null"
        ),
        Case(
            name: "wrong type",
            bytes: valid { $0["answers"] = ["trust": ["scale": "thumbs", "value": "yes"]] },
            code: .wrongType,
            field: "answers.trust.value",
            reason: "answers.trust.value: expected a number"
        ),
        Case(
            name: "unknown channel",
            bytes: valid { $0["channel"] = "fax" },
            code: .invalidValue,
            field: "channel",
            reason: "channel: 'fax' is not one of web, mobile, phone, in-person, email, chat, mail, kiosk"
        ),
        Case(
            name: "bad timestamp",
            bytes: valid { $0["occurredAt"] = "yesterday" },
            code: .invalidValue,
            field: "occurredAt",
            reason: "occurredAt: 'yesterday' is not an RFC 3339 timestamp"
        ),
        Case(
            name: "thumbs out of range",
            bytes: valid { $0["answers"] = ["trust": ["scale": "thumbs", "value": 2]] },
            code: .outOfRange,
            field: "answers.trust.value",
            reason: "answers.trust.value: 2 is outside 0...1 for the thumbs scale"
        ),
        Case(
            name: "likert out of range",
            bytes: legacy("agree-high", ["ease": 7]),
            code: .outOfRange,
            field: "answers.ease",
            reason: "answers.ease: 7 is outside 1...5"
        ),
        Case(
            name: "recommend out of range",
            bytes: valid { $0["answers"] = ["trust": ["scale": "thumbs", "value": 1], "recommend": 11] },
            code: .outOfRange,
            field: "answers.recommend",
            reason: "answers.recommend: 11 is outside 0...10"
        ),
        Case(
            name: "v2 without trust",
            bytes: valid { $0["answers"] = ["wentWell": ["ease"]] },
            code: .missingField,
            field: "answers.trust",
            reason: "answers.trust: is required on a11-v2 forms"
        ),
        Case(
            name: "v1 question on v2",
            bytes: valid { $0["answers"] = ["trust": ["scale": "thumbs", "value": 1], "ease": 4] },
            code: .invalidValue,
            field: "answers.ease",
            reason: "answers.ease: is a legacy a11-v1 question, not part of a11-v2"
        ),
        Case(
            name: "v1 without direction",
            bytes: valid {
                $0["form"] = "a11-v1"
                $0["answers"] = ["ease": 4]
            },
            code: .missingField,
            field: "scaleDirection",
            reason: "scaleDirection: is required on a11-v1 forms"
        ),
        Case(
            name: "future",
            bytes: valid { $0["occurredAt"] = "2026-11-21T12:00:00Z" },
            code: .occurredInFuture,
            field: "occurredAt",
            reason: "occurredAt: 2026-11-21T12:00:00.000Z is in the future"
        ),
        Case(
            name: "too old",
            bytes: valid { $0["occurredAt"] = "2026-09-01T12:00:00Z" },
            code: .tooOld,
            field: "occurredAt",
            reason: "occurredAt: 2026-09-01T12:00:00.000Z is older than the accepted 30 days"
        ),
        Case(
            name: "long comment",
            bytes: valid { $0["comment"] = String(repeating: "a", count: 5001) },
            code: .commentTooLong,
            field: "comment",
            reason: "comment: is 5001 characters; the limit is 5000"
        ),
        Case(
            name: "journey without id",
            bytes: valid { $0["level"] = "journey" },
            code: .missingField,
            field: "journeyId",
            reason: "journeyId: is required when level is journey"
        ),
    ]

    /// Validates `bytes` as a survey response, as `POST /v1/responses` does (the topic path gives the same
    /// answers for responses).
    static func validate(_ bytes: [UInt8]) -> Result<FeedbackEvent, Rejection> {
        SubmissionValidator().validate(bytes, now: now, accepting: [SchemaVersion.submitted]).flatMap { submission in
            guard case .response(let event) = submission else {
                return .failure(Rejection(.unknownSchema, field: "schema", "not a survey response: \(submission)"))
            }
            return .success(event)
        }
    }

    @Test(arguments: cases)
    func rejectsWithCodeFieldAndReason(_ testCase: Case) {
        testCase.expectRejected(Self.validate(testCase.bytes))
    }

    @Test func everyValidationCodeIsCovered() {
        // unknown_agency and unknown_service come from the registry (StageIdempotencyTests), the instrument codes
        // from the instrument registry (InstrumentRulesTests, IntakeHTTPRejectionTests), forbidden_agency from the
        // HTTP edge (IntakeHTTPRejectionTests), agency_mismatch and topic_retired from the topic a record came in on
        // (AgencyTopicTests), and the rest from later stages and the failure policy.
        let notTheValidators = RejectionCode.givenAfterIntake.union(RejectionCode.givenByFailurePolicy).union(RejectionCode.givenByTopic)
        #expect(
            Set(Self.cases.map(\.code))
                == Set(Rejection.Code.allCases).subtracting([
                    .unknownAgency, .unknownService, .forbiddenAgency, .instrumentMismatch, .optionNotOffered,
                ]).subtracting(notTheValidators)
        )
    }

    @Test func acceptsTheDesignExampleAndAnOfflineLateResponse() throws {
        #expect((try? Self.validate(Self.valid()).get()) != nil)
        // Apps that queue answers offline post days later: accepted within the window.
        let late = Self.valid { $0["occurredAt"] = "2026-11-01T08:00:00Z" }
        let event = try Self.validate(late).get()
        #expect(Timestamp.format(event.occurredAt) == "2026-11-01T08:00:00.000Z")
    }

    @Test func agreeLowLegacyAnswersAreNormalisedToAgreeHigh() throws {
        let bytes = Self.legacy("agree-low", ["satisfaction": 1, "trust": 2, "ease": 5])
        let event = try Self.validate(bytes).get()
        #expect(event.scaleDirection == .agreeHigh)
        #expect(event.answers.satisfaction == 5)
        #expect(event.answers.trust == .legacy(4))
        #expect(event.answers.ease == 1)
    }

    @Test func randomBytesAndMutationsNeverCrashAndNeverPassInvalidValues() {
        var generator = SystemRandomNumberGenerator()
        let base = Self.valid()
        for round in 0..<3_000 {
            var bytes = base
            if round % 3 == 0 {
                bytes = (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                for _ in 0..<Int.random(in: 1...6, using: &generator) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            if case .success(let event) = Self.validate(bytes) {
                // Whatever got through obeys every range rule.
                #expect(event.schema == SchemaVersion.submitted)
                if let trust = event.answers.trust {
                    switch trust {
                    case .thumbs(let value): #expect((0...1).contains(value))
                    case .likert5(let value), .legacy(let value): #expect((1...5).contains(value))
                    }
                }
                if let recommend = event.answers.recommend { #expect((0...10).contains(recommend)) }
                #expect(!event.agency.isEmpty && !event.service.isEmpty && !event.eventId.isEmpty)
            }
        }
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "a"),
        (#"{"answers":{"trust":1,"ease":2,"trust":3}}"#, "answers.trust"),
        (#"{"a":1,"\u0061":2}"#, "a"),
        (#"{"list":[{"k":1},{"k":2}],"x":{"k":1,"y":{"k":2,"k":3}}}"#, "x.y.k"),
        (#"{"a":{"b":1},"c":{"b":2}}"#, nil),
        (#"[{"a":1},{"a":1}]"#, nil),
        (#"{"s":"}{\"s\":1,","t":"\"a\""}"#, nil),
        (#"{"\ud83d\ude00":1,"😀":2}"#, "😀"),
    ])
    func duplicateKeysAreFoundWherever(json: String, duplicate: String?) {
        #expect(DuplicateKeyScanner.firstDuplicate(in: Array(json.utf8)) == duplicate)
    }
}
