/// A closed vocabulary decoded from a JSON string, with an error that names the accepted values.
package protocol FeedbackVocabulary: RawRepresentable, CaseIterable, Codable, Hashable, Sendable
where RawValue == String {}

extension FeedbackVocabulary {
    /// The accepted values, comma-separated, for error messages.
    package static var acceptedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not one of \(Self.acceptedValues)"
            )
        }
        self = value
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The channel through which the service was delivered.
package enum Channel: String, FeedbackVocabulary {
    case web, mobile, phone
    case inPerson = "in-person"
    case email, chat, mail, kiosk

    /// Whether the channel counts as digital for the digital adoption rate (web, mobile, email, chat, kiosk).
    package var isDigital: Bool {
        switch self {
        case .web, .mobile, .email, .chat, .kiosk: true
        case .phone, .inPerson, .mail: false
        }
    }
}

/// The A-11 measurement level of a response.
package enum MeasurementLevel: String, FeedbackVocabulary {
    case transaction, journey, relationship
}

/// The A-11 Section 280 form a response was collected with.
package enum SurveyForm: String, FeedbackVocabulary {
    /// The current form (since fall 2023): trust, what went well / what didn't, comment.
    case a11v2 = "a11-v2"
    /// The legacy form: seven 1-5 Likert drivers.
    case a11v1 = "a11-v1"
}

/// Which end of a legacy 1-5 scale means "strongly agree".
package enum ScaleDirection: String, FeedbackVocabulary {
    /// 5 = strongly agree (Touchpoints' convention, and the normalised form).
    case agreeHigh = "agree-high"
    /// 1 = strongly agree; intake normalises these answers to agree-high.
    case agreeLow = "agree-low"
}

/// The A-11 drivers offered in the v2 "what went well" / "what didn't go well" checkboxes.
package enum Driver: String, FeedbackVocabulary {
    case effectiveness, ease, efficiency, transparency, humanity, employee, other
}

/// The scale of the v2 trust question.
package enum TrustScale: String, FeedbackVocabulary {
    /// Thumbs up (1) or down (0).
    case thumbs
    /// 1-5 agreement.
    case likert5
}
