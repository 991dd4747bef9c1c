/// The delays between the attempts of a retry loop: `initial` first, then each one `multiplier` times the
/// last, never more than `maximum`. A value: each loop keeps its own and asks it for the next delay.
package struct Backoff: Sendable, Hashable {
    /// The first delay.
    package let initial: Duration
    /// The longest delay.
    package let maximum: Duration
    /// How much longer each delay is than the one before.
    package let multiplier: Int
    /// The delay ``next()`` returns.
    package private(set) var current: Duration

    /// A back-off starting at `initial` and growing by `multiplier` up to `maximum`.
    package init(initial: Duration, maximum: Duration, multiplier: Int = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.current = initial
    }

    /// The delay to wait now; the following call returns the one after it.
    package mutating func next() -> Duration {
        defer { current = min(current * multiplier, maximum) }
        return current
    }

    /// Starts again at ``initial``.
    package mutating func reset() {
        current = initial
    }
}
