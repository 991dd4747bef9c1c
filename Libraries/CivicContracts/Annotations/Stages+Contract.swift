import CivicJSON
import CivicModels

extension IdentityAssertion: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("A signed identity assertion from the respondent's sign-in.")
            .field("idToken", "The compact-serialised OIDC id_token (RS256 JWT).", length: 1...16_384)
    }
}

extension SpamAssessment: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("Survey-intake's spam verdict. Flagged responses are kept for review but never counted.")
            .field("flagged", "Whether the response is kept out of every figure.")
            .field("reasons", "Machine-readable reasons, for example repeated_text.")
    }
}

extension InstrumentReference: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes(
            "The survey instrument a response was collected with, as survey-intake's registry held it: its form, its PRA "
                + "clearance, and the a11-v2 options it offers (an option not offered is null in the Touchpoints upload)."
        )
        .field("form", "The instrument's form and, for a11-v2, its trust scale.")
        .field("ombControlNumber", "The OMB control number of the Paperwork Reduction Act clearance.", length: 1...40)
        .field("expiresOn", "The last day of the clearance (YYYY-MM-DD).", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        .field("praExpired", "Whether the response was collected after the clearance expired.")
        .field("wentWellOffered", "The what went well options the instrument offers (empty on a11-v1).", uniqueItems: true)
        .field("didNotGoWellOffered", "The what didn't go well options the instrument offers (empty on a11-v1).", uniqueItems: true)
    }
}

extension Respondent: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("The respondent as identity-verify describes it: a keyed pseudonym, never the identity itself.")
            .field(
                "status",
                "verified, anonymous (no token) or refused (a token that failed verification).",
                examples: ["verified", "anonymous", "refused"]
            )
            .field("pseudonym", "HMAC pseudonym under the current key version, when verified.")
            .field("previousPseudonyms", "Pseudonyms under retained older key versions, so links survive a key rotation.")
            .field("ial", "Identity assurance level, for example IAL2.")
            .field("aal", "Authentication assurance level, for example AAL2.")
            .field("refusal", "Why a token was refused, as a machine-readable code.")
    }
}

extension SentimentScores: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("VADER sentiment scores of the comment.")
            .field("neg", "Share of negative valence.", range: 0...1)
            .field("neu", "Share of neutral tokens.", range: 0...1)
            .field("pos", "Share of positive valence.", range: 0...1)
            .field("compound", "Normalised compound score.", range: -1...1)
    }
}

extension ScorerInfo: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("Which scorer scored a comment.")
            .field("version", "The scorer version.")
            .field("unscoredReason", "Why sentiment was not scored (for example non_english), when it was not.")
    }
}

extension RejectedFeedback: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes(
            "An input that could not be accepted, with the reason and the original bytes (identity credentials removed), so nothing is dropped silently."
        )
        .field("schema", "The schema identifier of this event.")
        .field("code", "Machine-readable reason, for example out_of_range.", examples: ["out_of_range", "missing_field"])
        .field("field", "The offending field as a dotted path, for example answers.ease, when one field is to blame.")
        .field("reason", "Human-readable reason naming the field, for example answers.ease: 7 is outside 1...5.")
        .field("source", "Where the input came from: a topic position or an HTTP request.")
        .field(
            "original",
            "The original bytes, base64-encoded, with the value of every identity credential member (identity, idToken, id_token, ...) replaced by \"[REMOVED]\" and anything shaped like a JWT by [TOKEN].",
            pattern: "^[A-Za-z0-9+/]*={0,2}$"
        )
        .field("eventId", "The event id, when it could be read.")
        .field("rejectedAt", "When it was rejected.")
    }
}

extension RejectedFeedback.Source: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("Where a rejected input came from: a topic position, or an HTTP request id.")
            .field("topic", "Source topic.")
            .field("partition", "Source partition.")
            .field("offset", "Source offset.")
            .field("httpRequestId", "The HTTP request id, for input POSTed to survey-intake.")
    }
}

extension OperationsEvent: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("A contact-centre or digital transaction, for first-contact resolution, handle time and digital adoption.")
            .field("schema", "The schema identifier of this event.")
            .field("eventId", "Unique id of this event.", length: 1...200, pattern: "\\S")
            .field("occurredAt", "When the transaction happened (RFC 3339 with a time zone).")
            .field("agency", "Agency code, for example SSA.", length: 1...100, pattern: "\\S")
            .field("service", "The agency's service, for example retirement-benefits.", length: 1...100, pattern: "\\S")
            .field("channel", "The channel of the transaction.")
            .field("touchpoint", "The transaction point within the service and channel, as responses name it.", length: 1...100, pattern: "\\S")
            .field("contactId", "The agency's contact id.")
            .field("handleSeconds", "Handle time in seconds.")
            .field("resolvedFirstContact", "Whether the contact was resolved on first contact.")
            .field("surveyOffered", "Whether the customer was offered the CX survey after this transaction.")
    }
}

