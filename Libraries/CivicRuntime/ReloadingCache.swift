import Synchronization

/// An in-memory copy of a table that is read again as a whole when a look-up misses, following
/// ``ReloadingCacheStateMachine``: hits are answered under a lock without suspending; concurrent misses
/// share one reload; misses within the minimum interval of the last load are answered from the copy.
///
/// The reload runs in the task of the miss that started it; the misses that wait for it get its result,
/// including its error (a cancelled starter's `CancellationError` too), and the next miss may retry.
package final class ReloadingCache<Snapshot: Sendable>: Sendable {
    private typealias Machine = ReloadingCacheStateMachine<Snapshot, any Error, CheckedContinuation<Snapshot, any Error>>

    private let state: Mutex<Machine>
    private let load: @Sendable () async throws -> Snapshot

    /// A cache holding `initial` until `load` first succeeds.
    /// - Parameters:
    ///   - initial: The copy before the first load.
    ///   - minimumReloadInterval: Misses within this time of the last successful load do not reload.
    ///   - load: Reads the whole table.
    package init(
        initial: Snapshot,
        minimumReloadInterval: Duration = .seconds(1),
        load: @escaping @Sendable () async throws -> Snapshot
    ) {
        self.state = Mutex(Machine(initial: initial, minimumReloadInterval: minimumReloadInterval))
        self.load = load
    }

    /// Reads or changes the copy under the lock; never reloads.
    package func withSnapshot<Result: Sendable>(_ body: (inout Snapshot) -> Result) -> Result {
        state.withLock { machine in machine.update(body) }
    }

    /// The copy to answer a miss from: read again, unless the last load is within the minimum interval; a
    /// reload already running is waited for instead of starting another.
    /// - Throws: The reload's error.
    package func reloadAfterMiss() async throws -> Snapshot {
        switch state.withLock({ $0.miss(now: .now) }) {
        case .answer(let snapshot):
            return snapshot
        case .startReload:
            return try await runReload()
        case .waitForReload:
            return try await waitForReload()
        }
    }

    /// Reads the table again now, ignoring the minimum interval (after a write through this instance). A
    /// reload already running may have read before the write: it is waited for, then the table is read again.
    /// - Throws: The reload's error.
    @discardableResult
    package func reload() async throws -> Snapshot {
        while true {
            switch state.withLock({ $0.explicitReload() }) {
            case .startReload:
                return try await runReload()
            case .waitThenAskAgain:
                _ = try? await waitForReload()
            }
        }
    }

    /// How many misses wait for the running reload (for tests).
    var waiting: Int { state.withLock { $0.waiting } }

    private func runReload() async throws -> Snapshot {
        let result: Result<Snapshot, any Error>
        do {
            result = .success(try await load())
        } catch {
            result = .failure(error)
        }
        let waiters = state.withLock { machine in
            switch result {
            case .success(let snapshot): machine.reloadSucceeded(snapshot, now: .now)
            case .failure(let error): machine.reloadFailed(error)
            }
        }
        for waiter in waiters { waiter.resume(with: result) }
        return try result.get()
    }

    private func waitForReload() async throws -> Snapshot {
        try await withCheckedThrowingContinuation { continuation in
            switch state.withLock({ $0.wait(continuation) }) {
            case .suspend:
                break
            case .resume(let result):
                continuation.resume(with: result)
            }
        }
    }
}
