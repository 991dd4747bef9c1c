import CivicModels

extension Channel: ContractDescribed {
    package static var contractNotes: ContractNotes {
        let digital = allCases.filter(\.isDigital).map(\.rawValue).joined(separator: ", ")
        return ContractNotes("The channel through which the service was delivered. Digital channels: \(digital).")
    }
}

extension MeasurementLevel: ContractDescribed {
    package static var contractNotes: ContractNotes { ContractNotes("The A-11 measurement level of a response.") }
}

extension SurveyForm: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("The A-11 Section 280 form: a11-v2 (current, since fall 2023) or a11-v1 (legacy, seven Likert drivers).")
    }
}

extension InstrumentForm: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("A survey instrument's form: a11-v2 with the thumbs or the 1-5 trust question, or the legacy a11-v1.")
    }
}

extension ScaleDirection: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("Which end of a legacy 1-5 scale means strongly agree; intake normalises agree-low to agree-high.")
    }
}

extension Driver: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("An A-11 driver offered in the a11-v2 what went well / what didn't go well checkboxes.")
    }
}

extension TrustScale: ContractDescribed {
    package static var contractNotes: ContractNotes { ContractNotes("The scale of the a11-v2 trust question.") }
}

extension RespondentStatus: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("How identity-verify describes a respondent: verified, anonymous (no token) or refused.")
    }
}

extension IdentityResultStatus: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("The outcome of an identity request: verified, refused, expired (missed the deadline) or invalid.")
    }
}

extension SpamReason: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("Why survey-intake flagged a response as spam.")
    }
}

extension ScorerInfo.UnscoredReason: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("Why sentiment-scorer left a response unscored; no_comment is not counted as unscored.")
    }
}
