/// Why a stage refused an input: the `code` of ``RejectedFeedback``, the values agencies can code against.
package enum RejectionCode: String, FeedbackVocabulary {
    /// The payload is larger than the configured maximum.
    case payloadTooLarge = "payload_too_large"
    /// The bytes are not valid UTF-8.
    case notUTF8 = "not_utf8"
    /// The bytes are not a JSON object.
    case notJSON = "not_json"
    /// A key appears twice in the same JSON object (which value counts would be ambiguous).
    case duplicateKey = "duplicate_key"
    /// The `schema` names a version survey-intake does not accept.
    case unknownSchema = "unknown_schema"
    /// A required field is absent or null.
    case missingField = "missing_field"
    /// A field has the wrong JSON type.
    case wrongType = "wrong_type"
    /// A field's value is not allowed (unknown vocabulary, malformed timestamp, field not on this form).
    case invalidValue = "invalid_value"
    /// An answer is outside its scale.
    case outOfRange = "out_of_range"
    /// `occurredAt` is later than now plus the allowed clock skew.
    case occurredInFuture = "occurred_in_future"
    /// `occurredAt` is older than the accepted window.
    case tooOld = "too_old"
    /// An a11-v2 answer to a question the form's display logic does not show: "what didn't go well" after
    /// thumbs up or 4-5, "what went well" after thumbs down or 1-3.
    case displayLogic = "display_logic"
    /// The response's form or trust scale is not the one of the instrument registered for its agency,
    /// service and channel.
    case instrumentMismatch = "instrument_mismatch"
    /// A ticked driver is not an option of the instrument registered for the response's agency, service and
    /// channel.
    case optionNotOffered = "option_not_offered"
    /// The comment is longer than the configured maximum.
    case commentTooLong = "comment_too_long"
    /// The agency is not registered.
    case unknownAgency = "unknown_agency"
    /// The service is not registered for the agency.
    case unknownService = "unknown_service"
    /// An item POSTed for an agency the API key does not belong to.
    case forbiddenAgency = "forbidden_agency"
    /// A submission whose `agency` is not the agency whose topic it came in on (`cx.feedback.submitted.v1.<agency>`):
    /// an agency publishes only its own events.
    case agencyMismatch = "agency_mismatch"
    /// A submission on the retired shared topic `cx.feedback.submitted.v1`: it is refused whatever it holds; the
    /// agency publishes to its own topic `cx.feedback.submitted.v1.<agency code in lower case>`.
    case topicRetired = "topic_retired"
    /// A stage could not read a consumed event (not JSON, not the contract's shape).
    case unreadableEvent = "unreadable_event"
    /// identity-verify could not read a request on ``CivicTopic/identityRequests``.
    case invalidIdentityRequest = "invalid_identity_request"
    /// The response's identity token was refused and its agency rejects such responses.
    case identityRefused = "identity_refused"
    /// A stage's database refused a value the message carries (a NUL in text, a number out of range, ...).
    case storageRefused = "storage_refused"
    /// The broker refused what a stage made of the message (too large, invalid).
    case publishRefused = "publish_refused"
    /// A stage failed on the message for a reason the message causes every time.
    case processingFailed = "processing_failed"
    /// An internal request that changes stored data (an erasure request, a case update) carries no valid
    /// signature by a key its consumer holds for its sender.
    case unauthenticatedRequest = "unauthenticated_request"
}

extension RejectionCode {
    /// The codes given by stages after survey-intake (a consumed event no stage could read, and
    /// identity-verify's refusals) and by every stage's internal consumers (an unauthenticated erasure
    /// request or case update); every other code is survey-intake's validators'.
    package static let givenAfterIntake: Set<RejectionCode> = [.unreadableEvent, .invalidIdentityRequest, .identityRefused, .unauthenticatedRequest]

    /// The codes any stage's failure policy gives a message it isolated and set aside (a dead letter),
    /// rather than a validator.
    package static let givenByFailurePolicy: Set<RejectionCode> = [.storageRefused, .publishRefused, .processingFailed]

    /// The codes survey-intake gives from the topic a submission came in on (never on the HTTP routes, where the
    /// API key names the agency and refuses another's items as ``forbiddenAgency``).
    package static let givenByTopic: Set<RejectionCode> = [.agencyMismatch, .topicRetired]
}
