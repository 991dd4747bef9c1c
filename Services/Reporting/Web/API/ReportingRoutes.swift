import CivicRuntime
import Hummingbird
import HummingbirdAuth

/// Every route that shows data or changes access, behind the session cookie and ``ReportingAuthenticator``:
/// the report API, levels and exports, the dashboard, sign-in and access administration. (`/health`,
/// `/ready`, `/metrics` and the contract documents are registered outside this group and need no credential.)
/// A query parameter given twice is refused (400) on every route of the group, before anything reads it.
package struct ReportingRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let sessions: PostgresSessionDriver
    let sessionCookie: SessionCookieParameters
    let authenticator: ReportingAuthenticator
    let groups: [any RouteGroup<ReportingRequestContext>]

    package init(
        sessions: PostgresSessionDriver,
        sessionCookie: SessionCookieParameters,
        authenticator: ReportingAuthenticator,
        groups: [any RouteGroup<ReportingRequestContext>]
    ) {
        self.sessions = sessions
        self.sessionCookie = sessionCookie
        self.authenticator = authenticator
        self.groups = groups
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        let group = router.group()
            .add(middleware: SingleValuedQueryMiddleware())
            .add(
                middleware: SessionMiddleware(
                    storage: sessions,
                    configuration: SessionMiddlewareConfiguration(
                        sessionCookieParameters: sessionCookie,
                        keyPrefix: "",
                        defaultSessionExpiration: authenticator.sessionIdleTimeout
                    )
                )
            )
            .add(middleware: authenticator)
        for routes in groups { routes.register(on: group) }
    }
}
