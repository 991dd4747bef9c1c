import Synchronization

/// What `/ready` reports: the state of each component a service depends on (database, broker, ...).
/// The service is ready when every registered component is ready.
public final class ReadinessState: Sendable {
    /// One component's state.
    public struct Component: Sendable, Codable, Equatable {
        /// Whether the component currently works.
        public var ready: Bool
        /// Why it is not ready, when it is not.
        public var detail: String?
    }

    private let components = Mutex<[String: Component]>([:])

    /// Creates an empty state (ready, since nothing is registered).
    public init() {}

    /// Registers or updates a component.
    public func set(_ name: String, ready: Bool, detail: String? = nil) {
        components.withLock { $0[name] = Component(ready: ready, detail: ready ? nil : detail) }
    }

    /// A snapshot of every component.
    public var snapshot: [String: Component] { components.withLock { $0 } }

    /// Whether every component is ready.
    public var isReady: Bool { components.withLock { $0.values.allSatisfy(\.ready) } }
}
