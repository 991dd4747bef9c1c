/// The Kafka topics of the pipeline. Data flows one way: submitted → accepted → verified → scored,
/// with rejections on their own topic and operational events beside the survey flow.
package enum CivicTopic {
    /// The retired shared submitted topic. Every agency's principal could write it, so a body's `agency` could
    /// not be trusted; survey-intake still reads it, only to dead-letter whatever arrives there
    /// (``RejectionCode/topicRetired``), telling the integrator to publish to ``submitted(agency:)``.
    package static let legacySubmitted = "cx.feedback.submitted.v1"
    /// Responses that passed intake validation and de-duplication, keyed by event id.
    package static let accepted = "cx.feedback.accepted.v1"
    /// Responses after identity verification: pseudonymous respondent, PII redacted; keyed by pseudonym.
    package static let verified = "cx.feedback.verified.v1"
    /// Responses with sentiment and emotion scores; downstream consumers subscribe here.
    package static let scored = "cx.feedback.scored.v1"
    /// Input that could not be accepted, with the reason and the original bytes (``RejectedFeedback``).
    package static let rejected = "cx.feedback.rejected.v1"
    /// Contact-centre and digital transactions (``OperationsEvent``) for FCR, AHT and digital adoption.
    package static let operations = "cx.operations.v1"
    /// Identity-verification requests from any caller.
    package static let identityRequests = "cx.identity.requests.v1"
    /// Identity-verification results, correlated with their request.
    package static let identityResults = "cx.identity.results.v1"

    /// Follow-ups for agencies' case systems (``FollowUpOpened``), keyed by case id; reporting opens them.
    package static let followUps = "cx.followup.opened.v1"
    /// Case systems' updates on follow-ups (``CaseUpdate``), keyed by case id; reporting applies them.
    package static let caseUpdates = "cx.followup.cases.v1"
    /// Requests to erase events from every stage (``ErasureRequest``), keyed by agency; every stage consumes it.
    package static let erasures = "cx.privacy.erasures.v1"

    /// The topics whose messages may carry an identity token (an OIDC id_token): created with a short
    /// retention, so a token does not outlive its use on the broker.
    /// Agencies' own submitted topics carry them too (``carriesIdentityTokens(_:)``).
    package static let carryingIdentityTokens: Set<String> = [legacySubmitted, accepted, identityRequests]

    /// Whether messages on `topic` may carry an identity token: one of ``carryingIdentityTokens`` or an agency's
    /// submitted topic.
    package static func carriesIdentityTokens(_ topic: String) -> Bool {
        carryingIdentityTokens.contains(topic) || agency(ofSubmitted: topic) != nil
    }

    /// Every topic of a fixed name, for creating them at start-up (the agencies' submitted topics are created
    /// by survey-intake for each registered agency).
    package static let all = [
        legacySubmitted, accepted, verified, scored, rejected, operations, identityRequests, identityResults, erasures, followUps, caseUpdates,
    ]
}

extension CivicTopic {
    /// What every agency's submitted topic starts with: `cx.feedback.submitted.v1.` (the retired shared topic's
    /// name and a dot, so it never matches the shared topic itself).
    package static let agencySubmittedPrefix = legacySubmitted + "."
    /// The agencies' submitted topics as the contracts name them: `cx.feedback.submitted.v1.{agency}`.
    package static let agencySubmittedAddress = agencySubmittedPrefix + "{agency}"
    /// The subscription pattern (a librdkafka regular expression) of every agency's submitted topic.
    package static let agencySubmittedPattern = #"^cx\.feedback\.submitted\.v1\.[a-z0-9_-]+$"#
    /// The channels of the contracts (AsyncAPI): every topic of ``all`` but the retired shared one, and the
    /// agencies' submitted topics as one address, ``agencySubmittedAddress``.
    package static let contracted = [agencySubmittedAddress] + all.filter { $0 != legacySubmitted }
    /// The longest agency code, in characters (what `PUT /v1/admin/agencies/{code}` accepts).
    package static let maxAgencyCodeLength = 100

    /// The topic agency `code` publishes its survey responses and operations events to, and the only one its
    /// principal (`agency-<code lowercased>`) may write: `cx.feedback.submitted.v1.<code lowercased>`, for
    /// example `cx.feedback.submitted.v1.irs`. Meaningful for an agency code (``isAgencyCode(_:)``): 1 to 100
    /// ASCII letters, digits, `-` or `_`, all legal in a Kafka topic name (at most 125 characters of Kafka's 249).
    /// Codes that differ only in case would share one topic and one Kafka user, so survey-intake registers only one
    /// spelling of a code.
    package static func submitted(agency code: String) -> String {
        agencySubmittedPrefix + code.lowercased()
    }

    /// The agency (its code in lower case) whose submitted topic `topic` is, or `nil` when `topic` is not one:
    /// not the prefix followed by 1 to 100 lower-case ASCII letters, digits, `-` or `_` (the retired shared
    /// topic, another topic, an empty or upper-case suffix, a dot, anything else).
    package static func agency(ofSubmitted topic: String) -> String? {
        guard topic.hasPrefix(agencySubmittedPrefix) else { return nil }
        let code = topic.dropFirst(agencySubmittedPrefix.count)
        guard isAgencyCode(code), !code.unicodeScalars.contains(where: { ("A"..."Z").contains($0) }) else { return nil }
        return String(code)
    }

    /// Whether `code` can be an agency's code: 1 to 100 ASCII letters, digits, `-` or `_`, so that its topic
    /// name is legal and ``agency(ofSubmitted:)`` reads it back.
    package static func isAgencyCode(_ code: some StringProtocol) -> Bool {
        (1...maxAgencyCodeLength).contains(code.unicodeScalars.count)
            && code.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
    }
}

/// Schema identifiers carried in every event's `schema` field. A breaking change is a new version;
/// old versions stay accepted.
package enum SchemaVersion {
    /// A survey response as submitted by an agency.
    package static let submitted = "cx.feedback.submitted/1"
    /// A response accepted by survey-intake.
    package static let accepted = "cx.feedback.accepted/1"
    /// A response after identity-verify.
    package static let verified = "cx.feedback.verified/1"
    /// A response after sentiment-scorer.
    package static let scored = "cx.feedback.scored/1"
    /// A rejected input.
    package static let rejected = "cx.feedback.rejected/1"
    /// An operational (contact-centre or digital transaction) event.
    package static let operations = "cx.operations/1"
    /// A request to identity-verify.
    package static let identityRequest = "cx.identity.request/1"
    /// identity-verify's answer to a request.
    package static let identityResult = "cx.identity.result/1"
    /// A request to erase events from every stage.
    package static let erasure = "cx.privacy.erasure/1"
    /// A follow-up opened for a case system.
    package static let followUpOpened = "cx.followup.opened/1"
    /// A case system's update on a follow-up.
    package static let caseUpdate = "cx.followup.case/1"
}
