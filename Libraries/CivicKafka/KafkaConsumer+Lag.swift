import CivicTime
import Crdkafka
import Dispatch

/// How far a consumer group is behind on one partition.
package struct KafkaPartitionLag: Sendable, Hashable {
    /// The partition.
    package var partition: KafkaTopicPartition
    /// The broker's high watermark: the offset the next message written to the partition will get.
    package var highWatermark: Int64
    /// The offset the group has committed (the next one it will read), or `nil` when it has committed none.
    package var committed: Int64?
    /// Messages written to the partition that the group has not committed: the high watermark minus the
    /// committed offset (minus the low watermark when nothing is committed and the group starts at the
    /// earliest offset), never below zero.
    package var lag: Int64

    /// Creates a value.
    package init(partition: KafkaTopicPartition, highWatermark: Int64, committed: Int64?, lag: Int64) {
        self.partition = partition
        self.highWatermark = highWatermark
        self.committed = committed
        self.lag = lag
    }
}

extension KafkaConsumer {
    /// The lag of this member's consumer group on each partition assigned to this member, read from the
    /// broker: each partition's high watermark (`rd_kafka_query_watermark_offsets`, a ListOffsets request, or
    /// the one the last fetch response carried, `rd_kafka_get_watermark_offsets`, whichever is higher) minus
    /// the group's committed offset (`rd_kafka_committed`, an OffsetFetch to the group coordinator).
    ///
    /// Committed offsets, not the consumer's position: a batch that was polled but not yet made durable and
    /// committed still counts as lag, which is what at-least-once delivery leaves to do after a crash. The
    /// broker calls run on a queue of their own, so they never wait behind (or hold up) ``poll(maxMessages:maxWait:)``.
    /// - Parameter timeout: How long each broker request may take.
    /// - Returns: One value per assigned partition, sorted by topic and partition; empty while the member has
    ///   no assignment (before it joined its group, or during a rebalance).
    /// - Throws: ``KafkaError`` with code `.consume` when the broker cannot answer in time.
    package func lag(timeout: Duration = .seconds(5)) async throws -> [KafkaPartitionLag] {
        let milliseconds = Int32(clamping: timeout.wholeMilliseconds)
        let startsAtEarliest = configuration.autoOffsetReset == "earliest"
        return try await withCheckedThrowingContinuation { continuation in
            lagQueue.async {
                do {
                    continuation.resume(returning: try self.readLag(timeoutMilliseconds: milliseconds, startsAtEarliest: startsAtEarliest))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private func readLag(timeoutMilliseconds: Int32, startsAtEarliest: Bool) throws(KafkaError) -> [KafkaPartitionLag] {
        var assigned: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let assignmentError = rd_kafka_assignment(client.handle, &assigned)
        guard assignmentError == RD_KAFKA_RESP_ERR_NO_ERROR, let list = assigned else {
            throw KafkaError.rdkafka(.consume, assignmentError, context: "reading the assignment for the lag")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        guard list.pointee.cnt > 0 else { return [] }
        let committedError = rd_kafka_committed(client.handle, list, timeoutMilliseconds)
        guard committedError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdkafka(.consume, committedError, context: "reading committed offsets for the lag")
        }
        var result: [KafkaPartitionLag] = []
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            let topic = String(cString: element.topic)
            var low: Int64 = 0
            var high: Int64 = 0
            let watermarkError = rd_kafka_query_watermark_offsets(client.handle, topic, element.partition, &low, &high, timeoutMilliseconds)
            guard watermarkError == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError.rdkafka(.consume, watermarkError, context: "reading the high watermark of \(topic)[\(element.partition)]")
            }
            // The high watermark the last fetch response carried (no request). Both readings can only be behind
            // the true one: the cached one while the consumer fetches nothing (its queue is full), the queried
            // one on a broker that answers ListOffsets with the start of the partition's last record batch
            // (Tansu 0.6 does). The larger is the better.
            var cachedLow: Int64 = 0
            var cachedHigh: Int64 = 0
            if rd_kafka_get_watermark_offsets(client.handle, topic, element.partition, &cachedLow, &cachedHigh) == RD_KAFKA_RESP_ERR_NO_ERROR,
                cachedHigh >= 0
            {
                high = max(high, cachedHigh)
            }
            let committed: Int64? = element.offset >= 0 ? element.offset : nil
            let start = committed ?? (startsAtEarliest ? low : high)
            result.append(
                KafkaPartitionLag(
                    partition: KafkaTopicPartition(topic: topic, partition: element.partition),
                    highWatermark: high,
                    committed: committed,
                    lag: max(0, high - start)
                )
            )
        }
        return result.sorted { ($0.partition.topic, $0.partition.partition) < ($1.partition.topic, $1.partition.partition) }
    }
}
