import Foundation

/// The questionnaire an agency fields for a service and channel: which A-11 form, and for a11-v2 which
/// trust scale. An instrument's form decides which answers a response collected with it may carry.
package enum InstrumentForm: String, FeedbackVocabulary {
    /// A-11 v2 with the thumbs up / down trust question.
    case a11v2Thumbs = "a11-v2-thumbs"
    /// A-11 v2 with the 1-5 agreement trust question.
    case a11v2Likert5 = "a11-v2-likert5"
    /// The legacy A-11 v1 form: seven 1-5 Likert drivers.
    case a11v1 = "a11-v1"

    /// The response form this instrument collects.
    package var surveyForm: SurveyForm {
        switch self {
        case .a11v2Thumbs, .a11v2Likert5: .a11v2
        case .a11v1: .a11v1
        }
    }

    /// The a11-v2 trust scale, `nil` for a11-v1.
    package var trustScale: TrustScale? {
        switch self {
        case .a11v2Thumbs: .thumbs
        case .a11v2Likert5: .likert5
        case .a11v1: nil
        }
    }
}

/// The survey instrument a response was collected with, as survey-intake's registry held it when the
/// response arrived: its form, its Paperwork Reduction Act clearance, and the a11-v2 options it offers.
///
/// survey-intake adds it (from the instrument registered for the response's agency, service and channel)
/// and every later stage carries it, so reporting can tell an option not offered (`null` in the Touchpoints
/// upload) from one offered and not chosen (`0`), and count responses collected after the clearance expired.
package struct InstrumentReference: Codable, Sendable, Hashable {
    /// The instrument's form.
    package var form: InstrumentForm
    /// The OMB control number of the PRA clearance, for example `1505-0286`.
    package var ombControlNumber: String
    /// The last day of the clearance, `YYYY-MM-DD`.
    package var expiresOn: String
    /// Whether the response was collected after the clearance expired (its `occurredAt` later than the end of
    /// `expiresOn`, UTC).
    package var praExpired: Bool
    /// The a11-v2 "what went well" options offered (empty on a11-v1).
    package var wentWellOffered: [Driver]
    /// The a11-v2 "what didn't go well" options offered (empty on a11-v1).
    package var didNotGoWellOffered: [Driver]

    /// Creates a reference.
    package init(
        form: InstrumentForm,
        ombControlNumber: String,
        expiresOn: String,
        praExpired: Bool,
        wentWellOffered: [Driver],
        didNotGoWellOffered: [Driver]
    ) {
        self.form = form
        self.ombControlNumber = ombControlNumber
        self.expiresOn = expiresOn
        self.praExpired = praExpired
        self.wentWellOffered = wentWellOffered
        self.didNotGoWellOffered = didNotGoWellOffered
    }
}
