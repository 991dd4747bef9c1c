import CivicKafka
import CivicTime
import Synchronization

/// The newest traced event in each bucket of each event-latency histogram series
/// (`civic_event_latency_seconds{stage,topic,partition}`), which `/metrics` shows as OpenMetrics exemplars
/// (``MetricsExposition``): a latency panel's bucket then links to the trace of a response that fell in it.
///
/// A record gives an exemplar only when its `traceparent` is valid and sampled (flag `01`), that is, when the trace
/// it names was recorded by whoever started it (``TraceContext/sampledTraceID(in:)``). One exemplar is kept per
/// bucket of each series, the newest, so memory is bounded by the partitions a stage reads.
package final class EventLatencyExemplars: Sendable {
    /// The process's exemplars: what the stream processors record and `/metrics` shows.
    package static let shared = EventLatencyExemplars(buckets: Observability.eventLatencyBuckets)

    /// One exemplar: a response's trace and the latency it had.
    package struct Exemplar: Sendable, Equatable {
        /// The trace id, 32 lower-case hex digits.
        package var traceID: String
        /// The latency the response had at the stage.
        package var latency: Duration
        /// When it was measured, in milliseconds since 1970.
        package var timestampMilliseconds: Int64
    }

    /// One histogram series: the stage and the partition it read.
    package struct Series: Hashable, Sendable {
        package var stage: String
        package var topic: String
        package var partition: Int32

        package init(stage: String, topic: String, partition: Int32) {
            self.stage = stage
            self.topic = topic
            self.partition = partition
        }
    }

    /// The exemplars one batch offers, newest first: at most one per bucket of each series.
    package struct Batch: Sendable {
        fileprivate let buckets: [Duration]
        fileprivate let timestampMilliseconds: Int64
        fileprivate var newest: [Series: [Int: Exemplar]] = [:]

        /// Offers a record's latency: it becomes its bucket's exemplar unless a newer record of the batch already
        /// is, or its trace is not sampled. Offer a batch's records newest first.
        package mutating func offer(_ latency: Duration, in series: Series, headers: [KafkaHeader]) {
            let bucket = EventLatencyExemplars.bucket(of: latency, in: buckets)
            guard newest[series]?[bucket] == nil, let traceID = TraceContext.sampledTraceID(in: headers) else { return }
            newest[series, default: [:]][bucket] = Exemplar(
                traceID: traceID,
                latency: latency,
                timestampMilliseconds: timestampMilliseconds
            )
        }
    }

    /// The histogram's bucket bounds, in order (the `+Inf` bucket is implied).
    package let buckets: [Duration]
    private let kept = Mutex<[Series: [Int: Exemplar]]>([:])

    /// An empty set of exemplars for a histogram with these bucket bounds.
    package init(buckets: [Duration]) {
        self.buckets = buckets.sorted()
    }

    /// A batch to offer records to, measured at `timestampMilliseconds`.
    package func batch(at timestampMilliseconds: Int64) -> Batch {
        Batch(buckets: buckets, timestampMilliseconds: timestampMilliseconds)
    }

    /// Keeps a batch's exemplars, each replacing the one its bucket had.
    package func keep(_ batch: Batch) {
        guard !batch.newest.isEmpty else { return }
        kept.withLock { kept in
            for (series, byBucket) in batch.newest {
                kept[series, default: [:]].merge(byBucket) { _, new in new }
            }
        }
    }

    /// The exemplar of a bucket: `bucket` indexes ``buckets``, and `buckets.count` is `+Inf`.
    package func exemplar(of series: Series, bucket: Int) -> Exemplar? {
        kept.withLock { $0[series]?[bucket] }
    }

    /// The index of the bucket a latency is counted in first (Prometheus's `le`: the first bound at or above it),
    /// `buckets.count` for `+Inf`.
    package func bucket(of latency: Duration) -> Int {
        Self.bucket(of: latency, in: buckets)
    }

    fileprivate static func bucket(of latency: Duration, in buckets: [Duration]) -> Int {
        buckets.firstIndex { $0 >= latency } ?? buckets.count
    }

    /// The index of the bucket whose `le` label reads `le` (`+Inf`, or a bound in seconds), or `nil` for none.
    package func bucket(le: Substring) -> Int? {
        if le == "+Inf" { return buckets.count }
        guard let seconds = Double(le) else { return nil }
        return buckets.firstIndex { abs($0.timeInterval - seconds) <= 1e-9 * max(1, seconds) }
    }
}
