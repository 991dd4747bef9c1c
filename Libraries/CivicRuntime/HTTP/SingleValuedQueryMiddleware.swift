import Hummingbird

/// Refuses (400 `invalid_parameter`, the one error body) every request that gives a query parameter more than
/// once, before any route reads it, so no route can act on one value while another is recorded (an export
/// reading the first `service=` while its audit entry names the last). ``QueryParameters`` refuses repeats
/// too; this covers the routes that read no parameter, or read them some other way.
package struct SingleValuedQueryMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = try QueryParameters(request)
        return try await next(request, context)
    }
}