extension IdentityRequest: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("A request to the shared identity-verification service; the answer arrives by correlation id.")
            .field("schema", "The schema identifier of this event.")
            .field("correlationId", "The caller's id for this request, echoed in the result.")
            .field("idToken", "The compact-serialised OIDC id_token.")
            .field("agency", "The agency asking, whose policy (minimum assurance) applies.")
            .field("requestedAt", "When the caller sent it; requests older than the reply deadline are answered expired.")
    }
}

extension IdentityResult: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("identity-verify's answer to an identity request. It never carries the token or the subject.")
            .field("schema", "The schema identifier of this event.")
            .field("correlationId", "The request's correlation id.")
            .field(
                "status",
                "verified, refused, expired (the request missed the deadline) or invalid (unreadable request).",
                examples: ["verified", "refused", "expired", "invalid"]
            )
            .field("respondent", "Pseudonyms and assurance, when verified.")
            .field("refusal", "The refusal code, when refused (for example expired, bad_signature).")
            .field("reason", "A human-readable reason for any status but verified.")
            .field("answeredAt", "When the service answered.")
    }
}

extension ErasureRequest: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("A request to erase an agency's events from every stage (a respondent's deletion request, a withdrawn submission).")
            .field("schema", "The schema identifier of this event.")
            .field("requestId", "The requester's id for this request, kept with each tombstone.", length: 1...500, pattern: "\\S")
            .field("agency", "The agency whose events these are.", length: 1...100, pattern: "\\S")
            .field("eventIds", "The events' ids (1 to 2,000; longer lists are sent as several requests).")
            .field("reason", "Why, kept with each tombstone for the audit trail.", length: 1...500, pattern: "\\S")
            .field("requestedBy", "Who asked: a staff subject or a tool's name.", length: 1...500, pattern: "\\S")
            .field("requestedAt", "When it was asked.")
            .field(
                "signature",
                "The publisher's Ed25519 signature (scheme ed25519-canonical-json/1, docs/contracts.md). Required in effect: "
                    + "every stage dead-letters a request without a valid one (unauthenticated_request) and erases nothing."
            )
    }
}

extension EventSignature: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes(
            "Proof of origin of an internal request: an Ed25519 signature over the UTF-8 of the scheme name, a line feed, and "
                + "the canonical JSON of every other field of the event (keys in byte order, no whitespace, timestamps as carried)."
        )
        .field("scheme", "The signing scheme; consumers refuse any other.", examples: ["ed25519-canonical-json/1"])
        .field("keyId", "The signing key's id: ed25519- and the first 16 hex digits of the SHA-256 of its raw public key.")
        .field("value", "The 64-byte signature, base64.")
    }
}

extension FollowUpOpened: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("A response that calls for service recovery, for an agency's case system.")
            .field("schema", "The schema identifier of this event.")
            .field("caseId", "The case id: the same for the same agency, event and rule.")
            .field("agency", "Agency code.")
            .field("service", "The agency's service.")
            .field("channel", "The channel of the response.")
            .field("eventId", "The response's event id.")
            .field("rule", "The rule that matched.")
            .field("reasons", "Why, in the rule's terms (trust_low, frustration, confusion, detractor).")
            .field("respondent", "The respondent's pseudonym, when verified.")
            .field("comment", "The comment as identity-verify redacted it.")
            .field("occurredAt", "When the response was collected.")
            .field("openedAt", "When the follow-up was opened.")
            .field("dueAt", "When the agency aims to resolve it.")
    }
}

extension CaseUpdate: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("A case system's update on a follow-up.")
            .field("schema", "The schema identifier of this event.")
            .field("caseId", "The follow-up's case id.", length: 1...200)
            .field("agency", "The agency (the follow-up's).", length: 1...200)
            .field("state", "acknowledged or resolved.")
            .field("actor", "Who, in the case system.", length: 1...200)
            .field("at", "When: not before the follow-up was opened, nor more than 2 minutes ahead of reporting's clock.")
            .field(
                "signature",
                "The agency's case system's Ed25519 signature (scheme ed25519-canonical-json/1) by a key reporting holds for "
                    + "the agency. Required in effect: reporting dead-letters an update without a valid one (unauthenticated_request)."
            )
    }
}
