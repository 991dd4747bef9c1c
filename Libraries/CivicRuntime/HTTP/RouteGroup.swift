import Hummingbird

/// A set of routes that registers itself on a service's router: the one way a service adds its HTTP
/// routes to the ``OperationsServer`` (the contract documents, submissions, administration, reports, ...).
package protocol RouteGroup<Context>: Sendable {
    /// The request context of the router the routes go on.
    associatedtype Context: RequestContext

    /// Adds the routes to `router` (the service's router, or a group of it with its own middleware).
    func register(on router: some RouterMethods<Context>)
}
