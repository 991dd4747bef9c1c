import CivicModels
import Foundation

/// Checks a submitted survey response against the A-11 Section 280 contract and normalises it.
///
/// Every refusal names the field and the rule it broke. Legacy (v1) answers on an `agree-low` scale are
/// normalised to `agree-high`, so every downstream figure reads 5 as "strongly agree".
package struct ResponseValidator: Sendable {
    /// Limits applied to every response.
    package struct Configuration: Sendable {
        /// Largest accepted payload, in bytes. Default: 65536. (`CIVIC_INTAKE_MAX_PAYLOAD_BYTES`)
        package var maxPayloadBytes: Int = 65_536
        /// Longest accepted comment, in characters. Default: 5000. (`CIVIC_INTAKE_MAX_COMMENT_CHARS`)
        package var maxCommentCharacters: Int = 5_000
        /// Oldest accepted `occurredAt`, as an age in seconds; apps that queue answers offline post late.
        /// Default: 2592000 (30 days). (`CIVIC_INTAKE_MAX_AGE_S`)
        package var maxAgeSeconds: Int = 30 * 86_400
        /// How far in the future `occurredAt` may be, for clock skew. Default: 300 s. (`CIVIC_INTAKE_MAX_FUTURE_S`)
        package var maxFutureSkewSeconds: Int = 300

        /// Creates a configuration with the documented defaults.
        package init() {}
    }

    /// The limits.
    package var configuration: Configuration
    private let decoder = CivicJSON.makeDecoder()

    /// Creates a validator.
    package init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Validates an opened envelope whose schema is ``SchemaVersion/submitted``.
    func validate(_ envelope: SubmissionEnvelope, now: Date) -> Result<FeedbackEvent, Rejection> {
        let event: FeedbackEvent
        do {
            event = try decoder.decode(FeedbackEvent.self, from: envelope.data)
        } catch let error as DecodingError {
            return .failure(Self.rejection(for: error, eventId: envelope.eventId))
        } catch {
            return .failure(Rejection(.notJSON, field: nil, "\(error)", eventId: envelope.eventId))
        }
        return checked(event, now: now)
    }

    /// The contract's rules applied to a decoded event, and the event normalised, with only the fields a
    /// submitter owns (``submitterFieldsOnly(_:)``).
    func checked(_ event: FeedbackEvent, now: Date) -> Result<FeedbackEvent, Rejection> {
        check(Self.submitterFieldsOnly(event), now: now).map(Self.normalised)
    }

    /// The trust boundary: the fields later stages own (`receivedAt`, `spam`, `instrument`, `respondent`,
    /// `redactions`, `sentiment`, `emotions`, `scorer`) are dropped from a submitted response, whatever it says, so no
    /// submitter can write a verdict, a score or a receipt time; each stage writes its own.
    static func submitterFieldsOnly(_ event: FeedbackEvent) -> FeedbackEvent {
        var event = event
        event.receivedAt = nil
        event.spam = nil
        event.instrument = nil
        event.respondent = nil
        event.redactions = nil
        event.sentiment = nil
        event.emotions = nil
        event.scorer = nil
        return event
    }

    // MARK: - Rules

    private func check(_ event: FeedbackEvent, now: Date) -> Result<FeedbackEvent, Rejection> {
        func refuse(_ code: Rejection.Code, _ field: String, _ detail: String) -> Result<FeedbackEvent, Rejection> {
            .failure(Rejection(code, field: field, detail, eventId: event.eventId))
        }
        let text: KeyValuePairs<String, String?> = [
            "eventId": event.eventId, "agency": event.agency, "service": event.service, "touchpoint": event.touchpoint,
            "journeyId": event.journeyId, "stage": event.stage, "comment": event.comment, "locale": event.locale,
            "submitter": event.submitter, "honeypot": event.honeypot, "identity.idToken": event.identity?.idToken,
        ]
        if let field = Rejection.fieldWithNUL(text) { return refuse(.invalidValue, field, Rejection.nulReason) }
        for (field, value, limit) in [("eventId", event.eventId, 200), ("agency", event.agency, 100), ("service", event.service, 100)] {
            if Rejection.isBlank(value) { return refuse(.missingField, field, "must not be empty") }
            if value.count > limit { return refuse(.invalidValue, field, "is \(value.count) characters; the limit is \(limit)") }
        }
        let age = now.timeIntervalSince(event.occurredAt)
        if age < -Double(configuration.maxFutureSkewSeconds) {
            return refuse(.occurredInFuture, "occurredAt", "\(Timestamp.format(event.occurredAt)) is in the future")
        }
        if age > Double(configuration.maxAgeSeconds) {
            return refuse(
                .tooOld,
                "occurredAt",
                "\(Timestamp.format(event.occurredAt)) is older than the accepted \(configuration.maxAgeSeconds / 86_400) days"
            )
        }
        if let problem = Rejection.transactionPointProblem(event.touchpoint) { return refuse(.invalidValue, "touchpoint", problem) }
        if let submitter = event.submitter, submitter.count > 200 {
            return refuse(.invalidValue, "submitter", "is \(submitter.count) characters; the limit is 200")
        }
        if event.level == .journey, event.journeyId?.isEmpty ?? true {
            return refuse(.missingField, "journeyId", "is required when level is journey")
        }
        if let comment = event.comment, comment.count > configuration.maxCommentCharacters {
            return refuse(.commentTooLong, "comment", "is \(comment.count) characters; the limit is \(configuration.maxCommentCharacters)")
        }
        let answers = event.answers
        if let recommend = answers.recommend, !(0...10).contains(recommend) {
            return refuse(.outOfRange, "answers.recommend", "\(recommend) is outside 0...10")
        }
        switch event.form {
        case .a11v2:
            guard let trust = answers.trust else { return refuse(.missingField, "answers.trust", "is required on a11-v2 forms") }
            switch trust {
            case .thumbs(let value) where !(0...1).contains(value):
                return refuse(.outOfRange, "answers.trust.value", "\(value) is outside 0...1 for the thumbs scale")
            case .likert5(let value) where !(1...5).contains(value):
                return refuse(.outOfRange, "answers.trust.value", "\(value) is outside 1...5")
            case .legacy:
                return refuse(.invalidValue, "answers.trust", "a11-v2 expects {\"scale\": \"thumbs\"|\"likert5\", \"value\": n}")
            default: break
            }
            for (name, value) in answers.likertDrivers where name != "trust" && value != nil {
                return refuse(.invalidValue, "answers.\(name)", "is a legacy a11-v1 question, not part of a11-v2")
            }
            for (name, drivers) in [("wentWell", answers.wentWell), ("didNotGoWell", answers.didNotGoWell)] {
                if let drivers, Set(drivers).count != drivers.count {
                    return refuse(.invalidValue, "answers.\(name)", "lists a driver more than once")
                }
            }
            // A-11 v2 display logic: a favourable trust answer shows only Q2, any other only Q3.
            if trust.isFavourable, !(answers.didNotGoWell ?? []).isEmpty {
                return refuse(
                    .displayLogic,
                    "answers.didNotGoWell",
                    "is not shown after a favourable trust answer (thumbs up or 4-5); only wentWell is"
                )
            }
            if !trust.isFavourable, !(answers.wentWell ?? []).isEmpty {
                return refuse(
                    .displayLogic,
                    "answers.wentWell",
                    "is not shown after an unfavourable trust answer (thumbs down or 1-3); only didNotGoWell is"
                )
            }
            if event.scaleDirection != nil {
                return refuse(.invalidValue, "scaleDirection", "applies to a11-v1 forms only")
            }
        case .a11v1:
            if event.scaleDirection == nil {
                return refuse(.missingField, "scaleDirection", "is required on a11-v1 forms (agree-high or agree-low)")
            }
            if answers.wentWell != nil { return refuse(.invalidValue, "answers.wentWell", "is part of a11-v2, not a11-v1") }
            if answers.didNotGoWell != nil { return refuse(.invalidValue, "answers.didNotGoWell", "is part of a11-v2, not a11-v1") }
            if let trust = answers.trust, trust.legacyValue == nil {
                return refuse(.invalidValue, "answers.trust", "a11-v1 expects a number from 1 to 5")
            }
            var answered = 0
            for (name, value) in answers.likertDrivers {
                guard let value else { continue }
                answered += 1
                if !(1...5).contains(value) { return refuse(.outOfRange, "answers.\(name)", "\(value) is outside 1...5") }
            }
            if answered == 0 {
                return refuse(.missingField, "answers", "an a11-v1 response must answer at least one of the seven questions")
            }
        }
        return .success(event)
    }

    /// Legacy answers on an agree-low scale are flipped so that 5 always means "strongly agree".
    private static func normalised(_ event: FeedbackEvent) -> FeedbackEvent {
        guard event.form == .a11v1, event.scaleDirection == .agreeLow else { return event }
        var event = event
        func flip(_ value: Int?) -> Int? { value.map { 6 - $0 } }
        event.answers.satisfaction = flip(event.answers.satisfaction)
        event.answers.trust = event.answers.trust?.legacyValue.map { .legacy(6 - $0) }
        event.answers.effectiveness = flip(event.answers.effectiveness)
        event.answers.ease = flip(event.answers.ease)
        event.answers.efficiency = flip(event.answers.efficiency)
        event.answers.transparency = flip(event.answers.transparency)
        event.answers.employee = flip(event.answers.employee)
        event.scaleDirection = .agreeHigh
        return event
    }

    // MARK: - Decoding errors as reasons

    static func rejection(for error: DecodingError, eventId: String?) -> Rejection {
        switch error {
        case .keyNotFound(let key, let context):
            return Rejection(.missingField, field: path(context.codingPath + [key]), "is required", eventId: eventId)
        case .valueNotFound(_, let context):
            return Rejection(.missingField, field: path(context.codingPath), "must not be null", eventId: eventId)
        case .typeMismatch(let type, let context):
            return Rejection(.wrongType, field: path(context.codingPath), "expected \(typeName(type))", eventId: eventId)
        case .dataCorrupted(let context):
            return Rejection(.invalidValue, field: path(context.codingPath), context.debugDescription, eventId: eventId)
        @unknown default:
            return Rejection(.invalidValue, field: nil, "\(error)", eventId: eventId)
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(root)" : text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}
