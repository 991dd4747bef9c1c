import CivicRuntime
import Testing

/// The healing watch's rules, without a broker: no progress past `healAfter` rebuilds, and again every
/// `healAfter`; still none `livenessTimeout` after the first rebuild fails the liveness check; progress at any
/// point recovers.
struct HealingWatchTests {
    let limits = HealingWatch.Limits(healAfter: .seconds(10), livenessTimeout: .seconds(20))

    @Test func noProgressRebuildsEveryHealAfterAndFailsTheLivenessCheckOnce() {
        var watch = HealingWatch(limits: limits)
        let start = ContinuousClock.now
        #expect(watch.observe(stalledFor: .zero, at: start) == .none)
        #expect(watch.observe(stalledFor: .seconds(10), at: start + .seconds(10)) == .none, "at the limit, not past it")
        #expect(watch.observe(stalledFor: .seconds(11), at: start + .seconds(11)) == .rebuild)
        // The rebuild has its chance before the next one.
        #expect(watch.observe(stalledFor: .seconds(20), at: start + .seconds(20)) == .none)
        #expect(watch.observe(stalledFor: .seconds(21), at: start + .seconds(21)) == .rebuild)
        #expect(watch.observe(stalledFor: .seconds(30), at: start + .seconds(30)) == .none)
        #expect(!watch.isDead)
        #expect(watch.observe(stalledFor: .seconds(31), at: start + .seconds(31)) == .failLiveness)
        #expect(watch.isDead)
        // Reported once; the rebuilds go on.
        #expect(watch.observe(stalledFor: .seconds(32), at: start + .seconds(32)) == .rebuild)
        #expect(watch.observe(stalledFor: .seconds(40), at: start + .seconds(40)) == .none)
        #expect(watch.isDead)
    }

    @Test func progressAfterTheRebuildRecoversAndALaterStallRebuildsAgain() {
        var watch = HealingWatch(limits: limits)
        let start = ContinuousClock.now
        #expect(watch.observe(stalledFor: .seconds(12), at: start) == .rebuild)
        #expect(watch.observe(stalledFor: .seconds(1), at: start + .seconds(3)) == .recovered)
        #expect(watch.observe(stalledFor: .seconds(2), at: start + .seconds(4)) == .none)
        #expect(watch.observe(stalledFor: .seconds(11), at: start + .seconds(100)) == .rebuild)
    }

    @Test func aDeadStageThatMovesAgainIsAliveAgain() {
        var watch = HealingWatch(limits: limits)
        let start = ContinuousClock.now
        #expect(watch.observe(stalledFor: .seconds(11), at: start) == .rebuild)
        #expect(watch.observe(stalledFor: .seconds(40), at: start + .seconds(25)) == .failLiveness)
        #expect(watch.observe(stalledFor: .zero, at: start + .seconds(26)) == .recovered)
        #expect(!watch.isDead)
    }
}
