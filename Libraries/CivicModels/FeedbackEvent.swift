import Foundation

/// A survey response as it travels the pipeline.
///
/// Each agency publishes it to its own topic (``CivicTopic/submitted(agency:)``) with schema ``SchemaVersion/submitted`` (the JSON
/// contract in DESIGN.md). Each stage re-publishes the same fields under its own schema and adds what it
/// knows: survey-intake adds ``receivedAt``, ``spam`` and ``instrument``; identity-verify removes ``identity`` and adds
/// ``respondent`` and ``redactions``; sentiment-scorer adds ``sentiment``, ``emotions`` and ``scorer``.
package struct FeedbackEvent: Codable, Sendable, Hashable {
    /// The schema identifier, for example `cx.feedback.submitted/1`.
    package var schema: String
    /// The agency's unique id for this response; replays and re-posts with the same id count once.
    package var eventId: String
    /// When the respondent answered (may be days earlier for apps that queue answers offline).
    package var occurredAt: Date
    /// The agency's registered code, for example `IRS`.
    package var agency: String
    /// The agency's registered service, for example `free-file`.
    package var service: String
    /// The delivery channel.
    package var channel: Channel
    /// Where in the service the survey was offered, for example `after-filing`.
    package var touchpoint: String?
    /// The measurement level.
    package var level: MeasurementLevel
    /// The journey this response belongs to (journey level).
    package var journeyId: String?
    /// The journey stage (journey level).
    package var stage: String?
    /// The A-11 form.
    package var form: SurveyForm
    /// Scale direction of a legacy (v1) form. After intake it is always `agree-high`.
    package var scaleDirection: ScaleDirection?
    /// The answers.
    package var answers: Answers
    /// The open comment. After identity-verify, PII in it is replaced by typed placeholders.
    package var comment: String?
    /// The respondent's identity assertion; removed by identity-verify and never stored.
    package var identity: IdentityAssertion?
    /// The response's language, as a BCP 47 tag such as `en-US`.
    package var locale: String?
    /// An opaque id of the device, session or client that submitted the response (for example an app
    /// install id or a keyed hash of the client address), used only to flag bursts from one source as
    /// spam. survey-intake fills it for HTTP submissions that leave it out.
    package var submitter: String?
    /// A web form's hidden honeypot field: people leave it empty, form-filling bots do not. A non-empty
    /// value flags the response as spam. survey-intake removes it before forwarding.
    package var honeypot: String?

    // MARK: Added by survey-intake
    /// When survey-intake first received the response.
    package var receivedAt: Date?
    /// Survey-intake's spam assessment.
    package var spam: SpamAssessment?
    /// The instrument registered for the response's agency, service and channel, when there is one.
    package var instrument: InstrumentReference?

    // MARK: Added by identity-verify
    /// The pseudonymous respondent.
    package var respondent: Respondent?
    /// How many PII items of each kind were redacted from the comment.
    package var redactions: [String: Int]?

    // MARK: Added by sentiment-scorer
    /// VADER sentiment of the comment, when it was scored.
    package var sentiment: SentimentScores?
    /// Emotions expressed in the comment, by name.
    package var emotions: [String: Double]?
    /// Which scorer produced the scores, and why a comment was left unscored.
    package var scorer: ScorerInfo?

    /// Creates an event.
    package init(
        schema: String = SchemaVersion.submitted,
        eventId: String,
        occurredAt: Date,
        agency: String,
        service: String,
        channel: Channel,
        touchpoint: String? = nil,
        level: MeasurementLevel = .transaction,
        journeyId: String? = nil,
        stage: String? = nil,
        form: SurveyForm,
        scaleDirection: ScaleDirection? = nil,
        answers: Answers,
        comment: String? = nil,
        identity: IdentityAssertion? = nil,
        locale: String? = nil,
        submitter: String? = nil,
        honeypot: String? = nil
    ) {
        self.schema = schema
        self.eventId = eventId
        self.occurredAt = occurredAt
        self.agency = agency
        self.service = service
        self.channel = channel
        self.touchpoint = touchpoint
        self.level = level
        self.journeyId = journeyId
        self.stage = stage
        self.form = form
        self.scaleDirection = scaleDirection
        self.answers = answers
        self.comment = comment
        self.identity = identity
        self.locale = locale
        self.submitter = submitter
        self.honeypot = honeypot
    }
}

/// The answers of an A-11 form. v2 forms use ``trust``, ``wentWell`` and ``didNotGoWell``; v1 forms use
/// ``trust`` (as a plain 1-5 number) and the six other Likert drivers. Any form may carry ``recommend``.
package struct Answers: Codable, Sendable, Hashable {
    /// Q1 trust: thumbs or 1-5 on v2 forms, a 1-5 Likert answer on v1 forms.
    package var trust: TrustAnswer?
    /// v2 Q2: drivers that went well.
    package var wentWell: [Driver]?
    /// v2 Q3: drivers that did not go well.
    package var didNotGoWell: [Driver]?
    /// v1 Q1: satisfaction, 1-5.
    package var satisfaction: Int?
    /// v1 Q3: effectiveness, 1-5.
    package var effectiveness: Int?
    /// v1 Q4: ease, 1-5.
    package var ease: Int?
    /// v1 Q5: efficiency, 1-5.
    package var efficiency: Int?
    /// v1 Q6: transparency, 1-5.
    package var transparency: Int?
    /// v1 Q7: employee, 1-5.
    package var employee: Int?
    /// Likelihood to recommend, 0-10 (NPS).
    package var recommend: Int?

    /// Creates answers.
    package init(
        trust: TrustAnswer? = nil,
        wentWell: [Driver]? = nil,
        didNotGoWell: [Driver]? = nil,
        satisfaction: Int? = nil,
        effectiveness: Int? = nil,
        ease: Int? = nil,
        efficiency: Int? = nil,
        transparency: Int? = nil,
        employee: Int? = nil,
        recommend: Int? = nil
    ) {
        self.trust = trust
        self.wentWell = wentWell
        self.didNotGoWell = didNotGoWell
        self.satisfaction = satisfaction
        self.effectiveness = effectiveness
        self.ease = ease
        self.efficiency = efficiency
        self.transparency = transparency
        self.employee = employee
        self.recommend = recommend
    }

    /// The v1 Likert drivers with their values, in A-11 question order (trust included).
    package var likertDrivers: [(name: String, value: Int?)] {
        [
            ("satisfaction", satisfaction), ("trust", trust?.legacyValue), ("effectiveness", effectiveness),
            ("ease", ease), ("efficiency", efficiency), ("transparency", transparency), ("employee", employee),
        ]
    }
}

