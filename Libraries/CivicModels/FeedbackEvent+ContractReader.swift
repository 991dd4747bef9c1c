import CivicJSON
import Foundation

extension FeedbackEvent {
    /// What ``init(contractJSON:reading:)`` reads.
    package struct ContractReading: Sendable {
        /// Whether the fields later stages add (`receivedAt`, `spam`, `instrument`, `respondent`, `redactions`,
        /// `sentiment`, `emotions`, `scorer`) are read; when not, one of them makes the reader give up.
        var stageFields: Bool
        /// Whether a key the contract does not name is skipped, as `JSONDecoder` skips it; when not, the
        /// reader gives up on it (survey-intake then takes the `Decoder` path, which also checks repeated keys).
        var skipsUnknownKeys: Bool

        /// A submitted response as survey-intake reads it: the fields agencies send, nothing else.
        package static let submitted = ContractReading(stageFields: false, skipsUnknownKeys: false)
        /// An event on any topic as the stages after survey-intake read it: every field, unknown keys skipped.
        package static let anyStage = ContractReading(stageFields: true, skipsUnknownKeys: true)
    }

    /// Reads an event straight from its JSON bytes, for the common case only: `nil` unless `bytes` are one JSON
    /// object that the contract's `JSONDecoder` (``CivicJSON/makeDecoder()``) decodes into exactly the returned
    /// event, with no known key repeated in any object.
    ///
    /// It answers `nil` rather than guess: for a number that is not written plainly, a wrong type, an
    /// unknown name, a bad timestamp, malformed JSON, or a field `reading` excludes. The caller then takes the
    /// `Decoder` path, which accepts or explains. Pass valid UTF-8. Property tests hold it to the decoder on
    /// random and mutated inputs.
    ///
    /// Every stage decodes every event; `JSONDecoder` builds a tree of boxed values per event before it
    /// decodes a field, and this reader is several times cheaper.
    package init?(contractJSON bytes: [UInt8], reading: ContractReading) {
        var scanner = JSONScanner(bytes)
        guard let event = scanner.feedbackEvent(reading), scanner.isAtEnd() else { return nil }
        self = event
    }
}

/// The event's shape read with the project's one JSON reader, giving up (returning `nil`) at the first thing
/// it does not expect.
extension JSONScanner {
    /// Reads `{ "key": value, ... }`, calling `field` with each key's position in `keys`; `field` reads the
    /// value and returns `false` to give up. Each key may appear once; any other key gives up, or is skipped
    /// when `skippingUnknown`.
    fileprivate mutating func object(keys: [StaticString], skippingUnknown: Bool = false, _ field: (inout JSONScanner, Int) -> Bool) -> Bool {
        var seen: UInt64 = 0
        return object { scanner, name in
            guard let key = keys.firstIndex(where: { key in key.withUTF8Buffer { $0.elementsEqual(name) } }) else {
                return skippingUnknown && scanner.skipValue()
            }
            guard seen & (1 << key) == 0 else { return false }
            seen |= 1 << key
            return field(&scanner, key)
        }
    }

    /// A vocabulary value by its raw name.
    fileprivate mutating func vocabulary<Value: RawRepresentable>(_ type: Value.Type) -> Value? where Value.RawValue == String {
        string().flatMap(Value.init(rawValue:))
    }

    /// An optional value: `nil` JSON gives `.some(nil)`, a value gives `.some(value)`, anything unreadable `nil`.
    fileprivate mutating func optional<Value>(_ read: (inout JSONScanner) -> Value?) -> Value?? {
        if null() { return .some(nil) }
        guard let value = read(&self) else { return nil }
        return .some(value)
    }

    /// An array of values each read by `read`.
    fileprivate mutating func list<Value>(_ read: (inout JSONScanner) -> Value?) -> [Value]? {
        var values: [Value] = []
        let complete = array { scanner in
            guard let value = read(&scanner) else { return false }
            values.append(value)
            return true
        }
        return complete ? values : nil
    }

