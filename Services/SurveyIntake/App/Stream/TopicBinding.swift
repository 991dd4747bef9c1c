import CivicModels

/// Binds a submission read from a topic to the agency that topic belongs to: each agency publishes to its own
/// topic (``CivicTopic/submitted(agency:)``), the only one its Kafka principal may write, so the topic says which
/// agency sent a record and the body's `agency` must agree with it.
enum TopicBinding {
    /// The validation result of a record read from `topic`, refused when the topic does not vouch for it:
    /// - on an agency's topic, a valid submission whose `agency` is another agency's (compared in lower case,
    ///   as the topic names it) is refused as `agency_mismatch`; an invalid one keeps its own rejection;
    /// - on the retired shared topic, or any topic that is not an agency's, every record is refused as
    ///   `topic_retired`, valid or not, with the topic its agency publishes to when the body names one.
    static func bind(_ validated: Result<Submission, Rejection>, to topic: String) -> Result<Submission, Rejection> {
        guard let topicAgency = CivicTopic.agency(ofSubmitted: topic) else {
            return .failure(retired(topic, validated: validated))
        }
        guard case .success(let submission) = validated else { return validated }
        guard CivicTopic.isAgencyCode(submission.agency), submission.agency.lowercased() == topicAgency else {
            return .failure(
                Rejection(
                    .agencyMismatch,
                    field: "agency",
                    "\"\(submission.agency)\" is not the agency of topic \(topic); an agency publishes only its own "
                        + "events, to its own topic \(CivicTopic.agencySubmittedPrefix)<agency code in lower case>",
                    eventId: submission.eventId
                )
            )
        }
        return validated
    }

    /// The refusal of a record read from `topic`, which belongs to no agency.
    private static func retired(_ topic: String, validated: Result<Submission, Rejection>) -> Rejection {
        let submission = try? validated.get()
        let eventId: String? =
            switch validated {
            case .success(let submission): submission.eventId
            case .failure(let rejection): rejection.eventId
            }
        let destination = submission.flatMap { CivicTopic.isAgencyCode($0.agency) ? CivicTopic.submitted(agency: $0.agency) : nil }
        let reason =
            topic == CivicTopic.legacySubmitted
            ? "\(topic) is retired and nothing on it is accepted; publish each agency's events to its own topic "
            : "\(topic) is not an agency's topic; publish each agency's events to its own topic "
        return Rejection(
            .topicRetired,
            field: nil,
            reason + (destination ?? "\(CivicTopic.agencySubmittedPrefix)<agency code in lower case>"),
            eventId: eventId
        )
    }
}
