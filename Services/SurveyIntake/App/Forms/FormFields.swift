import CivicModels
import CivicRuntime
import Foundation

/// The fields of a form submission, each name with its values in order: from an
/// `application/x-www-form-urlencoded` body (the plain form, without JavaScript) or a JSON object of strings
/// and arrays of strings (the embed script).
struct FormFields: Sendable, Equatable {
    private(set) var values: [String: [String]] = [:]

    init() {}

    /// The fields of a URL-encoded body; `nil` when it is not UTF-8 or not URL-encoded.
    init?(urlEncoded body: [UInt8]) {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else { return nil }
            values[name, default: []].append(value)
        }
    }

    /// The fields of a JSON object whose values are strings, numbers or arrays of them; `nil` otherwise.
    init?(json body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        for (name, value) in object {
            let list = value as? [Any] ?? [value]
            for item in list {
                switch item {
                case let text as String: values[name, default: []].append(text)
                case let number as NSNumber: values[name, default: []].append(number.stringValue)
                default: return nil
                }
            }
        }
    }

    /// The first value of `name`.
    func first(_ name: String) -> String? { values[name]?.first }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The event id the device made (`[A-Za-z0-9._:-]`, 8 to 100 characters), or `nil`.
    var eventId: String? {
        guard let id = first("eventId"), (8...100).contains(id.utf8.count),
            id.utf8.allSatisfy({ b in (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || "-_.:".utf8.contains(b) }
            )
        else { return nil }
        return id
    }

    /// The submitted survey response these fields make for `form`'s instrument, as the JSON every other route
    /// takes (`cx.feedback.submitted/1`): it then goes through the same validation as any response.
    ///
    /// The A-11 v2 display logic is applied as the form shows it: after a favourable trust answer only the
    /// went-well options count, after any other only the didn't-go-well ones (a page without JavaScript and
    /// without `:has()` shows both).
    func event(
        eventId: String,
        occurredAt: Date,
        form: FormKeyStore.Form,
        instrument: InstrumentDefinition,
        locale: String
    ) -> [UInt8] {
        var answers: [String: Any] = [:]
        func number(_ name: String) -> Int? { first(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        switch instrument.form {
        case .a11v2Thumbs, .a11v2Likert5:
            let scale = instrument.form == .a11v2Thumbs ? "thumbs" : "likert5"
            if let trust = number("trust") {
                answers["trust"] = ["scale": scale, "value": trust] as [String: Any]
                let favourable = instrument.form == .a11v2Thumbs ? trust == 1 : trust >= 4
                let kept = favourable ? "wentWell" : "didNotGoWell"
                if !all(kept).isEmpty { answers[kept] = all(kept) }
            }
        case .a11v1:
            for name in ["satisfaction", "trust", "effectiveness", "ease", "efficiency", "transparency", "employee"] {
                if let value = number(name) { answers[name] = value }
            }
        }
        if let recommend = number("recommend") { answers["recommend"] = recommend }
        var object: [String: Any] = [
            "schema": SchemaVersion.submitted, "eventId": eventId, "occurredAt": Timestamp.format(occurredAt),
            "agency": form.agency, "service": form.service, "channel": form.channel.rawValue, "level": "transaction",
            "form": instrument.form.surveyForm.rawValue, "answers": answers, "locale": locale,
        ]
        if instrument.form == .a11v1 { object["scaleDirection"] = ScaleDirection.agreeHigh.rawValue }
        if let comment = first("comment")?.trimmingCharacters(in: .whitespacesAndNewlines), !comment.isEmpty { object["comment"] = comment }
        if let honeypot = first("website") { object["honeypot"] = honeypot }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
