import CivicModels
import Foundation

/// The survey instrument an agency fields for one service and channel: the questionnaire approved under
/// the Paperwork Reduction Act, as registered with `PUT /v1/admin/agencies/{code}/instruments/{service}/{channel}`
/// or in the registry file.
///
/// Responses for that service and channel are checked against it (form, options offered) and carry a
/// reference to it (``CivicModels/InstrumentReference``); one collected after ``expiresOn`` is flagged.
package struct InstrumentDefinition: Codable, Sendable, Hashable {
    /// The form and, for a11-v2, the trust scale.
    package var form: InstrumentForm
    /// The OMB control number of the PRA clearance: four digits, a hyphen, four digits (`1505-0286`).
    package var ombControlNumber: String
    /// The last day of the clearance, `YYYY-MM-DD`.
    package var expiresOn: String
    /// The Federal Register notice of the collection (an `https` URL), when there is one.
    package var federalRegisterURL: String?
    /// The trust question as respondents read it.
    package var trustQuestion: String
    /// The a11-v2 "what went well" options offered (none on a11-v1).
    package var wentWellOptions: [Driver]
    /// The a11-v2 "what didn't go well" options offered (none on a11-v1).
    package var didNotGoWellOptions: [Driver]
    /// The languages the instrument is fielded in, as BCP 47 tags (`en`, `es-US`).
    package var languages: [String]
    /// The Paperwork Reduction Act burden statement shown with the form, in the instrument's first language;
    /// when `nil` the hosted form shows the standard statement with the OMB control number and expiry date.
    package var praBurdenStatement: String?
    /// The trust question and burden statement in the instrument's other languages, keyed by the language tag
    /// as listed in ``languages`` (`{"es": {"trustQuestion": "…"}}`).
    package var translations: [String: InstrumentTranslation]?

    /// Creates a definition.
    package init(
        form: InstrumentForm,
        ombControlNumber: String,
        expiresOn: String,
        federalRegisterURL: String? = nil,
        trustQuestion: String,
        wentWellOptions: [Driver],
        didNotGoWellOptions: [Driver],
        languages: [String],
        praBurdenStatement: String? = nil,
        translations: [String: InstrumentTranslation]? = nil
    ) {
        self.form = form
        self.ombControlNumber = ombControlNumber
        self.expiresOn = expiresOn
        self.federalRegisterURL = federalRegisterURL
        self.trustQuestion = trustQuestion
        self.wentWellOptions = wentWellOptions
        self.didNotGoWellOptions = didNotGoWellOptions
        self.languages = languages
        self.praBurdenStatement = praBurdenStatement
        self.translations = translations
    }

    /// The trust question in `language` (one of ``languages``): its translation, or the question as registered.
    func trustQuestion(in language: String) -> String {
        translations?[language]?.trustQuestion ?? trustQuestion
    }

    /// The burden statement in `language`, when the instrument has one for it.
    func praBurdenStatement(in language: String) -> String? {
        language == languages.first ? praBurdenStatement : translations?[language]?.praBurdenStatement
    }

    /// Why this definition cannot be registered, as `field: reason`, or `nil` when it can.
    package var problem: String? {
        if !Self.isControlNumber(ombControlNumber) {
            return "ombControlNumber: \"\(ombControlNumber)\" is not an OMB control number (four digits, '-', four digits)"
        }
        if Self.endOfDay(expiresOn) == nil { return "expiresOn: \"\(expiresOn)\" is not a date (YYYY-MM-DD)" }
        if let url = federalRegisterURL {
            guard url.utf8.count <= 500, let parsed = URL(string: url), parsed.scheme == "https", parsed.host?.isEmpty == false else {
                return "federalRegisterURL: must be an https URL of at most 500 bytes"
            }
        }
        if trustQuestion.unicodeScalars.allSatisfy({ CharacterSet.whitespacesAndNewlines.contains($0) }) {
            return "trustQuestion: must not be empty"
        }
        if trustQuestion.count > 500 { return "trustQuestion: is \(trustQuestion.count) characters; the limit is 500" }
        if trustQuestion.utf8.contains(0) { return "trustQuestion: contains U+0000 (NUL)" }
        for (field, options) in [("wentWellOptions", wentWellOptions), ("didNotGoWellOptions", didNotGoWellOptions)] {
            if Set(options).count != options.count { return "\(field): lists an option more than once" }
            if form == .a11v1, !options.isEmpty { return "\(field): a11-v1 has no went-well or didn't-go-well question" }
            if form != .a11v1, options.isEmpty { return "\(field): an a11-v2 instrument offers at least one option" }
        }
        if languages.isEmpty || languages.count > 20 { return "languages: list 1 to 20 BCP 47 tags" }
        if let tag = languages.first(where: { !Self.isLanguageTag($0) }) { return "languages: \"\(tag)\" is not a BCP 47 tag" }
        if Set(languages.map { $0.lowercased() }).count != languages.count { return "languages: lists a language more than once" }
        if let statement = praBurdenStatement, let problem = Self.textProblem(statement, limit: 2_000) {
            return "praBurdenStatement: \(problem)"
        }
        for (language, translation) in translations ?? [:] {
            guard languages.contains(language), language != languages.first else {
                return "translations: \"\(language)\" is not one of the instrument's other languages"
            }
            if let text = translation.trustQuestion, let problem = Self.textProblem(text, limit: 500) {
                return "translations.\(language).trustQuestion: \(problem)"
            }
            if let text = translation.praBurdenStatement, let problem = Self.textProblem(text, limit: 2_000) {
                return "translations.\(language).praBurdenStatement: \(problem)"
            }
        }
        return nil
    }

    /// The reference a response collected at `occurredAt` carries.
    func reference(occurredAt: Date) -> InstrumentReference {
        InstrumentReference(
            form: form,
            ombControlNumber: ombControlNumber,
            expiresOn: expiresOn,
            praExpired: isExpired(at: occurredAt),
            wentWellOffered: Driver.allCases.filter(wentWellOptions.contains),
            didNotGoWellOffered: Driver.allCases.filter(didNotGoWellOptions.contains)
        )
    }

    /// Whether `date` is after the last day of the clearance (UTC).
    func isExpired(at date: Date) -> Bool {
        guard let end = Self.endOfDay(expiresOn) else { return true }
        return date >= end
    }

    /// Whole days from `date` to the end of the clearance (negative once expired).
    func daysToExpiry(from date: Date) -> Int {
        guard let end = Self.endOfDay(expiresOn) else { return 0 }
        return Int((end.timeIntervalSince(date) / 86_400).rounded(.down))
    }

    /// The instant the day after `day` (`YYYY-MM-DD`) begins, UTC; `nil` for anything but a real date.
    static func endOfDay(_ day: String) -> Date? {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard day.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]), (1900...2200).contains(year)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: dayOfMonth)
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components) else { return nil }
        return calendar.date(byAdding: .day, value: 1, to: start)
    }

    /// Why `text` cannot be shown to respondents (empty, longer than `limit` characters, or holding NUL).
    private static func textProblem(_ text: String, limit: Int) -> String? {
        if text.unicodeScalars.allSatisfy({ CharacterSet.whitespacesAndNewlines.contains($0) }) { return "must not be empty" }
        if text.count > limit { return "is \(text.count) characters; the limit is \(limit)" }
        if text.utf8.contains(0) { return "contains U+0000 (NUL)" }
        return nil
    }

    private static func isControlNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 9 && bytes[4] == UInt8(ascii: "-")
            && bytes.enumerated().allSatisfy { $0.offset == 4 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }
    }

    /// A primary language subtag of 2-3 letters and up to five subtags of 1-8 letters or digits.
    private static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.count), parts.count <= 6,
            primary.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.letters.contains($0) })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
        }
    }
}

