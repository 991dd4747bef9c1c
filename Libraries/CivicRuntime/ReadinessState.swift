import Metrics
import Synchronization

/// What `/ready` reports: the state of each component a service depends on (database, broker, ...).
/// The service is ready when every registered component is ready.
///
/// It also holds what `/health` (the liveness check) reports: a component that could not heal itself (a
/// stage that rebuilt its Kafka producer and still makes no progress, see ``HealingWatch``) declares itself
/// dead with ``setAlive(_:alive:detail:)``, and the orchestrator restarts the process.
///
/// Each component is also the gauge `civic_ready{component}` (1 ready, 0 not), so the platform's
/// monitoring sees readiness per stage without probing `/ready`.
package final class ReadinessState: Sendable {
    /// One component's state.
    package struct Component: Sendable, Codable, Equatable {
        /// Whether the component currently works.
        package var ready: Bool
        /// Why it is not ready, when it is not.
        package var detail: String?
    }

    private let components = Mutex<[String: Component]>([:])
    private let liveness = Mutex<[String: Component]>([:])
    private let gauges = Mutex<[String: Gauge]>([:])

    /// Creates an empty state (ready, since nothing is registered).
    package init() {}

    /// Registers or updates a component.
    package func set(_ name: String, ready: Bool, detail: String? = nil) {
        components.withLock { $0[name] = Component(ready: ready, detail: ready ? nil : detail) }
        gauge(name).record(ready ? 1 : 0)
    }

    private func gauge(_ name: String) -> Gauge {
        gauges.withLock { gauges in
            if let gauge = gauges[name] { return gauge }
            let gauge = Gauge(label: "civic_ready", dimensions: [("component", name)])
            gauges[name] = gauge
            return gauge
        }
    }

    /// A snapshot of every component.
    package var snapshot: [String: Component] { components.withLock { $0 } }

    /// Whether every component is ready.
    package var isReady: Bool { components.withLock { $0.values.allSatisfy(\.ready) } }

    /// Records whether a component is alive (``Component/ready`` then means alive); `/health` fails while one
    /// is not. Also the gauge `civic_alive{component}`.
    package func setAlive(_ name: String, alive: Bool, detail: String? = nil) {
        liveness.withLock { $0[name] = Component(ready: alive, detail: alive ? nil : detail) }
        Gauge(label: "civic_alive", dimensions: [("component", name)]).record(alive ? 1 : 0)
    }

    /// The components that declared themselves dead, with why.
    package var deadComponents: [String: Component] { liveness.withLock { $0.filter { !$0.value.ready } } }

    /// Whether no component declared itself dead.
    package var isAlive: Bool { liveness.withLock { $0.values.allSatisfy(\.ready) } }
}