    /// An object of values each read by `read`, keyed by their names (a repeated name gives up).
    fileprivate mutating func map<Value>(_ read: (inout JSONScanner) -> Value?) -> [String: Value]? {
        var values: [String: Value] = [:]
        let complete = object { scanner, key in
            guard let value = read(&scanner), values.updateValue(value, forKey: String(decoding: key, as: UTF8.self)) == nil else { return false }
            return true
        }
        return complete ? values : nil
    }

    /// A number as `JSONDecoder` reads a `Double`; `nil` (left to the decoder) for one outside the normal range,
    /// which the decoder refuses rather than round to infinity or to zero.
    fileprivate mutating func double() -> Double? {
        guard let text = numberText(), let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { return nil }
        if value == 0 {
            // Zero only when written as zero: `1e-400` underflows, and the decoder refuses it.
            let mantissa = text.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            return mantissa.contains { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) } ? nil : value
        }
        return value.isNormal ? value : nil
    }

    fileprivate mutating func drivers() -> [Driver]? {
        list { $0.vocabulary(Driver.self) }
    }

    fileprivate mutating func trust(_ reading: FeedbackEvent.ContractReading) -> TrustAnswer? {
        guard let next = peek() else { return nil }
        if next != UInt8(ascii: "{") { return integer().map(TrustAnswer.legacy) }
        var scale: TrustScale?
        var value: Int?
        guard
            object(
                keys: ["scale", "value"],
                skippingUnknown: reading.skipsUnknownKeys,
                { reader, key in
                    switch key {
                    case 0: scale = reader.vocabulary(TrustScale.self)
                    default: value = reader.integer()
                    }
                    return key == 0 ? scale != nil : value != nil
                }
            ), let scale, let value
        else { return nil }
        return scale == .thumbs ? .thumbs(value) : .likert5(value)
    }

    fileprivate mutating func answers(_ reading: FeedbackEvent.ContractReading) -> Answers? {
        var answers = Answers()
        let keys: [StaticString] = [
            "trust", "wentWell", "didNotGoWell", "satisfaction", "effectiveness", "ease", "efficiency", "transparency", "employee",
            "recommend",
        ]
        let complete = object(keys: keys, skippingUnknown: reading.skipsUnknownKeys) { reader, key in
            switch key {
            case 0: return reader.optional { $0.trust(reading) }.map { answers.trust = $0 } != nil
            case 1: return reader.optional { $0.drivers() }.map { answers.wentWell = $0 } != nil
            case 2: return reader.optional { $0.drivers() }.map { answers.didNotGoWell = $0 } != nil
            default:
                guard let value = reader.optional({ $0.integer() }) else { return false }
                switch key {
                case 3: answers.satisfaction = value
                case 4: answers.effectiveness = value
                case 5: answers.ease = value
                case 6: answers.efficiency = value
                case 7: answers.transparency = value
                case 8: answers.employee = value
                default: answers.recommend = value
                }
                return true
            }
        }
        return complete ? answers : nil
    }

    fileprivate mutating func identity(_ reading: FeedbackEvent.ContractReading) -> IdentityAssertion? {
        var token: String?
        guard
            object(
                keys: ["idToken"],
                skippingUnknown: reading.skipsUnknownKeys,
                { reader, _ in
                    token = reader.string()
                    return token != nil
                }
            ), let token
        else { return nil }
        return IdentityAssertion(idToken: token)
    }

    fileprivate mutating func spam(_ reading: FeedbackEvent.ContractReading) -> SpamAssessment? {
        var flagged: Bool?
        var reasons: [SpamReason]?
        guard
            object(
                keys: ["flagged", "reasons"],
                skippingUnknown: reading.skipsUnknownKeys,
                { reader, key in
                    if key == 0 {
                        flagged = reader.bool()
                        return flagged != nil
                    }
                    reasons = reader.list { $0.vocabulary(SpamReason.self) }
                    return reasons != nil
                }
            ), let flagged, let reasons
        else { return nil }
        return SpamAssessment(flagged: flagged, reasons: reasons)
    }

    fileprivate mutating func instrument(_ reading: FeedbackEvent.ContractReading) -> InstrumentReference? {
        var form: InstrumentForm?
        var control: String?
        var expiresOn: String?
        var expired: Bool?
        var wentWell: [Driver]?
        var didNotGoWell: [Driver]?
        let keys: [StaticString] = ["form", "ombControlNumber", "expiresOn", "praExpired", "wentWellOffered", "didNotGoWellOffered"]
        guard
            object(
                keys: keys,
                skippingUnknown: reading.skipsUnknownKeys,
                { reader, key in
                    switch key {
                    case 0:
                        form = reader.vocabulary(InstrumentForm.self)
                        return form != nil
                    case 1:
                        control = reader.string()
                        return control != nil
                    case 2:
                        expiresOn = reader.string()
                        return expiresOn != nil
                    case 3:
                        expired = reader.bool()
                        return expired != nil
                    case 4:
                        wentWell = reader.drivers()
                        return wentWell != nil
                    default:
                        didNotGoWell = reader.drivers()
                        return didNotGoWell != nil
                    }
                }
            ), let form, let control, let expiresOn, let expired, let wentWell, let didNotGoWell
        else { return nil }
        return InstrumentReference(
            form: form,
            ombControlNumber: control,
            expiresOn: expiresOn,
            praExpired: expired,
            wentWellOffered: wentWell,
            didNotGoWellOffered: didNotGoWell
        )
    }

    fileprivate mutating func respondent(_ reading: FeedbackEvent.ContractReading) -> Respondent? {
        var status: RespondentStatus?
        var respondent = Respondent(status: .anonymous)
        let keys: [StaticString] = ["status", "pseudonym", "previousPseudonyms", "ial", "aal", "refusal"]
        guard
            object(
                keys: keys,
                skippingUnknown: reading.skipsUnknownKeys,
                { reader, key in
                    switch key {
                    case 0:
                        status = reader.vocabulary(RespondentStatus.self)
                        return status != nil
                    case 2: return reader.optional { $0.list { $0.string() } }.map { respondent.previousPseudonyms = $0 } != nil
                    default:
                        guard let value = reader.optional({ $0.string() }) else { return false }
                        switch key {
                        case 1: respondent.pseudonym = value
                        case 3: respondent.ial = value
                        case 4: respondent.aal = value
                        default: respondent.refusal = value
                        }
                        return true
                    }
                }
            ), let status
        else { return nil }
        respondent.status = status
        return respondent
    }

    fileprivate mutating func sentiment(_ reading: FeedbackEvent.ContractReading) -> SentimentScores? {
        var values: [Double?] = [nil, nil, nil, nil]
        guard
            object(
                keys: ["neg", "neu", "pos", "compound"],
                skippingUnknown: reading.skipsUnknownKeys,
                { reader, key in
                    values[key] = reader.double()
                    return values[key] != nil
                }
            ), let neg = values[0], let neu = values[1], let pos = values[2], let compound = values[3]
        else { return nil }
        return SentimentScores(neg: neg, neu: neu, pos: pos, compound: compound)
    }

    fileprivate mutating func scorer(_ reading: FeedbackEvent.ContractReading) -> ScorerInfo? {
        var version: String?
        var reason: ScorerInfo.UnscoredReason?
        guard
            object(
                keys: ["version", "unscoredReason"],
                skippingUnknown: reading.skipsUnknownKeys,
                { reader, key in
                    if key == 0 {
                        version = reader.string()
                        return version != nil
                    }
                    return reader.optional { $0.vocabulary(ScorerInfo.UnscoredReason.self) }.map { reason = $0 } != nil
                }
            ), let version
        else { return nil }
        return ScorerInfo(version: version, unscoredReason: reason)
    }

    fileprivate static let eventKeys: [StaticString] = [
        "schema", "eventId", "occurredAt", "agency", "service", "channel", "touchpoint", "level", "journeyId", "stage", "form",
        "scaleDirection", "answers", "comment", "identity", "locale", "submitter", "honeypot",
        // Added by the stages (18...).
        "receivedAt", "spam", "instrument", "respondent", "redactions", "sentiment", "emotions", "scorer",
    ]

    /// The event, with every required field present.
    fileprivate mutating func feedbackEvent(_ reading: FeedbackEvent.ContractReading) -> FeedbackEvent? {
        var schema: String?
        var eventId: String?
        var occurredAt: Date?
        var agency: String?
        var service: String?
        var channel: Channel?
        var level: MeasurementLevel?
        var form: SurveyForm?
        var answers: Answers?
        var text: [String?] = Array(repeating: nil, count: 18)
        var scaleDirection: ScaleDirection?
        var identity: IdentityAssertion?
        var stage = FeedbackEvent(
            eventId: "",
            occurredAt: Date(timeIntervalSince1970: 0),
            agency: "",
            service: "",
            channel: .web,
            form: .a11v2,
            answers: Answers()
        )
        let complete = object(keys: Self.eventKeys, skippingUnknown: reading.skipsUnknownKeys) { reader, key in
            if key >= 18, !reading.stageFields { return false }
            switch key {
            case 0: schema = reader.string()
            case 1: eventId = reader.string()
            case 2: occurredAt = reader.string().flatMap(Timestamp.parse)
            case 3: agency = reader.string()
            case 4: service = reader.string()
            case 5: channel = reader.vocabulary(Channel.self)
            case 7: level = reader.vocabulary(MeasurementLevel.self)
            case 10: form = reader.vocabulary(SurveyForm.self)
            case 11: return reader.optional { $0.vocabulary(ScaleDirection.self) }.map { scaleDirection = $0 } != nil
            case 12: answers = reader.answers(reading)
            case 14: return reader.optional { $0.identity(reading) }.map { identity = $0 } != nil
            case 18:
                if reader.null() { return true }
                stage.receivedAt = reader.string().flatMap(Timestamp.parse)
                return stage.receivedAt != nil
            case 19: return reader.optional { $0.spam(reading) }.map { stage.spam = $0 } != nil
            case 20: return reader.optional { $0.instrument(reading) }.map { stage.instrument = $0 } != nil
            case 21: return reader.optional { $0.respondent(reading) }.map { stage.respondent = $0 } != nil
            case 22: return reader.optional { $0.map { $0.integer() } }.map { stage.redactions = $0 } != nil
            case 23: return reader.optional { $0.sentiment(reading) }.map { stage.sentiment = $0 } != nil
            case 24: return reader.optional { $0.map { $0.double() } }.map { stage.emotions = $0 } != nil
            case 25: return reader.optional { $0.scorer(reading) }.map { stage.scorer = $0 } != nil
            default:
                // touchpoint, journeyId, stage, comment, locale, submitter, honeypot: optional strings.
                guard let value = reader.optional({ $0.string() }) else { return false }
                text[key] = value
                return true
            }
            // A required field: it must have been read.
            switch key {
            case 0: return schema != nil
            case 1: return eventId != nil
            case 2: return occurredAt != nil
            case 3: return agency != nil
            case 4: return service != nil
            case 5: return channel != nil
            case 7: return level != nil
            case 10: return form != nil
            default: return answers != nil
            }
        }
        guard complete, let schema, let eventId, let occurredAt, let agency, let service, let channel, let level, let form, let answers
        else { return nil }
        var event = FeedbackEvent(
            schema: schema,
            eventId: eventId,
            occurredAt: occurredAt,
            agency: agency,
            service: service,
            channel: channel,
            touchpoint: text[6],
            level: level,
            journeyId: text[8],
            stage: text[9],
            form: form,
            scaleDirection: scaleDirection,
            answers: answers,
            comment: text[13],
            identity: identity,
            locale: text[15],
            submitter: text[16],
            honeypot: text[17]
        )
        event.receivedAt = stage.receivedAt
        event.spam = stage.spam
        event.instrument = stage.instrument
        event.respondent = stage.respondent
        event.redactions = stage.redactions
        event.sentiment = stage.sentiment
        event.emotions = stage.emotions
        event.scorer = stage.scorer
        return event
    }
}

extension FeedbackEvent {
    /// The event in `bytes`, read by the fast reader (``init(contractJSON:reading:)``, every stage's fields,
    /// unknown keys skipped) or, when it gives up, by `decoder`, whose error explains a refusal.
    package static func decode(_ bytes: [UInt8], fallback decoder: JSONDecoder) throws -> FeedbackEvent {
        if let event = FeedbackEvent(contractJSON: bytes, reading: .anyStage) { return event }
        return try decoder.decode(FeedbackEvent.self, from: Data(bytes))
    }
}
