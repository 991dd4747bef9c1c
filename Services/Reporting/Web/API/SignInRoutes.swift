import CivicBytes
import CivicIdentity
import CivicRuntime
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import ReportingCore

/// Staff sign-in with OpenID Connect (authorization code with PKCE, `private_key_jwt`, `nonce`, `state`,
/// `acr_values`), present when ``ReportingConfiguration/signIn`` is set:
///
/// - `GET /signin?returnTo=/dashboard[&login_hint=…]` starts a sign-in and redirects to the issuer; the
///   sign-in in progress is kept in a sealed, short-lived cookie (``PendingSignInCookie``), not in the
///   database: an anonymous request writes no row;
/// - `GET /auth/callback?code&state` finishes it: the state, the code exchange and the id_token (issuer,
///   audience, signature, nonce, expiry) are checked, and only then is a session created (its row written,
///   under a new id: no fixation), the sign-in audited, and the browser sent to `returnTo` (a local path only);
/// - both are limited per client address (``SignInRateLimit``, 429 past it);
/// - `POST /signout` (form field `csrf`, the session's token) ends the session.
///
/// The session cookie is HttpOnly and SameSite=Lax (Secure unless `CIVIC_REPORTING_COOKIE_SECURE=false`),
/// and ends after the idle timeout or the absolute lifetime (``ReportingAuthenticator``).
package struct SignInRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let provider: StaffSignInProvider
    let store: AccessStore
    let audit: AuditTrail
    let idleTimeout: Duration
    let pendingCookie: PendingSignInCookie
    let rateLimit: SignInRateLimit
    let logger: Logger

    package init(
        provider: StaffSignInProvider,
        store: AccessStore,
        audit: AuditTrail,
        idleTimeout: Duration,
        pendingCookie: PendingSignInCookie,
        rateLimit: SignInRateLimit,
        logger: Logger
    ) {
        self.provider = provider
        self.store = store
        self.audit = audit
        self.idleTimeout = idleTimeout
        self.pendingCookie = pendingCookie
        self.rateLimit = rateLimit
        self.logger = logger
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("signin") { request, context -> Response in
            try rateLimit.admit(context.clientAddress)
            let parameters = try QueryParameters(request, options: .init(accepted: ["returnTo", "login_hint"]))
            let returnTo = SignInPath.sanitized(try parameters.text("returnTo"))
            let signIn = try await staffSignIn()
            let pending = try signIn.begin(loginHint: try parameters.text("login_hint"))
            var response = Self.redirect(to: pending.url.absoluteString)
            response.setCookie(
                try pendingCookie.cookie(
                    for: .init(state: pending.state, nonce: pending.nonce, codeVerifier: pending.codeVerifier.value, returnTo: returnTo)
                )
            )
            return response
        }
        router.get("auth/callback") { request, context -> Response in
            // Errors are answered here rather than thrown, as the issuer's answer is a browser's navigation.
            do {
                try rateLimit.admit(context.clientAddress)
                return try await callback(request, context)
            } catch let error as APIError {
                return error.response()
            } catch {
                logger.error("staff sign-in callback failed", metadata: ["error": "\(error)"])
                return APIError(.internalServerError, code: .internalError, reason: "the sign-in could not be finished; the error is logged")
                    .response()
            }
        }
        router.post("signout") { request, context -> Response in
            guard let session = context.sessions.session, session.subject != nil, let principal = context.identity else {
                throw APIError.unauthorized("not signed in")
            }
            let body = try await request.body.collect(upTo: 8 * 1024)
            let form = try? URLEncodedFormDecoder().decode(SignOutForm.self, from: String(buffer: body))
            guard let csrf = form?.csrf, ConstantTime.equal(Array(csrf.utf8), Array(session.csrfToken.utf8)) else {
                throw APIError.forbidden("the sign-out form's csrf token is missing or wrong")
            }
            for agency in Set(principal.grants.map(\.agency.code)).sorted() {
                try await audit.record(.init(actor: principal.actor, action: .signOut, agency: agency, target: nil, filter: [:]))
            }
            context.sessions.clearSession()
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            #"<!doctype html><html lang="en"><title>Signed out — CivicPulse</title><main><h1>You are signed out</h1><p><a href="/signin">Sign in again</a></p></main></html>"#
                    )
                )
            )
        }
    }

    private func callback(_ request: Request, _ context: ReportingRequestContext) async throws -> Response {
        let parameters = try QueryParameters(request, options: .init(accepted: ["code", "state", "error", "error_description", "iss"]))
        // The pending sign-in is single-use, whatever happens next (``PendingSignInCookie/take(cookie:now:)``).
        guard let pending = pendingCookie.take(from: request) else {
            throw APIError.unauthorized("no sign-in is in progress in this browser; start again at /signin")
        }
        if let error = try parameters.text("error") {
            throw APIError(.forbidden, code: .signInRefused, reason: "the issuer did not sign you in: \(error)")
        }
        let signIn = try await staffSignIn()
        let request = StaffAuthorizationRequest(
            state: pending.state,
            nonce: pending.nonce,
            codeVerifier: try PKCECodeVerifier(pending.codeVerifier),
            url: signIn.configuration.authorizationEndpoint
        )
        let identity: StaffIdentity
        do {
            identity = try await signIn.complete(
                code: try parameters.requiredText("code"),
                state: try parameters.requiredText("state"),
                pending: request
            )
        } catch let error as IdentityError {
            logger.notice(
                "staff sign-in refused",
                metadata: ["civic.identity.error": "\(error.code)", "civic.refusal": "\(error.refusal.map { "\($0.code)" } ?? "-")"]
            )
            if error.code == .tokenRequestFailed || error.code == .discoveryFailed {
                throw APIError(
                    .serviceUnavailable,
                    code: .signInUnavailable,
                    reason: "the sign-in issuer cannot be reached; try again",
                    retryAfterSeconds: 5
                )
            }
            throw APIError(.forbidden, code: .signInRefused, reason: "sign-in refused: \(error.refusal.map { "\($0.code)" } ?? "\(error.code)")")
        }
        let principal = try await store.principal(forUser: identity.subject, issuer: identity.issuer)
        let agencies = Set(principal.grants.map(\.agency.code)).sorted()
        for agency in agencies.isEmpty ? [nil] : agencies.map(Optional.some) {
            try await audit.record(
                .init(
                    actor: principal.actor,
                    action: .signIn,
                    agency: agency,
                    target: nil,
                    filter: ["acr": identity.acr ?? "", "issuer": identity.issuer]
                )
            )
        }
        // A new session id for the signed-in session (the pending one's id is never reused).
        context.sessions.createSession(
            StaffSession(
                subject: identity.subject,
                issuer: identity.issuer,
                email: identity.email,
                signedInAt: Date().timeIntervalSince1970,
                csrfToken: Self.randomToken()
            ),
            expiresIn: idleTimeout
        )
        logger.info("staff signed in", metadata: ["civic.actor": "\(principal.actor)"])
        return Self.redirect(to: pending.returnTo)
    }

    private struct SignOutForm: Decodable {
        var csrf: String
    }

    private func staffSignIn() async throws -> StaffSignIn {
        do {
            return try await provider.staffSignIn()
        } catch {
            logger.error("staff sign-in is unavailable", metadata: ["error": "\(error)"])
            throw APIError(
                .serviceUnavailable,
                code: .signInUnavailable,
                reason: "the sign-in issuer cannot be reached; try again",
                retryAfterSeconds: 5
            )
        }
    }

    /// 128+ bits of randomness, hex.
    static func randomToken() -> String { BearerSecret.mint(prefix: "s").secret }

    private static func redirect(to location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-store"])
    }
}

extension APIError.Code {
    /// The issuer or the id_token did not sign the user in.
    static let signInRefused: APIError.Code = "sign_in_refused"
    /// The sign-in issuer cannot be reached.
    static let signInUnavailable: APIError.Code = "sign_in_unavailable"
}
