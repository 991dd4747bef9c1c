import CivicBytes
import CivicRuntime
import CivicTime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Resolves the caller of every data route: a bearer token (the operators' administration token, compared as
/// digests in constant time, or a reporting token `crt_…`), else the staff session of the session cookie.
///
/// A request without any credential goes on without an identity (routes then answer 401); a presented bearer
/// token that is malformed, unknown, revoked, expired or wrong is answered 401 at once, never treated as anonymous.
/// A signed-in session's expiry slides by the idle timeout on every request, up to the absolute lifetime.
package struct ReportingAuthenticator: AuthenticatorMiddleware {
    package typealias Context = ReportingRequestContext

    let store: AccessStore
    /// SHA-256 of `CIVIC_REPORTING_ADMIN_TOKEN`; `nil` when none is configured.
    let administratorDigest: [UInt8]?
    let sessionIdleTimeout: Duration
    let sessionLifetime: Duration

    package init(store: AccessStore, administratorDigest: [UInt8]?, sessionIdleTimeout: Duration, sessionLifetime: Duration) {
        self.store = store
        self.administratorDigest = administratorDigest
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionLifetime = sessionLifetime
    }

    /// The header that carries a session's CSRF token on state-changing API calls.
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    package func authenticate(request: Request, context: Context) async throws -> ReportingPrincipal? {
        if let token = request.bearerToken {
            if let administratorDigest, ConstantTime.equal(BearerSecret.digest(token), administratorDigest) {
                return ReportingPrincipal(kind: .administrator, grants: [])
            }
            guard let secret = BearerSecret(parsing: token, prefix: AccessStore.tokenPrefix) else {
                throw APIError.unauthorized("the bearer token is not a reporting token (crt_<key id>_<secret>)")
            }
            switch try await store.check(secret) {
            case .valid(let principal): return principal
            case .expired: throw APIError.unauthorized("the reporting token has expired; mint a new one")
            case .refused: throw APIError.unauthorized("the reporting token is unknown, revoked or wrong")
            }
        }
        // A session from before sessions named their issuer holds no identity: its user signs in again.
        guard let session = context.sessions.session, let subject = session.subject, let issuer = session.issuer else { return nil }
        let signedInAt = session.signedInAt ?? 0
        guard Date().timeIntervalSince1970 - signedInAt < Double(sessionLifetime.wholeSeconds) else {
            context.sessions.clearSession()
            return nil
        }
        // A state-changing request on a session must carry the session's CSRF token (sign-out checks its
        // form field itself); SameSite=Lax already keeps the cookie off cross-site POSTs.
        if request.method != .get, request.method != .head, request.uri.path != "/signout" {
            let presented = request.headers[Self.csrfHeader].map { Array($0.utf8) } ?? []
            guard ConstantTime.equal(presented, Array(session.csrfToken.utf8)) else {
                throw APIError.forbidden("a change made with a session cookie must carry the session's X-CSRF-Token")
            }
        }
        _ = context.sessions.updateSession(session, expiresIn: sessionIdleTimeout)
        return try await store.principal(forUser: subject, issuer: issuer)
    }
}
