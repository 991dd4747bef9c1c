/// A token bucket: `capacity` tokens, refilled at `ratePerSecond`; each request takes one.
///
/// A value-type state machine: it reads no clock and does no I/O, so it is tested without sockets.
struct TokenBucket: Sendable, Equatable {
    /// What to do with a request.
    enum Decision: Equatable {
        /// Serve it.
        case allow
        /// Refuse it; a token will be available after `retryAfterSeconds` (rounded up, at least 1).
        case limit(retryAfterSeconds: Int)
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

    /// Refills for the time elapsed since the last call, then takes a token if there is one.
    mutating func take(now: Double) -> Decision {
        if now > updatedAt {
            tokens = min(capacity, tokens + (now - updatedAt) * ratePerSecond)
            updatedAt = now
        }
        if tokens >= 1 {
            tokens -= 1
            return .allow
        }
        let wait = (1 - tokens) / ratePerSecond
        return .limit(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }
}
