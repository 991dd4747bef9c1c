import CivicTestTraits
import Synchronization
import Testing

@testable import CivicRuntime

/// The reloading cache's rules, as state-machine transitions and through a fake loader (no database).
@Suite(.hangGuard) struct ReloadingCacheTests {
    struct LoadFailure: Error, Equatable {
        var attempt: Int
    }

    typealias Machine = ReloadingCacheStateMachine<[String], LoadFailure, Int>

    // MARK: - The state machine

    @Test func aFirstMissReloadsAndTheOthersWaitForIt() {
        let start = ContinuousClock.now
        var machine = Machine(initial: [], minimumReloadInterval: .seconds(1))
        guard case .startReload = machine.miss(now: start) else {
            Issue.record("the first miss should reload")
            return
        }
        #expect(machine.isReloading)
        guard case .waitForReload = machine.miss(now: start) else {
            Issue.record("a miss during a reload should wait for it")
            return
        }
        guard case .suspend = machine.wait(1), case .waitForReload = machine.miss(now: start), case .suspend = machine.wait(2)
        else {
            Issue.record("waiters should be kept while the reload runs")
            return
        }
        #expect(machine.waiting == 2)
        let resumed = machine.reloadSucceeded(["IRS"], now: start)
        #expect(resumed == [1, 2])
        #expect(!machine.isReloading)
        #expect(machine.snapshot == ["IRS"])
        #expect(machine.loadedAt == start)
        #expect(machine.attempts == 1)
    }

    @Test func aMissWithinTheIntervalIsAnsweredFromTheCopy() {
        let start = ContinuousClock.now
        var machine = Machine(initial: [], minimumReloadInterval: .seconds(1))
        _ = machine.miss(now: start)
        _ = machine.reloadSucceeded(["IRS"], now: start)
        guard case .answer(let copy) = machine.miss(now: start + .milliseconds(1000)) else {
            Issue.record("a miss one second after the load should not reload")
            return
        }
        #expect(copy == ["IRS"])
        guard case .startReload = machine.miss(now: start + .milliseconds(1001)) else {
            Issue.record("a miss more than a second after the load should reload")
            return
        }
        #expect(machine.attempts == 2)
    }

    @Test func aFailedReloadIsReportedToItsWaitersAndTheNextMissRetries() {
        let start = ContinuousClock.now
        var machine = Machine(initial: ["IRS"], minimumReloadInterval: .seconds(1))
        _ = machine.miss(now: start)
        _ = machine.wait(7)
        let resumed = machine.reloadFailed(LoadFailure(attempt: 1))
        #expect(resumed == [7])
        #expect(machine.snapshot == ["IRS"], "a failure keeps the previous copy")
        #expect(machine.lastError == LoadFailure(attempt: 1))
        #expect(machine.failures == 1)
        // A waiter that arrives after the reload ended gets its result at once.
        guard case .resume(.failure(let error)) = machine.wait(8) else {
            Issue.record("a late waiter should get the failure")
            return
        }
        #expect(error == LoadFailure(attempt: 1))
        // The failure did not count as a load: the next miss, even at once, may retry.
        guard case .startReload = machine.miss(now: start) else {
            Issue.record("the next miss should retry")
            return
        }
        _ = machine.reloadSucceeded(["IRS", "SSA"], now: start)
        #expect(machine.lastError == nil)
        guard case .resume(.success(let copy)) = machine.wait(9) else {
            Issue.record("a late waiter should get the new copy")
            return
        }
        #expect(copy == ["IRS", "SSA"])
    }

    @Test func anExplicitReloadIgnoresTheIntervalButNotAReloadInFlight() {
        let start = ContinuousClock.now
        var machine = Machine(initial: [], minimumReloadInterval: .seconds(1))
        _ = machine.miss(now: start)
        guard case .waitThenAskAgain = machine.explicitReload() else {
            Issue.record("an explicit reload should wait for the one in flight")
            return
        }
        _ = machine.wait(1)
        let resumed = machine.reloadSucceeded(["IRS"], now: start)
        #expect(resumed == [1])
        guard case .startReload = machine.explicitReload() else {
            Issue.record("an explicit reload should then read again, within the interval too")
            return
        }
        #expect(machine.attempts == 2)
    }

