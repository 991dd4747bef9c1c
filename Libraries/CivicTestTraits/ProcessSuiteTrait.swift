import Foundation
import Synchronization
import Testing

/// Runs a suite that starts processes in a bounded group: at most the group's width of such suites run at
/// once, whatever else runs beside them.
///
/// Unbounded, every suite of the run starts at once, and on a two-core machine a dozen pipelines of four
/// services each would share two cores with hundreds of other tests. A suite waits for a place before any of
/// its tests starts, so the wait is not counted in any test's time limit (Swift Testing applies a suite's
/// scope outside the limits of the tests in it).
package struct ProcessSuiteTrait: SuiteTrait, TestScoping {
    /// The groups, each with its own width.
    package enum Group: Sendable {
        /// Suites that start the services' executables (a whole pipeline, or several processes of one
        /// service): `CIVIC_TEST_PIPELINE_SUITES` at once, default 2.
        case pipeline
        /// Suites that start a broker, a TLS terminator, an OpenID provider, a PostgreSQL of their own or a
        /// service in process: `CIVIC_TEST_PROCESS_SUITES` at once, default 3.
        case processes

        fileprivate var places: AsyncPlaces {
            switch self {
            case .pipeline: Self.pipelinePlaces
            case .processes: Self.processPlaces
            }
        }

        private static let pipelinePlaces = AsyncPlaces(count: width(of: "CIVIC_TEST_PIPELINE_SUITES", default: 2))
        private static let processPlaces = AsyncPlaces(count: width(of: "CIVIC_TEST_PROCESS_SUITES", default: 3))

        private static func width(of variable: String, default value: Int) -> Int {
            max(1, ProcessInfo.processInfo.environment[variable].flatMap { Int($0) } ?? value)
        }
    }

    /// The group the suite runs in.
    package var group: Group

    /// Whether the trait applies to the tests inside the suite too: no, it scopes the suite once.
    package var isRecursive: Bool { false }

    package func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase == nil, test.isSuite else {
            try await function()
            return
        }
        let places = group.places
        await places.take()
        do {
            try await function()
        } catch {
            places.give()
            throw error
        }
        places.give()
    }
}

extension Trait where Self == ProcessSuiteTrait {
    /// The suite starts the services' executables: it runs in the bounded pipeline group.
    package static var startsPipeline: Self { ProcessSuiteTrait(group: .pipeline) }
    /// The suite starts a broker or another helper process: it runs in the bounded process group.
    package static var startsProcesses: Self { ProcessSuiteTrait(group: .processes) }
}

/// A counting semaphore for tasks: ``take()`` waits, without blocking a thread, until a place is free.
final class AsyncPlaces: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(free: count)) }

    func take() async {
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    func give() {
        let next = state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return CheckedContinuation<Void, Never>?.none
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
