import CivicKafka
import CivicModels
import CivicRuntime
import Synchronization

/// The benchmarks' pass-through stage: every message forwarded unchanged to one topic, no validation, no
/// database. What the broker, the client and the stream processor allow on a machine, as a baseline for a stage.
package final class PassThroughHandler: BatchHandler {
    /// Messages handled so far.
    package let handled = Atomic<Int>(0)
    private let topic: String

    /// A handler forwarding to `topic` (default: ``CivicTopic/accepted``).
    package init(forwardingTo topic: String = CivicTopic.accepted) {
        self.topic = topic
    }

    package func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        handled.add(batch.count, ordering: .relaxed)
        return batch.map { KafkaOutboundMessage(topic: topic, key: $0.key, value: $0.value) }
    }
}
