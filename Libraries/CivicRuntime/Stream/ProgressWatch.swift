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
    /// When the stage last moved: a batch committed, or the watch began.
    private var lastCommit: ContinuousClock.Instant?
    /// Since when the consumer cannot read (its polls fail, or the broker no longer knows its topics).
    private var pollTroubleSince: ContinuousClock.Instant?

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
    mutating func committed(at instant: ContinuousClock.Instant = .now) {
        if !inFlight.isEmpty { inFlight.removeFirst() }
        reportedStall = false
        lastCommit = instant
    }

    /// A poll failed, or reported that the broker does not know a topic the consumer reads, at `instant`.
    mutating func pollTroubled(at instant: ContinuousClock.Instant) {
        if pollTroubleSince == nil { pollTroubleSince = instant }
    }

    /// A poll went through without trouble (or brought messages).
    mutating func polled() {
        pollTroubleSince = nil
    }

    /// How long the stage has had work and not moved, at `now`: since the later of the last commit and the
    /// oldest batch in flight being taken (zero with nothing in flight), or since its polls began to fail, if
    /// longer. An idle stage is not stalled; a stage that commits slowly but steadily is not either.
    func stalledFor(at now: ContinuousClock.Instant) -> Duration {
        var stalled = Duration.zero
        if let oldest = inFlight.first {
            stalled = now - max(oldest, lastCommit ?? oldest)
        }
        if let pollTroubleSince {
            stalled = max(stalled, now - pollTroubleSince)
        }
        return max(stalled, .zero)
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
