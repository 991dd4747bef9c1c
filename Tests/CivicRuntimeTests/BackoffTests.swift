import CivicRuntime
import CivicTestTraits
import Testing

/// The retry loops' delays: the first, then growing by the multiplier, capped, and back to the first on reset.
@Suite(.hangGuard) struct BackoffTests {
    @Test func doublesUpToTheMaximum() {
        var backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        var delays: [Duration] = []
        for _ in 0..<8 { delays.append(backoff.next()) }
        #expect(
            delays == [
                .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1_600), .milliseconds(3_200),
                .seconds(5), .seconds(5), .seconds(5),
            ]
        )
    }

    @Test func aCopyKeepsItsOwnPlaceAndResetStartsAgain() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(30), multiplier: 3)
        _ = backoff.next()
        var copy = backoff
        #expect(copy.next() == .seconds(3))
        #expect(copy.next() == .seconds(9))
        #expect(backoff.next() == .seconds(3))
        backoff.reset()
        #expect(backoff.next() == .seconds(1))
    }

    @Test func aFirstDelayAboveTheMaximumIsKeptOnce() {
        var backoff = Backoff(initial: .seconds(10), maximum: .seconds(5))
        #expect(backoff.next() == .seconds(10))
        #expect(backoff.next() == .seconds(5))
    }

    @Test func theStreamProcessorsSettingsMakeItsBackoff() {
        var configuration = StreamProcessorConfiguration()
        configuration.initialBackoff = .milliseconds(50)
        configuration.maxBackoff = .milliseconds(120)
        var backoff = configuration.backoff
        #expect([backoff.next(), backoff.next(), backoff.next()] == [.milliseconds(50), .milliseconds(100), .milliseconds(120)])
    }
}
