import Hummingbird

/// A set of routes that registers itself on a service's router: the one way a service adds its HTTP
/// routes to the ``OperationsServer`` (the contract documents, submissions, administration, reports, ...).
public protocol RouteGroup<Context>: Sendable {
    /// The request context of the router the routes go on.
    associatedtype Context: RequestContext

    /// Adds the routes to `router`.
    func register(on router: Router<Context>)
}
