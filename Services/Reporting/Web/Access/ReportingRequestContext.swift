import CivicRuntime
import Hummingbird
import HummingbirdAuth
import NIOCore

/// reporting's request context: Hummingbird's per-request storage, the caller (``ReportingPrincipal``,
/// set by ``ReportingAuthenticator``) and the staff session behind the session cookie, if any.
package struct ReportingRequestContext: AuthRequestContext, SessionRequestContext {
    /// Hummingbird's per-request storage.
    package var coreContext: CoreRequestContextStorage
    /// The authenticated caller; `nil` when the request carries no credential.
    package var identity: ReportingPrincipal?
    /// The staff session of the session cookie.
    package let sessions: SessionContext<StaffSession>
    /// The TCP peer's address (``SignInRateLimit``); `nil` when unknown.
    let clientAddress: String?

    /// Creates the context for a request.
    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        sessions = SessionContext()
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The caller.
    /// - Throws: ``APIError`` 401 when the request carries no credential.
    func requirePrincipal() throws(APIError) -> ReportingPrincipal {
        guard let identity else {
            throw .unauthorized(
                "sign in (GET /signin) or send a reporting token as 'Authorization: Bearer crt_…' (civicctl access token)"
            )
        }
        return identity
    }
}

/// What a staff session holds (in `reporting.sessions`, keyed by the digest of the cookie's session id).
package struct StaffSession: Codable, Sendable, Equatable {
    /// The signed-in user's `sub` at the issuer; `nil` while a sign-in is in progress.
    var subject: String?
    /// The issuer that signed the user in (grants are keyed on issuer and `sub`).
    var issuer: String?
    /// The `email` claim at sign-in, shown on the dashboard.
    var email: String?
    /// When the user signed in (Unix seconds): sessions end at the absolute lifetime whatever the activity.
    var signedInAt: Double?
    /// The token every state-changing form of the session must return (`csrf`).
    var csrfToken: String

    /// Creates a session.
    init(subject: String? = nil, issuer: String? = nil, email: String? = nil, signedInAt: Double? = nil, csrfToken: String) {
        self.subject = subject
        self.issuer = issuer
        self.email = email
        self.signedInAt = signedInAt
        self.csrfToken = csrfToken
    }

    /// A sign-in started by `GET /signin` and finished by `GET /auth/callback`, kept in the browser
    /// (``PendingSignInCookie``), never in a session.
    struct PendingSignIn: Codable, Sendable, Equatable {
        /// The `state` sent to the issuer; the callback must return it.
        var state: String
        /// The `nonce` sent to the issuer; the id_token must carry it.
        var nonce: String
        /// The PKCE code verifier whose S256 challenge was sent.
        var codeVerifier: String
        /// Where to go after signing in (a path on this service).
        var returnTo: String
    }
}
