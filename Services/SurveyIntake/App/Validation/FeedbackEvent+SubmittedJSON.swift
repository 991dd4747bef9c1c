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
        var reader = JSONByteReader(bytes: bytes)
        guard let event = reader.submittedEvent(), reader.atEnd() else { return nil }
        self = event
    }
}

/// A cursor over JSON bytes that reads the submitted response's shape and gives up (returns `nil`) at the
/// first thing it does not expect.
private struct JSONByteReader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipSpace()
        return index == bytes.count
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// `null`, consumed, if it is next.
    private mutating func null() -> Bool {
        skipSpace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    /// Reads `{ "key": value, ... }`, calling `field` with each key's name; `field` reads the value and
    /// returns `false` to give up. Each key may appear once (`keys` lists them; any other key gives up).
    private mutating func object(keys: [StaticString], _ field: (inout JSONByteReader, Int) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        var seen: UInt64 = 0
        repeat {
            guard let key = keyIndex(keys), seen & (1 << key) == 0, consume(UInt8(ascii: ":")) else { return false }
            seen |= 1 << key
            guard field(&self, key) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// The position in `keys` of the next key, which must be a plain (unescaped) string.
    private mutating func keyIndex(_ keys: [StaticString]) -> Int? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let key = bytes[start..<index]
        index += 1
        return keys.firstIndex { name in
            name.withUTF8Buffer { $0.elementsEqual(key) }
        }
    }

    /// A string value, unescaped; `nil` for anything else (including `null`) or a malformed string.
    mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var start = index
        var decoded: [UInt8]?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                guard var decoded else { return String(decoding: bytes[start..<index], as: UTF8.self) }
                decoded.append(contentsOf: bytes[start..<index])
                return String(decoding: decoded, as: UTF8.self)
            }
            guard byte >= 0x20 else { return nil }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            var output = decoded ?? []
            output.append(contentsOf: bytes[start..<index])
            index += 1
            guard index < bytes.count else { return nil }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard let scalar = unicodeEscape() else { return nil }
                output.append(contentsOf: String(Character(scalar)).utf8)
            default: return nil
            }
            decoded = output
            start = index
        }
        return nil
    }

    /// The scalar of `XXXX` (after `\u`), joining a surrogate pair written as two escapes.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if high < 0xD800 || high > 0xDFFF { return Unicode.Scalar(high) }
        guard high <= 0xDBFF, index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        else { return nil }
        index += 2
        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A plain integer (`-?[1-9][0-9]*` or `0`, at most 18 digits); `nil` for anything else.
    mutating func integer() -> Int? {
        skipSpace()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            // Past 18 digits the value could overflow; such a number is left to the decoder.
            guard index - start < 18 else { return nil }
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        let digits = index - start
        guard digits >= 1, !(digits > 1 && bytes[start] == UInt8(ascii: "0")), !(negative && value == 0) else { return nil }
        // A fraction or an exponent follows: not a plain integer.
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
        return negative ? -value : value
    }

    /// A vocabulary value by its raw name.
    mutating func vocabulary<Value: RawRepresentable>(_ type: Value.Type) -> Value? where Value.RawValue == String {
        string().flatMap(Value.init(rawValue:))
    }

    /// An optional value: `nil` JSON gives `.some(nil)`, a value gives `.some(value)`, anything unreadable `nil`.
    mutating func optional<Value>(_ read: (inout JSONByteReader) -> Value?) -> Value?? {
        if null() { return .some(nil) }
        guard let value = read(&self) else { return nil }
        return .some(value)
    }

    private mutating func drivers() -> [Driver]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var drivers: [Driver] = []
        if consume(UInt8(ascii: "]")) { return drivers }
        repeat {
            guard let driver = vocabulary(Driver.self) else { return nil }
            drivers.append(driver)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? drivers : nil
    }

    private mutating func trust() -> TrustAnswer? {
        skipSpace()
        guard index < bytes.count else { return nil }
        if bytes[index] != UInt8(ascii: "{") { return integer().map(TrustAnswer.legacy) }
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

    private mutating func answers() -> Answers? {
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

    private mutating func identity() -> IdentityAssertion? {
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

    private static let eventKeys: [StaticString] = [
        "schema", "eventId", "occurredAt", "agency", "service", "channel", "touchpoint", "level", "journeyId", "stage", "form",
        "scaleDirection", "answers", "comment", "identity", "locale", "submitter", "honeypot",
    ]

    /// The submitted event, with every required field present.
    mutating func submittedEvent() -> FeedbackEvent? {
        var schema: String?
        var eventId: String?
        var occurredAt: Date?
        var agency: String?
        var service: String?
        var channel: Channel?
        var level: MeasurementLevel?
        var form: SurveyForm?
        var answers: Answers?
        var optional: [String?] = Array(repeating: nil, count: Self.eventKeys.count)
        var scaleDirection: ScaleDirection?
        var identity: IdentityAssertion?
        let complete = object(keys: Self.eventKeys) { reader, key in
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
