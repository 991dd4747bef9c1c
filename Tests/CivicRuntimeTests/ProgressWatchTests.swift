import Testing

@testable import CivicRuntime

/// The progress watch's rules, without a broker: a batch in flight past the timeout is a stall, reported
/// once; committing moves the oldest batch on.
struct ProgressWatchTests {
    @Test func aBatchInFlightPastTheTimeoutIsAStallReportedOnceUntilItMoves() {
        var watch = ProgressWatch()
        let start = ContinuousClock.now
        #expect(watch.check(at: start + .seconds(500), timeout: .seconds(10)) == (.moving, false))
        watch.taken(at: start)
        watch.taken(at: start + .seconds(8))
        #expect(watch.check(at: start + .seconds(9), timeout: .seconds(10)) == (.moving, false))
        #expect(watch.check(at: start + .seconds(11), timeout: .seconds(10)) == (.stalled(.seconds(11)), true))
        #expect(watch.check(at: start + .seconds(12), timeout: .seconds(10)) == (.stalled(.seconds(12)), false))
        // The oldest commits: the next one, taken at 8 s, is 5 s old at 13 s.
        watch.committed()
        #expect(watch.oldestAge(at: start + .seconds(13)) == .seconds(5))
        #expect(watch.check(at: start + .seconds(13), timeout: .seconds(10)) == (.moving, false))
        // It stalls in turn, and is reported as a new stall.
        #expect(watch.check(at: start + .seconds(19), timeout: .seconds(10)) == (.stalled(.seconds(11)), true))
        watch.committed()
        watch.committed()
        #expect(watch.oldestAge(at: start + .seconds(60)) == .zero)
        #expect(watch.check(at: start + .seconds(60), timeout: .seconds(10)) == (.moving, false))
    }
}

/// How long a stage has had work and not moved, which the healing watch acts on.
struct ProgressWatchStalledForTests {
    @Test func anIdleStageIsNotStalledAndASteadyOneIsMeasuredFromItsLastCommit() {
        var watch = ProgressWatch()
        let start = ContinuousClock.now
        #expect(watch.stalledFor(at: start + .seconds(500)) == .zero)
        watch.taken(at: start)
        watch.taken(at: start + .seconds(1))
        #expect(watch.stalledFor(at: start + .seconds(30)) == .seconds(30))
        // The first commits at 30 s: the second, taken long before, has waited only since that commit.
        watch.committed(at: start + .seconds(30))
        #expect(watch.stalledFor(at: start + .seconds(32)) == .seconds(2))
        watch.committed(at: start + .seconds(33))
        #expect(watch.stalledFor(at: start + .seconds(90)) == .zero)
        // A batch taken after a long idle time is measured from when it was taken.
        watch.taken(at: start + .seconds(100))
        #expect(watch.stalledFor(at: start + .seconds(104)) == .seconds(4))
    }

    @Test func aConsumerInTroubleStallsEvenAnIdleStageUntilAPollGoesThrough() {
        var watch = ProgressWatch()
        let start = ContinuousClock.now
        watch.pollTroubled(at: start)
        watch.pollTroubled(at: start + .seconds(5))
        #expect(watch.stalledFor(at: start + .seconds(10)) == .seconds(10))
        watch.polled()
        #expect(watch.stalledFor(at: start + .seconds(11)) == .zero)
    }
}
