/// The reload logic of an in-memory copy of a table that is read again as a whole, as a value type that
/// returns actions (modelled on CivicIdentity's `KeyRefreshStateMachine`).
///
/// Rules:
/// - A hit is answered from the copy; only a miss (the copy does not know the name asked for) may reload.
/// - A miss reloads unless the last successful load is at most ``minimumReloadInterval`` old: within that
///   interval it is answered from the copy, so unknown names cannot make the cache hammer the database.
/// - Concurrent misses share one reload: the first starts it, the others wait for its result.
/// - A failed reload is reported to everyone waiting for it and keeps the previous copy; it does not count
///   as a load, so the next miss may retry at once.
/// - An explicit reload (after a write through this instance) ignores the interval, and reads after any
///   reload already running, which may have started before the write.
///
/// `Waiter` is whatever the owner resumes when a reload ends (a continuation in ``ReloadingCache``; a
/// plain value in tests).
package struct ReloadingCacheStateMachine<Snapshot, Failure: Error, Waiter> {
    /// What the owner should do on a miss.
    package enum MissAction {
        /// Answer from this copy (it was loaded within the minimum interval).
        case answer(Snapshot)
        /// Run the reload, then report it with ``reloadSucceeded(_:now:)`` or ``reloadFailed(_:)``.
        case startReload
        /// A reload is running: wait for it with ``wait(_:)``.
        case waitForReload
    }

    /// What the owner should do with a waiter it offers in ``wait(_:)``.
    package enum WaitAction {
        /// The waiter is kept and is returned when the running reload ends.
        case suspend
        /// The reload it meant to wait for has already ended: resume it with this result now.
        case resume(Result<Snapshot, Failure>)
    }

    /// What the owner should do for an explicit reload.
    package enum ExplicitAction {
        /// Run the reload, then report it with ``reloadSucceeded(_:now:)`` or ``reloadFailed(_:)``.
        case startReload
        /// A reload that may predate the caller's write is running: wait for it with ``wait(_:)``
        /// (whatever its result), then ask again.
        case waitThenAskAgain
    }

    fileprivate enum Reload {
        case idle
        case running(waiters: [Waiter])
    }

    /// At most one reload on misses within this time of the last successful load.
    package let minimumReloadInterval: Duration

    /// The current copy (the initial value until the first load succeeds).
    package private(set) var snapshot: Snapshot
    /// When the last successful load ended; `nil` before the first.
    package private(set) var loadedAt: ContinuousClock.Instant?
    /// Reloads started.
    package private(set) var attempts = 0
    /// Reloads that failed.
    package private(set) var failures = 0
    /// Why the last reload failed; `nil` once one succeeds.
    package private(set) var lastError: Failure?
    private var reload = Reload.idle

    /// A machine holding `initial` until the first load.
    package init(initial: Snapshot, minimumReloadInterval: Duration) {
        self.snapshot = initial
        self.minimumReloadInterval = minimumReloadInterval
    }

    /// Whether a reload is running.
    package var isReloading: Bool {
        if case .running = reload { return true }
        return false
    }

    /// How many waiters the running reload will resume.
    package var waiting: Int {
        if case .running(let waiters) = reload { return waiters.count }
        return 0
    }

    /// Changes the copy in place (an entry written, read again or removed through this instance).
    package mutating func update<Result>(_ body: (inout Snapshot) -> Result) -> Result {
        body(&snapshot)
    }

    /// Decides how to answer a miss at `now`.
    package mutating func miss(now: ContinuousClock.Instant) -> MissAction {
        if isReloading { return .waitForReload }
        if let loadedAt, now - loadedAt <= minimumReloadInterval, now >= loadedAt {
            return .answer(snapshot)
        }
        begin()
        return .startReload
    }

    /// Decides how to serve an explicit reload.
    package mutating func explicitReload() -> ExplicitAction {
        if isReloading { return .waitThenAskAgain }
        begin()
        return .startReload
    }

    /// Offers `waiter` for the running reload (after ``MissAction/waitForReload`` or
    /// ``ExplicitAction/waitThenAskAgain``).
    package mutating func wait(_ waiter: Waiter) -> WaitAction {
        guard case .running(var waiters) = reload else {
            // The reload ended between the owner's two steps: its result is the current state.
            if let lastError { return .resume(.failure(lastError)) }
            return .resume(.success(snapshot))
        }
        waiters.append(waiter)
        reload = .running(waiters: waiters)
        return .suspend
    }

    /// Records a successful reload.
    /// - Returns: The waiters to resume with `snapshot`.
    package mutating func reloadSucceeded(_ snapshot: Snapshot, now: ContinuousClock.Instant) -> [Waiter] {
        self.snapshot = snapshot
        loadedAt = now
        lastError = nil
        return end()
    }

    /// Records a failed reload; the previous copy stays in use and the next miss may retry.
    /// - Returns: The waiters to resume with `error`.
    package mutating func reloadFailed(_ error: Failure) -> [Waiter] {
        failures += 1
        lastError = error
        return end()
    }

    private mutating func begin() {
        attempts += 1
        reload = .running(waiters: [])
    }

    private mutating func end() -> [Waiter] {
        guard case .running(let waiters) = reload else { return [] }
        reload = .idle
        return waiters
    }
}

extension ReloadingCacheStateMachine: Sendable where Snapshot: Sendable, Failure: Sendable, Waiter: Sendable {}

extension ReloadingCacheStateMachine.Reload: Sendable where Waiter: Sendable {}
