/// A token bucket: `capacity` tokens, refilled at `ratePerSecond`; each request takes as many tokens as it
/// costs (survey-intake: one per submitted item).
///
/// A value-type state machine: it reads no clock and does no I/O, so it is tested without sockets.
struct TokenBucket: Sendable, Equatable {
    /// What to do with a request.
    enum Decision: Equatable {
        /// Serve it.
        case allow
        /// Refuse it; enough tokens will be available after `retryAfterSeconds` (rounded up, at least 1).
        case limit(retryAfterSeconds: Int)
        /// Refuse it for good: it costs more than the bucket ever holds, so waiting cannot help.
        case exceedsCapacity
    }

    let capacity: Double
    let ratePerSecond: Double
    private(set) var tokens: Double
    private(set) var updatedAt: Double

    /// A full bucket at time `now` (seconds on any monotonic clock).
    init(capacity: Int, ratePerSecond: Double, now: Double) {
        self.capacity = Double(capacity)
        self.ratePerSecond = ratePerSecond
        self.tokens = Double(capacity)
        self.updatedAt = now
    }

    /// Refills for the time elapsed since the last call, then takes `cost` tokens if there are that many.
    /// A refused request takes nothing.
    mutating func take(_ cost: Int = 1, now: Double) -> Decision {
        let needed = Double(max(1, cost))
        guard needed <= capacity else { return .exceedsCapacity }
        if now > updatedAt {
            tokens = min(capacity, tokens + (now - updatedAt) * ratePerSecond)
            updatedAt = now
        }
        if tokens >= needed {
            tokens -= needed
            return .allow
        }
        let wait = (needed - tokens) / ratePerSecond
        return .limit(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }
}
