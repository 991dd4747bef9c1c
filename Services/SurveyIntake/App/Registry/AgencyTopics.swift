import CivicKafka
import CivicModels
import CivicRuntime
import Logging

/// Creates each registered agency's own submitted topic (``CivicTopic/submitted(agency:)``), so that an agency's
/// client never needs the right to create topics: at start-up for every registered agency, and when the admin
/// route registers one. Where the broker's administrator creates the topics (`CIVIC_KAFKA_CREATE_TOPICS=false`,
/// compose's kafka-init) it creates nothing.
struct AgencyTopics: Sendable {
    /// `nil` when the service creates no topics.
    private let admin: KafkaAdmin?
    private let configuration: RuntimeConfiguration
    private let logger: Logger

    /// - Throws: ``KafkaError`` when the admin client cannot be made.
    init(configuration: RuntimeConfiguration, logger: Logger) throws {
        self.admin = configuration.kafkaCreateTopics ? try KafkaAdmin(configuration: configuration.kafkaClient, logger: logger) : nil
        self.configuration = configuration
        self.logger = logger
    }

    /// Creates the submitted topics of `agencies` (codes) that do not exist yet. A code that cannot name a topic
    /// (registered before codes were checked) is skipped with a warning: its agency cannot publish on a topic.
    /// - Throws: ``KafkaError`` when the broker refuses or does not answer (the caller retries).
    func create(for agencies: some Sequence<String>) async throws {
        guard let admin else { return }
        var topics: Set<String> = []
        for code in agencies {
            guard CivicTopic.isAgencyCode(code) else {
                logger.warning("agency code cannot name a topic; it has no submitted topic", metadata: ["civic.agency": "\(code)"])
                continue
            }
            topics.insert(CivicTopic.submitted(agency: code))
        }
        try await admin.createTopics(topics.sorted().map(configuration.topicSpecification), timeout: .seconds(10))
    }
}
