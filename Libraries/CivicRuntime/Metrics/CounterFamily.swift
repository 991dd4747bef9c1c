import Metrics
import Synchronization

/// The counters of one metric, one per set of dimension values, each made the first time it is counted.
///
/// `Counter(label:dimensions:)` goes through the metrics factory (a lock and a look-up) every time it is
/// made; a family does that once per distinct set of dimensions, which matters on a per-request or
/// per-message path.
package final class CounterFamily: Sendable {
    private struct Key: Hashable {
        var dimensions: [String]
    }

    private let label: String
    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: Counter]>([:])

    /// The family of `label`, made by `factory` (default: the installed metrics backend).
    package init(label: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.label = label
        self.factory = factory
    }

    /// The counter with these dimensions (name, value), in the order given.
    package func counter(_ dimensions: [(String, String)]) -> Counter {
        let key = Key(dimensions: dimensions.flatMap { [$0.0, $0.1] })
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = counter
            return counter
        }
    }
}
