import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import SurveyIntake

/// Property tests of the submission validator (issue #3): seeded random bytes and structured mutations of
/// valid responses and operations events. Whatever comes in, the validator does not crash, and every outcome
/// is either a rejection with a code and a reason naming its field, or an accepted event that validates again
/// and meets the contract's invariants, checked here independently of the validator.
@Suite(.hangGuard) struct ValidatorFuzzTests {
    static let now = ResponseValidatorTests.now
    static let validator = SubmissionValidator()

    // MARK: - Seeds

    static var seeds: [[String: Any]] {
        [
            [
                "schema": "cx.feedback.submitted/1", "eventId": "evt-v2", "occurredAt": "2026-11-20T11:00:00Z", "agency": "IRS",
                "service": "free-file", "channel": "web", "level": "transaction", "form": "a11-v2", "touchpoint": "after-filing",
                "answers": ["trust": ["scale": "thumbs", "value": 1], "wentWell": ["ease", "efficiency"], "didNotGoWell": [], "recommend": 9],
                "comment": "Quick and clear, thank you.", "locale": "en-US", "identity": ["idToken": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"],
            ],
            [
                "schema": "cx.feedback.submitted/1", "eventId": "evt-likert", "occurredAt": "2026-11-19T08:30:00.250Z", "agency": "SSA",
                "service": "retirement", "channel": "phone", "level": "journey", "journeyId": "j-1", "stage": "apply", "form": "a11-v2",
                "answers": ["trust": ["scale": "likert5", "value": 2], "didNotGoWell": ["employee"]], "submitter": "install-7",
            ],
            [
                "schema": "cx.feedback.submitted/1", "eventId": "evt-v1", "occurredAt": "2026-11-01T00:00:00+02:00", "agency": "VA",
                "service": "health", "channel": "in-person", "level": "relationship", "form": "a11-v1", "scaleDirection": "agree-low",
                "answers": ["satisfaction": 1, "trust": 2, "effectiveness": 5, "ease": 3, "recommend": 0], "comment": "Gracias.",
            ],
            [
                "schema": "cx.operations/1", "eventId": "op-1", "occurredAt": "2026-11-20T10:00:00Z", "agency": "SSA",
                "service": "retirement", "channel": "chat", "contactId": "c-9", "handleSeconds": 312.5, "resolvedFirstContact": false,
                "surveyOffered": true,
            ],
        ]
    }

    static let fieldPaths: [[String]] = [
        ["schema"], ["eventId"], ["occurredAt"], ["agency"], ["service"], ["channel"], ["level"], ["form"], ["scaleDirection"],
        ["journeyId"], ["comment"], ["locale"], ["submitter"], ["honeypot"], ["identity"], ["answers"], ["answers", "trust"],
        ["answers", "trust", "value"], ["answers", "trust", "scale"], ["answers", "wentWell"], ["answers", "didNotGoWell"],
        ["answers", "recommend"], ["answers", "satisfaction"], ["answers", "ease"], ["answers", "employee"], ["handleSeconds"],
        ["resolvedFirstContact"], ["contactId"], ["surveyOffered"],
    ]

    static func randomValue(_ generator: inout SeededGenerator) -> Any {
        switch Int.random(in: 0..<14, using: &generator) {
        case 0: return NSNull()
        case 1: return Bool.random(using: &generator)
        case 2: return Int.random(in: -20...20, using: &generator)
        case 3: return [Int.max, Int.min, 1_000_000_000, -1, 11, 6, 0][Int.random(in: 0..<7, using: &generator)]
        case 4: return [0.5, -0.0, 1e300, -1e-300, 86_400.0001, 4.999][Int.random(in: 0..<6, using: &generator)]
        case 5:
            return ["web", "fax", "a11-v1", "a11-v2", "agree-high", "thumbs", "likert5", "journey", "", " "].randomElement(using: &generator) ?? ""
        case 6:
            return [
                "2026-11-20T11:59:59Z", "2026-11-20T12:06:00Z", "2026-10-21T12:00:01Z", "2026-10-21T11:59:59Z", "2026-13-01T00:00:00Z", "2026-11-20",
                "yesterday", "2026-11-20T12:00:00.999999999-05:00",
            ].randomElement(using: &generator) ?? ""
        case 7: return String(repeating: "x", count: Int.random(in: 0...6_000, using: &generator))
        case 8: return ["ease", "other", "ease", "bogus"].shuffled(using: &generator).prefix(Int.random(in: 0...4, using: &generator)).map { $0 }
        case 9: return ["scale": "thumbs", "value": Int.random(in: -2...6, using: &generator)]
        case 10: return ["scale": "likert5", "value": Int.random(in: -2...7, using: &generator)]
        case 11: return [Any]()
        case 12: return ["nested": ["deeper": 1]]
        default:
            return String(
                (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                    Character(Unicode.Scalar(UInt32.random(in: 0x20...0x2FFF, using: &generator)) ?? "?")
                }
            )
        }
    }

    static func setting(_ object: [String: Any], _ path: ArraySlice<String>, to value: Any?) -> [String: Any] {
        var object = object
        guard let key = path.first else { return object }
        if path.count == 1 {
            object[key] = value
        } else if let inner = object[key] as? [String: Any] {
            object[key] = setting(inner, path.dropFirst(), to: value)
        }
        return object
    }

    enum Mutation: CaseIterable { case drop, retype, renumber, timestamp, oversize, truncate, duplicateKey, invalidUTF8, deepNesting, splice }

    /// One mutated case: the bytes and the mutation that must decide the outcome, when one must.
    static func mutate(_ seed: [String: Any], _ generator: inout SeededGenerator) -> ([UInt8], Mutation) {
        var object = seed
        let structural = Int.random(in: 0...2, using: &generator)
        for _ in 0..<structural {
            let path = fieldPaths.randomElement(using: &generator) ?? ["eventId"]
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: object = setting(object, path[...], to: nil)
            case 1: object = setting(object, path[...], to: randomValue(&generator))
            default: object = setting(object, path[...], to: Int.random(in: -1_000...100_000, using: &generator))
            }
        }
        let mutation = Mutation.allCases.randomElement(using: &generator) ?? .drop
        let numericPaths: [[String]] = [
            ["answers", "recommend"], ["answers", "ease"], ["answers", "satisfaction"], ["answers", "trust", "value"], ["handleSeconds"],
        ]
        switch mutation {
        case .drop:
            object = setting(object, (fieldPaths.randomElement(using: &generator) ?? ["eventId"])[...], to: nil)
        case .retype:
            object = setting(object, (fieldPaths.randomElement(using: &generator) ?? ["eventId"])[...], to: randomValue(&generator))
        case .renumber:
            let number: Any =
                Bool.random(using: &generator)
                ? Int.random(in: -3...12, using: &generator) : [-0.5, 86_400.5, 1e300, 99_999.0][Int.random(in: 0..<4, using: &generator)]
            object = setting(object, (numericPaths.randomElement(using: &generator) ?? ["handleSeconds"])[...], to: number)
        case .timestamp:
            // Around both edges of the window: 30 days back and 300 s ahead.
            let offset =
                Bool.random(using: &generator)
                ? Double.random(in: -600...3_600, using: &generator) : Double.random(in: -40 * 86_400 ... -20 * 86_400, using: &generator)
            object["occurredAt"] = Timestamp.format(now.addingTimeInterval(offset))
        case .oversize:
            object["comment"] = String(repeating: "long ", count: Int.random(in: 900...14_000, using: &generator))
        default:
            break
        }
        var bytes = Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
        switch mutation {
        case .drop, .retype, .renumber, .timestamp, .oversize:
            break
        case .truncate:
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
        case .duplicateKey:
            let key = object.keys.sorted().randomElement(using: &generator) ?? "eventId"
            bytes = Array("{\"\(key)\":0,".utf8) + bytes.dropFirst()
            if object.isEmpty { bytes = Array("{\"\(key)\":0,\"\(key)\":1}".utf8) }
        case .invalidUTF8:
            let position = Int.random(in: 0...bytes.count, using: &generator)
            let invalid: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80]]
            bytes.insert(contentsOf: invalid.randomElement(using: &generator) ?? [0xFF], at: position)
        case .deepNesting:
            let depth = Int.random(in: 10...5_000, using: &generator)
            let field = ["comment", "answers", "handleSeconds", "extra"].randomElement(using: &generator) ?? "extra"
            let open = String(repeating: Bool.random(using: &generator) ? "[" : "{\"a\":", count: 1)
            let opener = open == "[" ? "[" : "{\"a\":"
            let closer = open == "[" ? "]" : "}"
            let nested = String(repeating: opener, count: depth) + "1" + String(repeating: closer, count: depth)
            bytes = Array("{\"\(field)\":\(nested),".utf8) + bytes.dropFirst()
        case .splice:
            // Raw byte noise inside otherwise valid JSON.
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0x20...0x7E, using: &generator)
            }
        }
        return (bytes, mutation)
    }

    // MARK: - Properties

    @Test func seededRandomBytesAreRejectedWithAReason() {
        var generator = SeededGenerator(seed: 0xC1_71C_0003)
        let alphabet = Array("{}[]\":,0123456789.-+eEtrufalsn \\u\"schemaeventIdcx.feedback.submitted/1".utf8)
        for index in 0..<3_000 {
            let count = Int.random(in: 0...300, using: &generator)
            let bytes: [UInt8] =
                index.isMultiple(of: 2)
                ? (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                : (0..<count).map { _ in alphabet.randomElement(using: &generator) ?? 0x20 }
            let result = Self.validator.validate(bytes, now: Self.now)
            Self.checkOutcome(result, bytes: bytes, case: "random #\(index)")
            Self.checkPathsAgree(result, bytes: bytes, case: "random #\(index)")
            if case .success = result { Issue.record("random bytes accepted: \(String(decoding: bytes, as: UTF8.self))") }
        }
    }

    @Test func mutationsOfValidEventsAreRejectedWithAReasonOrMeetTheContract() {
        var generator = SeededGenerator(seed: 0x5EED_0003)
        var outcomes: [String: Int] = [:]
        for seed in Self.seeds {
            let result = Self.validator.validate(Array((try? JSONSerialization.data(withJSONObject: seed)) ?? Data()), now: Self.now)
            guard case .success(let submission) = result else {
                Issue.record("seed \(seed["eventId"] ?? "?") must be valid: \(result)")
                return
            }
            if case .response = submission {
                let bytes = Array((try? JSONSerialization.data(withJSONObject: seed)) ?? Data())
                #expect(FeedbackEvent(submittedJSON: bytes) != nil, "the byte reader must read seed \(seed["eventId"] ?? "?")")
            }
        }
        for index in 0..<6_000 {
            let seed = Self.seeds[index % Self.seeds.count]
            let (bytes, mutation) = Self.mutate(seed, &generator)
            let result = Self.validator.validate(bytes, now: Self.now)
            let label = "mutation #\(index) (\(mutation)): \(String(decoding: bytes.prefix(400), as: UTF8.self))"
            Self.checkOutcome(result, bytes: bytes, case: label)
            Self.checkPathsAgree(result, bytes: bytes, case: label)
            switch (mutation, result) {
            case (.truncate, .success), (.invalidUTF8, .success), (.duplicateKey, .success):
                Issue.record("must be rejected: \(label)")
            case (.invalidUTF8, .failure(let rejection)):
                #expect([.notUTF8, .payloadTooLarge].contains(rejection.code), "\(label)")
            case (.duplicateKey, .failure(let rejection)):
                #expect([.duplicateKey, .payloadTooLarge].contains(rejection.code), "\(label)")
            case (.truncate, .failure(let rejection)):
                // A cut inside a multi-byte character leaves invalid UTF-8, which is checked first.
                #expect([.notJSON, .notUTF8, .payloadTooLarge].contains(rejection.code), "\(label)")
            default:
                break
            }
            switch result {
            case .success: outcomes["accepted", default: 0] += 1
            case .failure(let rejection): outcomes[rejection.code.rawValue, default: 0] += 1
            }
        }
        // The mutations reach both outcomes and most rules (a guard against a generator that only makes noise).
        #expect(outcomes["accepted", default: 0] > 100, "\(outcomes)")
        #expect(outcomes.count >= 13, "\(outcomes)")
    }

    /// Nesting as deep as the payload limit allows (arrays and objects, inside and outside known fields) is
    /// refused or accepted without exhausting the stack.
    @Test(arguments: ["[", "{\"a\":"], ["", "{\"comment\":", "{\"schema\":\"cx.operations/1\",\"handleSeconds\":"])
    func nestingToThePayloadLimitIsRejected(_ opener: String, _ prefix: String) {
        let closer = opener == "[" ? "]" : "}"
        let budget = 65_536 - prefix.utf8.count - 8
        let depth = budget / (opener.utf8.count + closer.utf8.count)
        let text = prefix + String(repeating: opener, count: depth) + "1" + String(repeating: closer, count: depth) + (prefix.isEmpty ? "" : "}")
        let bytes = Array(text.utf8)
        #expect(bytes.count <= 65_536)
        let result = Self.validator.validate(bytes, now: Self.now)
        Self.checkOutcome(result, bytes: bytes, case: "depth \(depth) \(opener) after \(prefix)")
        Self.checkPathsAgree(result, bytes: bytes, case: "depth \(depth) \(opener) after \(prefix)")
        if case .success = result { Issue.record("deep nesting accepted") }
    }

    // MARK: - Oracle

    /// The one-parse fast path and the thorough path give the same outcome, rejection reasons included.
    static func checkPathsAgree(_ result: Result<Submission, Rejection>, bytes: [UInt8], case label: String) {
        // The byte reader reads an event only where the contract's decoder reads the same one, no key repeated.
        if String(validating: bytes, as: UTF8.self) != nil, let read = FeedbackEvent(submittedJSON: bytes) {
            #expect((try? CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(bytes))) == read, "byte reader disagrees: \(label)")
            #expect(DuplicateKeyScanner.firstDuplicate(in: bytes) == nil, "byte reader missed a repeated key: \(label)")
        }
        #expect(result == validator.validateThoroughly(bytes, now: now), "fast and thorough paths disagree: \(label)")
        let responsesOnly = [SchemaVersion.submitted]
        let thorough = validator.validateThoroughly(bytes, now: now, accepting: responsesOnly)
        #expect(validator.validate(bytes, now: now, accepting: responsesOnly) == thorough, "response-only paths disagree: \(label)")
    }

    /// Checks one outcome against the contract, independently of the validator's own rules.
    static func checkOutcome(_ result: Result<Submission, Rejection>, bytes: [UInt8], case label: String) {
        switch result {
        case .failure(let rejection):
            #expect(!rejection.reason.isEmpty, "\(label)")
            let fieldless: Set<Rejection.Code> = [.payloadTooLarge, .notUTF8, .notJSON]
            if !fieldless.contains(rejection.code) {
                let field = rejection.field ?? ""
                #expect(!field.isEmpty, "\(rejection.code) must name a field: \(label)")
                #expect(rejection.reason.hasPrefix("\(field): "), "reason must start with the field: \(rejection.reason) \(label)")
            }
        case .success(let submission):
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
            #expect(object != nil, "accepted bytes must be a JSON object: \(label)")
            #expect(String(validating: bytes, as: UTF8.self) != nil, "\(label)")
            let channels: Set<String> = ["web", "mobile", "phone", "in-person", "email", "chat", "mail", "kiosk"]
            #expect(channels.contains(object?["channel"] as? String ?? ""), "channel vocabulary: \(label)")
            switch submission {
            case .response(let event):
                checkResponse(event, object: object ?? [:], label: label)
                revalidates(event, label: label)
            case .operations(let event):
                checkOperations(event, label: label)
                let again = validator.validate(Array((try? CivicJSON.makeEncoder().encode(event)) ?? Data()), now: now)
                #expect(again == .success(.operations(event)), "re-validation: \(label)")
            }
        }
    }

    static func inWindow(_ date: Date) -> Bool {
        date >= now.addingTimeInterval(-30 * 86_400) && date <= now.addingTimeInterval(300)
    }

    static func checkResponse(_ event: FeedbackEvent, object: [String: Any], label: String) {
        #expect(inWindow(event.occurredAt), "occurredAt window: \(label)")
        for value in [event.eventId, event.agency, event.service] {
            #expect(!value.trimmingCharacters(in: .whitespaces).isEmpty, "\(label)")
        }
        #expect(event.eventId.count <= 200 && event.agency.count <= 100 && event.service.count <= 100, "\(label)")
        #expect((event.comment?.count ?? 0) <= 5_000, "\(label)")
        #expect(["transaction", "journey", "relationship"].contains(object["level"] as? String ?? ""), "\(label)")
        if event.level == .journey { #expect(!(event.journeyId ?? "").isEmpty, "\(label)") }
        if let recommend = event.answers.recommend { #expect((0...10).contains(recommend), "\(label)") }
        let answers = event.answers
        switch object["form"] as? String {
        case "a11-v2":
            #expect(event.scaleDirection == nil, "\(label)")
            switch answers.trust {
            case .thumbs(let value): #expect((0...1).contains(value), "\(label)")
            case .likert5(let value): #expect((1...5).contains(value), "\(label)")
            default: Issue.record("a11-v2 needs a scaled trust answer: \(label)")
            }
            for value in [answers.satisfaction, answers.effectiveness, answers.ease, answers.efficiency, answers.transparency, answers.employee] {
                #expect(value == nil, "\(label)")
            }
            for drivers in [answers.wentWell, answers.didNotGoWell] {
                #expect(Set(drivers ?? []).count == (drivers ?? []).count, "\(label)")
            }
        case "a11-v1":
            #expect(event.scaleDirection == .agreeHigh, "normalised: \(label)")
            #expect(answers.wentWell == nil && answers.didNotGoWell == nil, "\(label)")
            let values = [
                answers.satisfaction, answers.trust?.legacyValue, answers.effectiveness, answers.ease, answers.efficiency,
                answers.transparency, answers.employee,
            ].compactMap { $0 }
            #expect(!values.isEmpty && values.allSatisfy { (1...5).contains($0) }, "\(label)")
            if let trust = answers.trust { #expect(trust.legacyValue != nil, "\(label)") }
            // Normalisation: agree-low answers are flipped.
            if object["scaleDirection"] as? String == "agree-low", let raw = (object["answers"] as? [String: Any])?["ease"] as? Int {
                #expect(answers.ease == 6 - raw, "\(label)")
            }
        default:
            Issue.record("accepted a form outside the vocabulary: \(label)")
        }
    }

    static func checkOperations(_ event: OperationsEvent, label: String) {
        #expect(event.schema == SchemaVersion.operations, "\(label)")
        #expect(inWindow(event.occurredAt), "occurredAt window: \(label)")
        for value in [event.eventId, event.agency, event.service] {
            #expect(!value.trimmingCharacters(in: .whitespaces).isEmpty, "\(label)")
        }
        if let seconds = event.handleSeconds { #expect(seconds.isFinite && seconds >= 0 && seconds <= 86_400, "\(label)") }
        #expect((event.contactId?.count ?? 0) <= 200, "\(label)")
    }

    /// An accepted response, encoded again, is accepted again unchanged (normalisation is a fixed point).
    static func revalidates(_ event: FeedbackEvent, label: String) {
        let encoder = CivicJSON.makeEncoder()
        guard let bytes = try? encoder.encode(event) else {
            Issue.record("cannot encode: \(label)")
            return
        }
        guard case .success(.response(let again)) = validator.validate(Array(bytes), now: now) else {
            Issue.record("re-validation failed: \(label)")
            return
        }
        #expect((try? encoder.encode(again)) == bytes, "re-validation changed the event: \(label)")
    }
}
