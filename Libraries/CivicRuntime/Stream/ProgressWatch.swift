/// Whether a stage is making progress: the batches it has taken and not yet committed, oldest first. A batch
/// that stays in flight past the stall timeout means the stage is stuck however healthy each step looks (a
/// publish that never completes, a hung handler), and the stage is reported not ready until it moves on.
///
/// A value type, so its rules are tested without a broker; ``StreamProcessor`` keeps one behind a lock.
struct ProgressWatch: Sendable, Equatable {
    /// When each batch in flight was taken, oldest first.
    private var inFlight: [ContinuousClock.Instant] = []
    /// The stall already reported, so it is logged once.
    private(set) var reportedStall = false

    /// What the watch concludes at an instant.
    enum Verdict: Sendable, Equatable {
        /// No batch in flight, or the oldest is younger than the timeout.
        case moving
        /// The oldest batch in flight was taken this long ago, past the timeout.
        case stalled(Duration)
    }

    /// A batch was taken at `instant`.
    mutating func taken(at instant: ContinuousClock.Instant) {
        inFlight.append(instant)
    }

    /// The oldest batch in flight was committed (batches commit in order).
    mutating func committed() {
        if !inFlight.isEmpty { inFlight.removeFirst() }
        reportedStall = false
    }

    /// How long the oldest batch in flight has been, at `now`.
    func oldestAge(at now: ContinuousClock.Instant) -> Duration {
        inFlight.first.map { now - $0 } ?? .zero
    }

    /// The verdict at `now` for `timeout`; a stall is reported to the caller once (`isNew`).
    mutating func check(at now: ContinuousClock.Instant, timeout: Duration) -> (verdict: Verdict, isNew: Bool) {
        let age = oldestAge(at: now)
        guard age > timeout else {
            reportedStall = false
            return (.moving, false)
        }
        defer { reportedStall = true }
        return (.stalled(age), !reportedStall)
    }
}
