import CivicModels

/// What reporting accepts from the scored topic before a value may reach a figure: an internal topic is
/// not a trusted one. Each number that is summed or averaged is finite and inside its documented range,
/// so no sum can overflow and no figure can leave its scale.
enum ScoredEventLimits {
    /// An emotion's intensity is a sum of match weights (at most 2.25 each) over a comment of at most a few
    /// thousand characters: far below this bound, which keeps any sum of them finite.
    static let emotionIntensities = 0.0...10_000.0
    /// A handle time: survey-intake admits at most `CIVIC_INTAKE_MAX_HANDLE_S`, itself at most a year.
    static let handleSeconds = 0.0...31_536_000.0

    /// The field at fault and why, or `nil` when every value is inside its range.
    static func problem(in event: FeedbackEvent) -> (field: String, reason: String)? {
        if let sentiment = event.sentiment {
            for (name, value, range) in [
                ("neg", sentiment.neg, 0.0...1.0), ("neu", sentiment.neu, 0.0...1.0), ("pos", sentiment.pos, 0.0...1.0),
                ("compound", sentiment.compound, -1.0...1.0),
            ] where !(value.isFinite && range.contains(value)) {
                return ("sentiment.\(name)", "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
            }
        }
        for (name, value) in event.emotions ?? [:] where !(value.isFinite && emotionIntensities.contains(value)) {
            return ("emotions", "\(name): \(value) is outside \(emotionIntensities.lowerBound)...\(emotionIntensities.upperBound)")
        }
        for (name, count) in event.redactions ?? [:] where count < 0 {
            return ("redactions", "\(name): \(count) is not a count")
        }
        if let touchpoint = event.touchpoint, !isTransactionPoint(touchpoint) { return ("touchpoint", transactionPointReason) }
        if let instrument = event.instrument {
            let control = Array(instrument.ombControlNumber.utf8)
            if !(1...40).contains(control.count) || control.contains(0) {
                return ("instrument.ombControlNumber", "must be 1 to 40 bytes without NUL")
            }
            let expiresOn = Array(instrument.expiresOn.utf8)
            if expiresOn.count != 10
                || !expiresOn.enumerated().allSatisfy({
                    [4, 7].contains($0.offset) ? $0.element == UInt8(ascii: "-") : (48...57).contains($0.element)
                })
            {
                return ("instrument.expiresOn", "\"\(instrument.expiresOn)\" is not YYYY-MM-DD")
            }
        }
        let answers = event.answers
        if let recommend = answers.recommend, !(0...10).contains(recommend) {
            return ("answers.recommend", "\(recommend) is outside 0...10")
        }
        if let trust = answers.trust {
            let range: ClosedRange<Int> =
                switch trust {
                case .thumbs: 0...1
                case .likert5, .legacy: 1...5
                }
            if !range.contains(trust.value) { return ("answers.trust", "\(trust.value) is outside \(range.lowerBound)...\(range.upperBound)") }
        }
        for (name, value) in answers.likertDrivers {
            if let value, !(1...5).contains(value) { return ("answers.\(name)", "\(value) is outside 1...5") }
        }
        return nil
    }

    /// Why a transaction point is refused.
    static let transactionPointReason = "must be 1 to 100 characters, not blank, without NUL"

    /// Whether `touchpoint` names a collection detail as survey-intake admits it: 1 to 100 characters, not
    /// blank, no NUL (an internal topic is not a trusted one).
    static func isTransactionPoint(_ touchpoint: String) -> Bool {
        (1...100).contains(touchpoint.count) && !touchpoint.utf8.contains(0)
            && touchpoint.unicodeScalars.contains { !$0.properties.isWhitespace }
    }
}
