import CivicModels
import Foundation

extension FeedbackEvent {
    /// Reads a submitted response (the fields an agency sends, no stage's additions) straight from its
    /// JSON bytes, for the common case only: `nil` unless `bytes` are one JSON object that the contract's
    /// `JSONDecoder` (``CivicJSON/makeDecoder()``) decodes into exactly the returned event, with no key
    /// repeated in any object.
    ///
    /// It answers `nil` rather than guess: for any field it does not know (including every stage's
    /// additions), a number that is not a plain integer, a wrong type, an unknown name, a bad timestamp or
    /// malformed JSON. The caller then takes the `Decoder` path, which accepts or explains. Pass valid
    /// UTF-8. A property test holds it to the decoder on random and mutated inputs.
    init?(submittedJSON bytes: [UInt8]) {
        var scanner = JSONScanner(bytes)
        guard let event = scanner.submittedEvent(), scanner.isAtEnd() else { return nil }
        self = event
    }
}

/// The submitted response's shape read with the project's one JSON reader, giving up (returning `nil`) at
/// the first thing it does not expect.
extension JSONScanner {
    /// Reads `{ "key": value, ... }`, calling `field` with each key's position in `keys`; `field` reads the
    /// value and returns `false` to give up. Each key may appear once (any other key gives up).
    fileprivate mutating func object(keys: [StaticString], _ field: (inout JSONScanner, Int) -> Bool) -> Bool {
        var seen: UInt64 = 0
        return object { scanner, name in
            guard let key = keys.firstIndex(where: { key in key.withUTF8Buffer { $0.elementsEqual(name) } }), seen & (1 << key) == 0
            else { return false }
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

    fileprivate mutating func drivers() -> [Driver]? {
        var drivers: [Driver] = []
        let complete = array { scanner in
            guard let driver = scanner.vocabulary(Driver.self) else { return false }
            drivers.append(driver)
            return true
        }
        return complete ? drivers : nil
    }

    fileprivate mutating func trust() -> TrustAnswer? {
        guard let next = peek() else { return nil }
        if next != UInt8(ascii: "{") { return integer().map(TrustAnswer.legacy) }
        var scale: TrustScale?
        var value: Int?
        guard
            object(
                keys: ["scale", "value"],
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

    fileprivate mutating func answers() -> Answers? {
        var answers = Answers()
        let keys: [StaticString] = [
            "trust", "wentWell", "didNotGoWell", "satisfaction", "effectiveness", "ease", "efficiency", "transparency", "employee",
            "recommend",
        ]
        let complete = object(keys: keys) { reader, key in
            switch key {
            case 0: return reader.optional { $0.trust() }.map { answers.trust = $0 } != nil
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

    fileprivate mutating func identity() -> IdentityAssertion? {
        var token: String?
        guard
            object(
                keys: ["idToken"],
                { reader, _ in
                    token = reader.string()
                    return token != nil
                }
            ), let token
        else { return nil }
        return IdentityAssertion(idToken: token)
    }

    fileprivate static let submittedEventKeys: [StaticString] = [
        "schema", "eventId", "occurredAt", "agency", "service", "channel", "touchpoint", "level", "journeyId", "stage", "form",
        "scaleDirection", "answers", "comment", "identity", "locale", "submitter", "honeypot",
    ]

    /// The submitted event, with every required field present.
    fileprivate mutating func submittedEvent() -> FeedbackEvent? {
        var schema: String?
        var eventId: String?
        var occurredAt: Date?
        var agency: String?
        var service: String?
        var channel: Channel?
        var level: MeasurementLevel?
        var form: SurveyForm?
        var answers: Answers?
        var optional: [String?] = Array(repeating: nil, count: Self.submittedEventKeys.count)
        var scaleDirection: ScaleDirection?
        var identity: IdentityAssertion?
        let complete = object(keys: Self.submittedEventKeys) { reader, key in
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
            case 12: answers = reader.answers()
            case 14: return reader.optional { $0.identity() }.map { identity = $0 } != nil
            default:
                // touchpoint, journeyId, stage, comment, locale, submitter, honeypot: optional strings.
                guard let value = reader.optional({ $0.string() }) else { return false }
                optional[key] = value
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
        return FeedbackEvent(
            schema: schema,
            eventId: eventId,
            occurredAt: occurredAt,
            agency: agency,
            service: service,
            channel: channel,
            touchpoint: optional[6],
            level: level,
            journeyId: optional[8],
            stage: optional[9],
            form: form,
            scaleDirection: scaleDirection,
            answers: answers,
            comment: optional[13],
            identity: identity,
            locale: optional[15],
            submitter: optional[16],
            honeypot: optional[17]
        )
    }
}
