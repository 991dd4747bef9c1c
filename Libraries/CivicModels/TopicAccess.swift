/// Which Kafka principal may read and write which topic: the least each needs. The broker's ACLs (compose.yaml's
/// `kafka-init`) are checked against this table, and it against the services' subscriptions and the event catalog.
package struct TopicAccess: Sendable, Hashable {
    /// The SASL user name: the service's name, or `agency-<code>` for an agency's producer.
    package var principal: String
    /// Topics it consumes.
    package var reads: Set<String>
    /// Topics it produces to.
    package var writes: Set<String>
    /// Consumer groups it joins (read on the group).
    package var groups: Set<String>
    /// Topic-name prefixes it consumes every topic of (a Kafka ACL with the PREFIXED resource pattern).
    package var readPrefixes: Set<String>
    /// Topic-name prefixes it produces to every topic of (a Kafka ACL with the PREFIXED resource pattern).
    package var writePrefixes: Set<String>

    /// Creates an entry.
    package init(
        principal: String,
        reads: Set<String> = [],
        writes: Set<String> = [],
        groups: Set<String> = [],
        readPrefixes: Set<String> = [],
        writePrefixes: Set<String> = []
    ) {
        self.principal = principal
        self.reads = reads
        self.writes = writes
        self.groups = groups
        self.readPrefixes = readPrefixes
        self.writePrefixes = writePrefixes
    }

    /// The four services. Each reads its input topic(s) and the erasure requests, in its own groups (`<service>`,
    /// `<service>-erasure`, identity-verify's `-requests`), and writes its output topic(s) and the dead-letter topic;
    /// survey-intake reads every agency's submitted topic (by prefix) and the retired shared one (to dead-letter
    /// what still arrives there), and writes what an agency POSTs to that agency's topic (by prefix); reporting
    /// publishes erasures and follow-ups and reads case updates.
    package static let services: [TopicAccess] = [
        TopicAccess(
            principal: "survey-intake",
            reads: [CivicTopic.legacySubmitted, CivicTopic.erasures],
            writes: [CivicTopic.accepted, CivicTopic.operations, CivicTopic.rejected],
            groups: ["survey-intake", "survey-intake-erasure"],
            readPrefixes: [CivicTopic.agencySubmittedPrefix],
            writePrefixes: [CivicTopic.agencySubmittedPrefix]
        ),
        TopicAccess(
            principal: "identity-verify",
            reads: [CivicTopic.accepted, CivicTopic.identityRequests, CivicTopic.erasures],
            writes: [CivicTopic.verified, CivicTopic.identityResults, CivicTopic.rejected],
            groups: ["identity-verify", "identity-verify-requests", "identity-verify-erasure"]
        ),
        TopicAccess(
            principal: "sentiment-scorer",
            reads: [CivicTopic.verified, CivicTopic.erasures],
            writes: [CivicTopic.scored, CivicTopic.rejected],
            groups: ["sentiment-scorer", "sentiment-scorer-erasure"]
        ),
        TopicAccess(
            principal: "reporting",
            reads: [CivicTopic.scored, CivicTopic.operations, CivicTopic.caseUpdates, CivicTopic.erasures],
            writes: [CivicTopic.rejected, CivicTopic.erasures, CivicTopic.followUps],
            groups: ["reporting", "reporting-erasure"]
        ),
    ]

    /// The agencies' case-system integration: it reads the follow-ups reporting opens and writes the case
    /// updates back. One principal for every agency (the topic is not split by agency), run by the operators.
    package static let caseSystem = TopicAccess(
        principal: "case-system",
        reads: [CivicTopic.followUps],
        writes: [CivicTopic.caseUpdates],
        groups: ["case-system"]
    )

    /// An agency's producer: it writes survey responses and operational events to its own submitted topic
    /// (``CivicTopic/submitted(agency:)``, a LITERAL ACL), and nothing else.
    package static func agency(_ code: String) -> TopicAccess {
        TopicAccess(principal: "agency-\(code.lowercased())", writes: [CivicTopic.submitted(agency: code)])
    }
}
