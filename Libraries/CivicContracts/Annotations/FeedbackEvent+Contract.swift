import CivicJSON
import CivicModels

extension FeedbackEvent: ContractDescribed {
    /// The A-11 Section 280 rules between fields (DESIGN.md), as JSON Schema: which answers each form takes.
    package static var contractNotes: ContractNotes {
        let legacyDrivers = Answers().likertDrivers.map(\.name)
        let legacyOnly = legacyDrivers.filter { $0 != "trust" }
        var v2Answers = JSONObject()
        v2Answers["trust"] = ["type": "object"]
        v2Answers["wentWell"] = ["uniqueItems": true]
        v2Answers["didNotGoWell"] = ["uniqueItems": true]
        for name in legacyOnly { v2Answers[name] = ["type": "null"] }
        let answeredOne = JSONValue.array(
            legacyDrivers.map { name in ["required": .strings([name]), "properties": .object([name: ["type": "integer"]])] }
        )
        return ContractNotes(
            "A survey response (A-11 Section 280). Agencies publish the submitted form; each stage re-publishes it "
                + "under its own schema with what it adds."
        )
        .field("schema", "The schema identifier of this event.")
        .field("eventId", "The agency's unique id for this response; replays and re-posts count once.", length: 1...200, pattern: "\\S")
        .field("occurredAt", "When the respondent answered (RFC 3339 with a time zone).")
        .field("agency", "The agency's registered code, for example IRS.", length: 1...100, pattern: "\\S")
        .field("service", "The agency's registered service, for example free-file.", length: 1...100, pattern: "\\S")
        .field("channel", "The delivery channel.")
        .field(
            "touchpoint",
            "The transaction point: where in the service the survey was offered, for example after-filing.",
            length: 1...100,
            pattern: "\\S"
        )
        .field("level", "The A-11 measurement level.")
        .field("journeyId", "The journey this response belongs to; required when level is journey.")
        .field("stage", "The journey stage.")
        .field("form", "The A-11 form: a11-v2 (current) or a11-v1 (legacy).")
        .field("scaleDirection", "a11-v1 only, required there: which end of the 1-5 scale means strongly agree.")
        .field("answers", "The answers; which ones depends on form.")
        .field("comment", "The open comment (A-11 v2 Q4). After identity-verify, PII is replaced by typed placeholders.")
        .field("identity", "The respondent's sign-in assertion; removed by identity-verify and never stored.")
        .field("locale", "The response's language as a BCP 47 tag, for example en-US.")
        .field("submitter", "Opaque id of the submitting device, session or client, used only for spam bursts.")
        .field("honeypot", "A web form's hidden honeypot field; a non-empty value flags the response as spam.")
        .field("receivedAt", "When survey-intake first received the response.")
        .field("spam", "Survey-intake's spam assessment.")
        .field("instrument", "The instrument registered for the agency, service and channel, added by survey-intake when there is one.")
        .field("respondent", "The pseudonymous respondent, added by identity-verify.")
        .field("redactions", "How many PII items of each kind identity-verify redacted from the comment.")
        .field("sentiment", "VADER sentiment of the comment, when it was scored.")
        .field("emotions", "Share of the comment expressing each emotion, by name.")
        .field("scorer", "Which scorer produced the scores, and why a comment was left unscored.")
        .rule([
            "if": ["properties": ["level": ["const": .string(MeasurementLevel.journey.rawValue)]], "required": ["level"]],
            "then": ["required": ["journeyId"], "properties": ["journeyId": ["type": "string", "minLength": 1]]],
        ])
        .rule([
            "if": ["properties": ["form": ["const": .string(SurveyForm.a11v2.rawValue)]], "required": ["form"]],
            "then": [
                "properties": [
                    "scaleDirection": ["type": "null"],
                    "answers": ["required": ["trust"], "properties": .object(v2Answers)],
                ]
            ],
        ])
        .rule([
            "if": ["properties": ["form": ["const": .string(SurveyForm.a11v1.rawValue)]], "required": ["form"]],
            "then": [
                "required": ["scaleDirection"],
                "properties": [
                    "scaleDirection": ["type": "string"],
                    "answers": [
                        "properties": [
                            "trust": ["type": ["integer", "null"]],
                            "wentWell": ["type": "null"],
                            "didNotGoWell": ["type": "null"],
                        ],
                        "anyOf": answeredOne,
                    ],
                ],
            ],
        ])
    }
}

extension Answers: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes(
            "The answers of an A-11 form. a11-v2 uses trust ({scale, value}), wentWell and didNotGoWell; a11-v1 uses "
                + "trust as a bare 1-5 number and the six other Likert drivers. Any form may carry recommend."
        )
        .field("trust", "Q1 trust: thumbs (0/1) or likert5 (1-5) on a11-v2, a bare 1-5 Likert answer on a11-v1.")
        .field("wentWell", "a11-v2 Q2: drivers that went well.", uniqueItems: true)
        .field("didNotGoWell", "a11-v2 Q3: drivers that did not go well.", uniqueItems: true)
        .field("satisfaction", "a11-v1 Q1: satisfaction, 1-5.", range: 1...5)
        .field("effectiveness", "a11-v1 Q3: effectiveness, 1-5.", range: 1...5)
        .field("ease", "a11-v1 Q4: ease, 1-5.", range: 1...5)
        .field("efficiency", "a11-v1 Q5: efficiency, 1-5.", range: 1...5)
        .field("transparency", "a11-v1 Q6: transparency, 1-5.", range: 1...5)
        .field("employee", "a11-v1 Q7: employee, 1-5.", range: 1...5)
        .field("recommend", "Likelihood to recommend, 0-10 (NPS).", range: 0...10)
    }
}

extension TrustAnswer: SchemaProviding {
    package static var schemaSample: TrustAnswer { .legacy(1) }

    /// A bare 1-5 number (a11-v1) or `{"scale": "thumbs"|"likert5", "value": n}` (a11-v2): the custom
    /// `init(from:)` accepts both, which probing cannot see.
    package static func jsonSchema(using builder: inout JSONSchemaBuilder) throws -> JSONValue {
        func scaled(_ scale: TrustScale, _ range: ClosedRange<Int>, _ description: String) -> JSONValue {
            [
                "type": "object",
                "description": .string(description),
                "properties": [
                    "scale": ["const": .string(scale.rawValue)],
                    "value": ["type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound)],
                ],
                "required": ["scale", "value"],
            ]
        }
        return [
            "description": "The trust answer: a bare number on a11-v1 forms, {scale, value} on a11-v2 forms.",
            "oneOf": [
                ["type": "integer", "minimum": 1, "maximum": 5, "description": "a11-v1: 1-5 Likert answer."],
                scaled(.thumbs, 0...1, "a11-v2 thumbs: 1 up, 0 down."),
                scaled(.likert5, 1...5, "a11-v2 1-5 agreement."),
            ],
        ]
    }
}
