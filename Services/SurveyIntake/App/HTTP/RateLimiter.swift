import CivicTime
import Synchronization

/// One ``TokenBucket`` per API key, shared by all requests of the process.
final class RateLimiter: Sendable {
    /// The most tokens a key can spend at once (the bucket's capacity).
    let capacity: Int
    private let ratePerSecond: Double
    private let start = ContinuousClock.now
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// Creates a limiter allowing `burst` tokens at once and `ratePerSecond` on average, per key.
    init(ratePerSecond: Double, burst: Int) {
        self.capacity = burst
        self.ratePerSecond = ratePerSecond
    }

    /// Whether the key `keyId` may make a request costing `cost` tokens now.
    func take(keyId: String, cost: Int = 1) -> TokenBucket.Decision {
        let now = (ContinuousClock.now - start).timeInterval
        return buckets.withLock { buckets in
            var bucket = buckets[keyId] ?? TokenBucket(capacity: capacity, ratePerSecond: ratePerSecond, now: now)
            let decision = bucket.take(cost, now: now)
            buckets[keyId] = bucket
            return decision
        }
    }
}