/// An instrument's texts in one of its other languages.
package struct InstrumentTranslation: Codable, Sendable, Hashable {
    /// The trust question as respondents in this language read it.
    package var trustQuestion: String?
    /// The PRA burden statement in this language.
    package var praBurdenStatement: String?

    /// Creates a translation.
    package init(trustQuestion: String? = nil, praBurdenStatement: String? = nil) {
        self.trustQuestion = trustQuestion
        self.praBurdenStatement = praBurdenStatement
    }
}

/// An instrument as the registry holds it: its service and channel, its definition, and when it was last set.
package struct RegisteredInstrument: Codable, Sendable, Hashable {
    /// The service code.
    package var service: String
    /// The channel.
    package var channel: Channel
    /// The instrument.
    package var definition: InstrumentDefinition
    /// When it was registered or last changed (RFC 3339).
    package var updatedAt: String
    /// Whole days until its clearance expires (negative once it has).
    package var daysToExpiry: Int
    /// Whether its clearance has expired: responses collected now are flagged.
    package var praExpired: Bool
}

/// The body of `GET /v1/admin/agencies/{code}/instruments`.
package struct InstrumentList: Codable, Sendable, Hashable {
    /// The agency.
    package var agency: String
    /// Its instruments, by service and channel.
    package var instruments: [RegisteredInstrument]
}