/// The trust answer: `{"scale": "thumbs"|"likert5", "value": n}` on v2 forms, a bare number on v1 forms.
package enum TrustAnswer: Codable, Sendable, Hashable {
    /// v2 thumbs: 1 up, 0 down.
    case thumbs(Int)
    /// v2 1-5 agreement.
    case likert5(Int)
    /// v1 1-5 Likert answer (bare number in JSON).
    case legacy(Int)

    private enum CodingKeys: String, CodingKey { case scale, value }

    package init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let number = try? single.decode(Int.self) {
            self = .legacy(number)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let value = try container.decode(Int.self, forKey: .value)
        switch try container.decode(TrustScale.self, forKey: .scale) {
        case .thumbs: self = .thumbs(value)
        case .likert5: self = .likert5(value)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        switch self {
        case .legacy(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .thumbs(let value):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(TrustScale.thumbs, forKey: .scale)
            try container.encode(value, forKey: .value)
        case .likert5(let value):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(TrustScale.likert5, forKey: .scale)
            try container.encode(value, forKey: .value)
        }
    }

    /// The answered value.
    package var value: Int {
        switch self {
        case .thumbs(let value), .likert5(let value), .legacy(let value): value
        }
    }

    /// The value if this is a v1 answer.
    package var legacyValue: Int? {
        if case .legacy(let value) = self { return value }
        return nil
    }

    /// Whether the answer is favourable: thumbs up, or 4-5 (top two boxes).
    package var isFavourable: Bool {
        switch self {
        case .thumbs(let value): value == 1
        case .likert5(let value), .legacy(let value): value >= 4
        }
    }
}

/// A signed identity assertion from the respondent's sign-in (an OIDC id_token).
package struct IdentityAssertion: Codable, Sendable, Hashable {
    /// The compact-serialised JWT.
    package var idToken: String

    /// Creates an assertion.
    package init(idToken: String) { self.idToken = idToken }
}

/// Survey-intake's spam verdict. Flagged responses are stored and reviewable but never counted.
package struct SpamAssessment: Codable, Sendable, Hashable {
    /// Whether the response is kept out of every figure.
    package var flagged: Bool
    /// Why, as machine-readable reasons (for example `repeated_text`).
    package var reasons: [SpamReason]

    /// Creates an assessment.
    package init(flagged: Bool, reasons: [SpamReason]) {
        self.flagged = flagged
        self.reasons = reasons
    }
}

/// The respondent as identity-verify describes it: a keyed pseudonym, never the identity itself.
package struct Respondent: Codable, Sendable, Hashable {
    /// `verified`, `anonymous` (no token) or `refused` (a token that failed verification).
    package var status: RespondentStatus
    /// The pseudonym under the current key version, when verified.
    package var pseudonym: String?
    /// Pseudonyms under retained older key versions, so links survive a key rotation.
    package var previousPseudonyms: [String]?
    /// Identity assurance level, for example `IAL2`.
    package var ial: String?
    /// Authentication assurance level, for example `AAL2`.
    package var aal: String?
    /// Why a token was refused, as a machine-readable code.
    package var refusal: String?

    /// Creates a respondent description.
    package init(
        status: RespondentStatus,
        pseudonym: String? = nil,
        previousPseudonyms: [String]? = nil,
        ial: String? = nil,
        aal: String? = nil,
        refusal: String? = nil
    ) {
        self.status = status
        self.pseudonym = pseudonym
        self.previousPseudonyms = previousPseudonyms
        self.ial = ial
        self.aal = aal
        self.refusal = refusal
    }
}

/// VADER sentiment scores.
package struct SentimentScores: Codable, Sendable, Hashable {
    /// Share of negative valence.
    package var neg: Double
    /// Share of neutral tokens.
    package var neu: Double
    /// Share of positive valence.
    package var pos: Double
    /// Normalised compound score in [-1, 1].
    package var compound: Double

    /// Creates scores.
    package init(neg: Double, neu: Double, pos: Double, compound: Double) {
        self.neg = neg
        self.neu = neu
        self.pos = pos
        self.compound = compound
    }
}

/// Which scorer scored a comment.
package struct ScorerInfo: Codable, Sendable, Hashable {
    /// The scorer version.
    package var version: String
    /// Why sentiment was not scored (for example `non_english`), when it was not.
    package var unscoredReason: UnscoredReason?

    /// Creates scorer information.
    package init(version: String, unscoredReason: UnscoredReason? = nil) {
        self.version = version
        self.unscoredReason = unscoredReason
    }
}
