import CivicJSON
import CivicModels

/// Every event CivicPulse publishes, in pipeline order: the single list the JSON Schemas and the AsyncAPI
/// document are generated from.
package enum EventCatalog {
    static let intakeAdds = ["receivedAt", "spam"]
    static let identityAdds = ["respondent", "redactions"]
    static let scorerAdds = ["sentiment", "emotions", "scorer"]

    /// The events, one per schema identifier.
    package static var all: [EventContract] {
        [
            EventContract(
                FeedbackEvent.self,
                schemaId: SchemaVersion.submitted,
                topic: CivicTopic.agencySubmittedAddress,
                title: "Feedback submitted",
                summary: "A survey response as an agency submits it (A-11 v2 or v1 form), directly to its own topic or through "
                    + "POST /v1/responses; its `agency` must be the topic's.",
                key: "The event id (agencies may leave the key empty).",
                senders: ["agency systems", "survey-intake"],
                receivers: ["survey-intake"],
                omittedFields: intakeAdds + identityAdds + scorerAdds
            ),
            EventContract(
                FeedbackEvent.self,
                schemaId: SchemaVersion.accepted,
                topic: CivicTopic.accepted,
                title: "Feedback accepted",
                summary: "A response that passed intake validation and de-duplication, with its spam assessment.",
                key: "The event id.",
                senders: ["survey-intake"],
                receivers: ["identity-verify"],
                omittedFields: ["honeypot"] + identityAdds + scorerAdds,
                alwaysSet: ["receivedAt"]
            ),
            EventContract(
                FeedbackEvent.self,
                schemaId: SchemaVersion.verified,
                topic: CivicTopic.verified,
                title: "Feedback verified",
                summary: "A response after identity verification: pseudonymous respondent, PII redacted, identity removed.",
                key: "The respondent pseudonym (the event id for anonymous responses), so one respondent's events stay ordered.",
                senders: ["identity-verify"],
                receivers: ["sentiment-scorer"],
                omittedFields: ["identity", "honeypot"] + scorerAdds,
                alwaysSet: ["receivedAt", "respondent"]
            ),
            EventContract(
                FeedbackEvent.self,
                schemaId: SchemaVersion.scored,
                topic: CivicTopic.scored,
                title: "Feedback scored",
                summary: "A response with sentiment and emotion scores; downstream consumers subscribe here.",
                key: "The respondent pseudonym (the event id for anonymous responses).",
                senders: ["sentiment-scorer"],
                receivers: ["reporting", "downstream agency systems"],
                omittedFields: ["identity", "honeypot"],
                alwaysSet: ["receivedAt", "respondent"]
            ),
            EventContract(
                RejectedFeedback.self,
                schemaId: SchemaVersion.rejected,
                topic: CivicTopic.rejected,
                title: "Feedback rejected",
                summary: "An input a stage could not accept: the reason naming the field, and the original bytes without identity credentials.",
                key: "The event id when it could be read, otherwise the input message's key.",
                senders: ["survey-intake", "identity-verify", "sentiment-scorer", "reporting"],
                receivers: ["operators (civicctl tail)"]
            ),
            EventContract(
                OperationsEvent.self,
                schemaId: SchemaVersion.operations,
                topic: CivicTopic.operations,
                title: "Operational transaction",
                summary: "A contact-centre or digital transaction, for FCR, AHT and digital adoption. Each agency submits it to "
                    + "its own topic cx.feedback.submitted.v1.{agency} with this schema; survey-intake validates it, checks its "
                    + "`agency` is the topic's, de-duplicates it and forwards it here.",
                key: "The event id.",
                senders: ["survey-intake"],
                receivers: ["reporting"]
            ),
            EventContract(
                IdentityRequest.self,
                schemaId: SchemaVersion.identityRequest,
                topic: CivicTopic.identityRequests,
                title: "Identity request",
                summary: "A request to verify and pseudonymise an id_token, from any caller.",
                key: "The correlation id.",
                senders: ["any caller"],
                receivers: ["identity-verify"]
            ),
            EventContract(
                IdentityResult.self,
                schemaId: SchemaVersion.identityResult,
                topic: CivicTopic.identityResults,
                title: "Identity result",
                summary: "identity-verify's answer to an identity request, correlated by its correlation id.",
                key: "The correlation id.",
                senders: ["identity-verify"],
                receivers: ["the requesting caller"]
            ),
            EventContract(
                FollowUpOpened.self,
                schemaId: SchemaVersion.followUpOpened,
                topic: CivicTopic.followUps,
                title: "Follow-up opened",
                summary: "A response that matched an agency's follow-up rule, for its case system: once per response and rule.",
                key: "The case id.",
                senders: ["reporting"],
                receivers: ["agency case systems"]
            ),
            EventContract(
                CaseUpdate.self,
                schemaId: SchemaVersion.caseUpdate,
                topic: CivicTopic.caseUpdates,
                title: "Case update",
                summary: "A case system's word on a follow-up (acknowledged, resolved) with who and when.",
                key: "The case id.",
                senders: ["agency case systems"],
                receivers: ["reporting"]
            ),
            EventContract(
                ErasureRequest.self,
                schemaId: SchemaVersion.erasure,
                topic: CivicTopic.erasures,
                title: "Erasure request",
                summary: "A request to erase an agency's events from every stage: each stage deletes their rows from its own "
                    + "schema and keeps only their keys, so a replay cannot bring them back.",
                key: "The agency code.",
                senders: ["reporting (reporting delete)"],
                receivers: ["survey-intake", "identity-verify", "sentiment-scorer", "reporting"]
            ),
        ]
    }

    /// The standalone JSON Schema document of `event`: `$schema`, the event's schema, and `$defs`.
    package static func schemaDocument(_ event: EventContract) throws -> JSONValue {
        var builder = JSONSchemaBuilder(referencePrefix: "#/$defs/")
        let body = try event.schema(using: &builder)
        var document: JSONObject = ["$schema": .string(JSONSchemaBuilder.dialect)]
        for member in body.members { document[member.key] = member.value }
        if !builder.definitions.isEmpty { document["$defs"] = .object(builder.definitions) }
        return .object(document)
    }
}
