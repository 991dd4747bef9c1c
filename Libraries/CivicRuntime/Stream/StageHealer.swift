import CivicKafka
import Logging
import Synchronization

/// Heals what a stage's stream processors share when one of them makes no progress (``HealingWatch``):
/// recreates the pipeline's topics, as at start-up, and rebuilds the stage's producer with a new client (a new
/// producer id). A broker restarted without its state forgot both; nothing else would bring them back.
///
/// Several processors of one stage may stall together; a heal that began less than `coalescing` ago is not
/// repeated.
package final class StageHealer: Sendable {
    private let configuration: RuntimeConfiguration
    private let topics: [String]
    private let producer: KafkaProducer
    private let logger: Logger
    private let coalescing: Duration
    private let lastHeal = Mutex<ContinuousClock.Instant?>(nil)
    private let extraSteps = Mutex<[@Sendable () async throws -> Void]>([])

    /// A healer for `producer` and `topics`, created with `configuration`'s settings.
    package init(configuration: RuntimeConfiguration, topics: [String], producer: KafkaProducer, coalescing: Duration, logger: Logger) {
        self.configuration = configuration
        self.topics = topics
        self.producer = producer
        self.coalescing = coalescing
        self.logger = logger
    }

    /// Adds a step that each heal runs after recreating the pipeline's topics (survey-intake recreates its
    /// agencies' topics).
    package func alsoRecreate(_ step: @escaping @Sendable () async throws -> Void) {
        extraSteps.withLock { $0.append(step) }
    }

    /// Recreates the topics that do not exist (when the stage creates topics at all) and rebuilds the producer.
    /// Failures are logged, not thrown: the stage's liveness timeout decides what happens next.
    package func heal() async {
        let now = ContinuousClock.now
        let skip = lastHeal.withLock { last in
            if let last, now - last < coalescing { return true }
            last = now
            return false
        }
        guard !skip else { return }
        if configuration.kafkaCreateTopics {
            do {
                let admin = try KafkaAdmin(configuration: configuration.kafkaClient, logger: logger)
                try await admin.createTopics(topics.map(configuration.topicSpecification), timeout: .seconds(10))
                logger.warning("topics recreated where the broker had lost them", metadata: ["kafka.topics.count": "\(topics.count)"])
            } catch {
                logger.error("recreating the topics failed", metadata: ["error": "\(error)"])
            }
        }
        for step in extraSteps.withLock({ $0 }) {
            do {
                try await step()
            } catch {
                logger.error("recreating the topics failed", metadata: ["error": "\(error)"])
            }
        }
        do {
            try producer.rebuild()
        } catch {
            logger.error("rebuilding the producer failed", metadata: ["error": "\(error)"])
        }
    }
}
