import Foundation

/// One OpenID Connect authorization request (authorization-code flow with PKCE) and the secrets the
/// caller must keep until the callback.
///
/// Keep ``state``, ``nonce`` and ``codeVerifier`` server-side (e.g. in the session the sign-in
/// started), redirect the browser to ``url``, and on the callback pass them to
/// ``StaffSignIn/complete(code:state:pending:)``. Never put them in the URL or a client-readable cookie.
package struct StaffAuthorizationRequest: Sendable, Hashable {
    /// The random `state` (256 bits, base64url) the callback must return unchanged.
    package let state: String
    /// The random `nonce` (256 bits, base64url) the id_token must carry.
    package let nonce: String
    /// The PKCE verifier whose S256 challenge is in ``url``.
    package let codeVerifier: PKCECodeVerifier
    /// The authorization URL to redirect the browser to.
    package let url: URL

    /// Builds a request with fresh `state`, `nonce` and PKCE verifier.
    ///
    /// The URL carries `client_id`, `response_type=code`, `redirect_uri`, `scope`, `acr_values`,
    /// `state`, `nonce`, `code_challenge`, `code_challenge_method=S256`, `prompt` and, when given,
    /// `login_hint`, each percent-encoded (every byte outside `A-Z a-z 0-9 - . _ ~`), appended to any
    /// query the endpoint already has.
    /// - Parameters:
    ///   - authorizationEndpoint: The issuer's authorization endpoint.
    ///   - clientID: The relying party's client_id.
    ///   - redirectURI: The registered redirect URI.
    ///   - scopes: The scopes. Default: `openid email`.
    ///   - acrValues: The requested `acr_values`. Default: ``StaffSignInConfiguration/defaultACRValues``.
    ///   - prompt: The `prompt`. Default: `select_account`.
    ///   - loginHint: An optional `login_hint` (which account to sign in as).
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidConfiguration``) if the endpoint cannot
    ///   take a query.
    package init(
        authorizationEndpoint: URL,
        clientID: String,
        redirectURI: String,
        scopes: [String] = ["openid", "email"],
        acrValues: String = StaffSignInConfiguration.defaultACRValues,
        prompt: String = "select_account",
        loginHint: String? = nil
    ) throws {
        let state = SignInSecrets.randomToken()
        let nonce = SignInSecrets.randomToken()
        let verifier = PKCECodeVerifier()
        var pairs: [(String, String)] = [
            ("client_id", clientID),
            ("response_type", "code"),
            ("redirect_uri", redirectURI),
            ("scope", scopes.joined(separator: " ")),
            ("acr_values", acrValues),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", verifier.challenge),
            ("code_challenge_method", PKCECodeVerifier.challengeMethod),
            ("prompt", prompt),
        ]
        if let loginHint { pairs.append(("login_hint", loginHint)) }
        let query = FormEncoding.encode(pairs)

        let endpoint = authorizationEndpoint.absoluteString
        guard !endpoint.contains("#") else {
            throw IdentityError(code: .invalidConfiguration, reason: "authorization endpoint has a fragment")
        }
        let separator = endpoint.contains("?") ? (endpoint.hasSuffix("?") || endpoint.hasSuffix("&") ? "" : "&") : "?"
        guard let url = URL(string: endpoint + separator + query) else {
            throw IdentityError(code: .invalidConfiguration, reason: "authorization endpoint cannot take a query")
        }
        self.state = state
        self.nonce = nonce
        self.codeVerifier = verifier
        self.url = url
    }

    /// Builds a request from a staff sign-in configuration. See
    /// ``init(authorizationEndpoint:clientID:redirectURI:scopes:acrValues:prompt:loginHint:)``.
    package init(configuration: StaffSignInConfiguration, loginHint: String? = nil) throws {
        try self.init(
            authorizationEndpoint: configuration.authorizationEndpoint,
            clientID: configuration.clientID,
            redirectURI: configuration.redirectURI,
            scopes: configuration.scopes,
            acrValues: configuration.acrValues,
            prompt: configuration.prompt,
            loginHint: loginHint
        )
    }

    /// A request rebuilt from the values kept in a session (the URL is not needed after the redirect).
    package init(state: String, nonce: String, codeVerifier: PKCECodeVerifier, url: URL) {
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.url = url
    }
}
