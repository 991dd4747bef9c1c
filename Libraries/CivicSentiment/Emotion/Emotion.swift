/// The emotions and customer-experience signals ``EmotionAnalyzer`` reports.
package enum Emotion: String, CaseIterable, Sendable, Codable, Hashable, CodingKeyRepresentable {
    /// Anger, hostility, outrage.
    case anger
    /// Fear and anxiety: worry, nervousness, dread.
    case fear
    /// Sadness: grief, despair, unhappiness.
    case sadness
    /// Joy: happiness, delight, satisfaction, relief.
    case joy
    /// Frustration and irritation (a CX signal; overlaps with anger by design).
    case frustration
    /// Confusion and uncertainty (a CX signal).
    case confusion
    /// Disappointment and dissatisfaction (a CX signal; overlaps with sadness by design).
    case disappointment
    /// Gratitude and thanks (a CX signal).
    case gratitude

    /// Bit position in an emotion mask.
    var bit: UInt8 {
        switch self {
        case .anger: 1 << 0
        case .fear: 1 << 1
        case .sadness: 1 << 2
        case .joy: 1 << 3
        case .frustration: 1 << 4
        case .confusion: 1 << 5
        case .disappointment: 1 << 6
        case .gratitude: 1 << 7
        }
    }
}

/// How one emotion shows up in one comment.
package struct EmotionSignal: Sendable, Codable, Equatable, Hashable {
    /// Matches that count: emotion words or phrases not under negation.
    package var count: Int
    /// Matches suppressed by a negation ("not frustrated"); they do not count.
    package var negated: Int
    /// Sum of the weights of the counted matches: 1 each, ×1.5 after an intensifier
    /// ("very"), ×0.5 after a dampener ("slightly"), ×1.5 when the word is in capitals
    /// in a text that is not all capitals. Multiples of 0.25, so exact in JSON.
    package var intensity: Double
    /// The distinct matched terms (lowercased), in order of first appearance, at most 8.
    package var terms: [String]

    /// Creates a signal.
    package init(count: Int = 0, negated: Int = 0, intensity: Double = 0, terms: [String] = []) {
        self.count = count
        self.negated = negated
        self.intensity = intensity
        self.terms = terms
    }

    /// Whether the emotion is expressed (at least one counted match).
    package var isExpressed: Bool { count > 0 }
}

/// The emotions found in one comment. Encodes as a JSON object keyed by emotion name that
/// holds only emotions with a counted or negated match, in ``Emotion`` declaration order.
package struct EmotionScores: Sendable, Equatable, Hashable, Codable {
    /// Signals per emotion; emotions without any match are absent.
    package private(set) var signals: [Emotion: EmotionSignal]

    /// Creates scores from signals (signals with no counted or negated match are dropped).
    package init(signals: [Emotion: EmotionSignal] = [:]) {
        self.signals = signals.filter { $0.value.count > 0 || $0.value.negated > 0 }
    }

    /// No emotion found.
    package static let none = EmotionScores()

    /// The signal for one emotion (all zero when absent).
    package subscript(_ emotion: Emotion) -> EmotionSignal {
        signals[emotion] ?? EmotionSignal()
    }

    /// The expressed emotions, in declaration order.
    package var expressed: [Emotion] {
        Emotion.allCases.filter { self[$0].isExpressed }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Emotion.CodingKeys.self)
        var signals: [Emotion: EmotionSignal] = [:]
        for emotion in Emotion.allCases {
            if let signal = try container.decodeIfPresent(EmotionSignal.self, forKey: emotion.codingKey) {
                signals[emotion] = signal
            }
        }
        self.init(signals: signals)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Emotion.CodingKeys.self)
        for emotion in Emotion.allCases {
            if let signal = signals[emotion] {
                try container.encode(signal, forKey: emotion.codingKey)
            }
        }
    }
}

extension Emotion {
    struct CodingKeys: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var codingKey: CodingKeys { CodingKeys(stringValue: rawValue) }
}