    @Test func updatesChangeTheCopyWithoutReloading() {
        var machine = Machine(initial: ["IRS"], minimumReloadInterval: .seconds(1))
        machine.update { $0.append("SSA") }
        #expect(machine.snapshot == ["IRS", "SSA"])
        #expect(machine.attempts == 0)
        #expect(machine.loadedAt == nil)
    }

    // MARK: - The cache, with a fake loader

    /// A loader that counts its loads and holds each one until the test opens it.
    final class GatedLoader: Sendable {
        private struct State {
            var loads = 0
            var failNext = false
            var gate: CheckedContinuation<Void, Never>?
            var open = false
        }
        private let state = Mutex(State())

        var loads: Int { state.withLock { $0.loads } }

        func failNext() { state.withLock { $0.failNext = true } }

        func load() async throws -> [String] {
            await withCheckedContinuation { continuation in
                let proceed = state.withLock { state in
                    state.loads += 1
                    if state.open { return true }
                    state.gate = continuation
                    return false
                }
                if proceed { continuation.resume() }
            }
            let (attempt, fail) = state.withLock { state in
                defer { state.failNext = false }
                return (state.loads, state.failNext)
            }
            if fail { throw LoadFailure(attempt: attempt) }
            return ["load \(attempt)"]
        }

        /// Lets the held load (and every later one) run.
        func open() {
            state.withLock { state in
                state.open = true
                defer { state.gate = nil }
                return state.gate
            }?.resume()
        }
    }

    @Test func concurrentMissesTriggerOneLoad() async throws {
        let loader = GatedLoader()
        // An interval no busy machine outlasts, so the last miss is answered from the copy.
        let cache = ReloadingCache(initial: [String](), minimumReloadInterval: .seconds(3_600)) { try await loader.load() }
        let misses = 20
        try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<misses {
                group.addTask { try await cache.reloadAfterMiss() }
            }
            // Every miss but the one that reloads is waiting before the load may finish.
            while cache.waiting < misses - 1 { try await Task.sleep(for: .milliseconds(5)) }
            loader.open()
            for try await copy in group {
                #expect(copy == ["load 1"])
            }
        }
        #expect(loader.loads == 1)
        // Within the interval, a miss is answered from the copy.
        #expect(try await cache.reloadAfterMiss() == ["load 1"])
        #expect(loader.loads == 1)
    }

    @Test func aFailedLoadReachesEveryWaiterAndTheNextMissRetries() async throws {
        let loader = GatedLoader()
        loader.failNext()
        let cache = ReloadingCache(initial: [String]()) { try await loader.load() }
        let misses = 5
        let failures = try await withThrowingTaskGroup(of: LoadFailure?.self) { group in
            for _ in 0..<misses {
                group.addTask {
                    do {
                        _ = try await cache.reloadAfterMiss()
                        return nil
                    } catch let error as LoadFailure {
                        return error
                    }
                }
            }
            while cache.waiting < misses - 1 { try await Task.sleep(for: .milliseconds(5)) }
            loader.open()
            var failures: [LoadFailure?] = []
            for try await failure in group { failures.append(failure) }
            return failures
        }
        #expect(failures == Array(repeating: LoadFailure(attempt: 1), count: misses))
        #expect(loader.loads == 1)
        #expect(try await cache.reloadAfterMiss() == ["load 2"])
        #expect(loader.loads == 2)
    }

    @Test func anExplicitReloadReadsAfterTheLoadInFlight() async throws {
        let loader = GatedLoader()
        let cache = ReloadingCache(initial: [String]()) { try await loader.load() }
        async let missed = cache.reloadAfterMiss()
        while loader.loads < 1 { try await Task.sleep(for: .milliseconds(5)) }
        async let reloaded = cache.reload()
        while cache.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
        loader.open()
        #expect(try await missed == ["load 1"])
        #expect(try await reloaded == ["load 2"])
        #expect(cache.withSnapshot { $0 } == ["load 2"])
        #expect(loader.loads == 2)
    }

    @Test func withSnapshotChangesTheCopyWithoutLoading() {
        let loader = GatedLoader()
        let cache = ReloadingCache(initial: ["IRS"]) { try await loader.load() }
        cache.withSnapshot { $0.append("SSA") }
        #expect(cache.withSnapshot { $0 } == ["IRS", "SSA"])
        #expect(loader.loads == 0)
    }
}
