/// What a stage does about a lasting lack of progress: first it heals (rebuilds its Kafka producer and
/// recreates its topics, as at start-up, again every `healAfter` while it does not move), and if it still
/// makes no progress it declares itself dead, so that its liveness check (`/health`) fails and the orchestrator
/// restarts the process.
///
/// A broker that was restarted without its state forgets the producer ids and the topics; librdkafka's clients
/// then retry forever (`Local: Message timed out` batch after batch) while the process looks alive. Rebuilding
/// them is what a restart would do, without losing the process; the liveness check is the last resort.
///
/// A value type fed the stage's ``ProgressWatch/stalledFor(at:)``, so its rules are tested without a broker;
/// ``StreamProcessor`` keeps one and carries out its actions.
package struct HealingWatch: Sendable, Equatable {
    /// The two limits, measured from the last progress and from the rebuild.
    package struct Limits: Sendable, Hashable {
        /// No progress for this long (with work to do) rebuilds the Kafka producer and recreates the topics.
        package var healAfter: Duration
        /// Still no progress this long after the rebuild fails the liveness check.
        package var livenessTimeout: Duration

        /// Limits of `healAfter` and `livenessTimeout`.
        package init(healAfter: Duration, livenessTimeout: Duration) {
            self.healAfter = healAfter
            self.livenessTimeout = livenessTimeout
        }
    }

    /// What the stage should do now.
    package enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Rebuild the Kafka producer and recreate the topics.
        case rebuild
        /// Fail the liveness check: healing did not help.
        case failLiveness
        /// The stage moves again after a rebuild (or after its liveness had failed): it is alive.
        case recovered
    }

    private enum State: Sendable, Equatable {
        case progressing
        /// Rebuilt first at `first`, last at `last`; `dead` once the liveness check failed.
        case healing(first: ContinuousClock.Instant, last: ContinuousClock.Instant, dead: Bool)
    }

    /// The limits in force.
    package let limits: Limits
    private var state = State.progressing

    /// A watch with `limits`.
    package init(limits: Limits) {
        self.limits = limits
    }

    /// Whether the liveness check fails.
    package var isDead: Bool {
        if case .healing(_, _, dead: true) = state { return true }
        return false
    }

    /// The action at `now`, for a stage that has had work and not moved for `stalledFor`.
    ///
    /// Past `healAfter` the stage rebuilds, and rebuilds again every `healAfter` while it still does not move
    /// (a broker that was down at the first rebuild may be back at the next); `livenessTimeout` after the first
    /// rebuild the liveness check fails, and it passes again as soon as the stage moves.
    package mutating func observe(stalledFor: Duration, at now: ContinuousClock.Instant) -> Action {
        guard stalledFor > limits.healAfter else {
            defer { state = .progressing }
            return state == .progressing ? .none : .recovered
        }
        switch state {
        case .progressing:
            state = .healing(first: now, last: now, dead: false)
            return .rebuild
        case .healing(let first, let last, let dead):
            if !dead, now - first >= limits.livenessTimeout {
                state = .healing(first: first, last: last, dead: true)
                return .failLiveness
            }
            if now - last >= limits.healAfter {
                state = .healing(first: first, last: now, dead: dead)
                return .rebuild
            }
            return .none
        }
    }
}
