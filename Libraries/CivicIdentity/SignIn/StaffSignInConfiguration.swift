import CivicHTTP
import Foundation

/// Configuration of agency staff sign-in with OpenID Connect: authorization-code flow with PKCE,
/// `private_key_jwt` client authentication, `acr_values`, `nonce` and `state` (Login.gov's profile).
///
/// Every endpoint is configured explicitly; ``OpenIDProviderMetadata/discover(issuer:timeout:maximumBytes:)``
/// can fill them from the issuer's discovery document instead.
package struct StaffSignInConfiguration: Sendable {
    /// The issuer identifier, exactly as it appears in `iss` (e.g. `https://secure.login.gov/`). Required.
    package var issuer: String
    /// The authorization endpoint (e.g. `https://secure.login.gov/openid_connect/authorize`). Required.
    package var authorizationEndpoint: URL
    /// The token endpoint (e.g. `https://secure.login.gov/api/openid_connect/token`); also the `aud` of
    /// the client assertion. Required.
    package var tokenEndpoint: URL
    /// The issuer's JWKS (e.g. `https://secure.login.gov/api/openid_connect/certs`). Required.
    package var jwksURL: URL
    /// The relying party's client_id at the issuer, e.g.
    /// `urn:gov:gsa:openidconnect.profiles:sp:sso:agency:reporting`. Required; the id_token's `aud` must
    /// contain it.
    package var clientID: String
    /// The redirect URI registered with the issuer, where the browser returns with `code` and `state`.
    /// Required.
    package var redirectURI: String
    /// The PEM file of the relying party's private key (RSA of 2048 bits or more, or P-256), used to sign
    /// `private_key_jwt` client assertions. Required.
    package var clientKeyPath: String
    /// The `kid` of that key as registered with the issuer. Required.
    package var clientKeyID: String
    /// The `acr_values` requested. Default: `http://idmanagement.gov/ns/assurance/ial/1` (authentication
    /// only, no identity proofing: staff are known to their agency).
    package var acrValues: String
    /// The scopes requested. Default: `openid email`. Must contain `openid`.
    package var scopes: [String]
    /// The `prompt` sent. Default: `select_account` (Login.gov's required value).
    package var prompt: String
    /// Tolerance applied to the id_token's `exp`, `nbf` and `iat`. Default: 60 seconds; 0 to 300 seconds.
    package var clockSkew: Duration
    /// The lowest identity level a staff id_token's `acr` must carry. Default: ``IdentityProofingLevel/none``
    /// (any).
    package var minimumIdentityLevel: IdentityProofingLevel
    /// The lowest authenticator level, or `nil` (the default) for no requirement.
    package var minimumAuthenticatorLevel: AuthenticatorAssuranceLevel?
    /// The time allowed for one token or discovery request. Default: 10 seconds.
    package var requestTimeout: Duration
    /// A token endpoint answer larger than this is refused. Default: 65,536 bytes (64 KiB).
    package var maximumResponseBytes: Int
    /// Id_tokens longer than this are refused before parsing. Default: 8192 bytes; 256 to 1,048,576.
    package var maximumTokenBytes: Int
    /// The signature algorithms accepted on id_tokens. Default and maximum: `[.rs256, .es256]`.
    package var allowedAlgorithms: Set<SignatureAlgorithm>
    /// Whether plain `http://` endpoints on hosts other than loopback are allowed. Default: `false`.
    package var allowsInsecureHTTP: Bool

    /// Login.gov's authentication-only `acr_values`, the default of ``acrValues``.
    package static let defaultACRValues = "http://idmanagement.gov/ns/assurance/ial/1"

    /// Creates a configuration; every parameter after `clientKeyID` has the documented default.
    package init(
        issuer: String,
        authorizationEndpoint: URL,
        tokenEndpoint: URL,
        jwksURL: URL,
        clientID: String,
        redirectURI: String,
        clientKeyPath: String,
        clientKeyID: String,
        acrValues: String = Self.defaultACRValues,
        scopes: [String] = ["openid", "email"],
        prompt: String = "select_account",
        clockSkew: Duration = .seconds(60),
        minimumIdentityLevel: IdentityProofingLevel = .none,
        minimumAuthenticatorLevel: AuthenticatorAssuranceLevel? = nil,
        requestTimeout: Duration = .seconds(10),
        maximumResponseBytes: Int = 65_536,
        maximumTokenBytes: Int = 8192,
        allowedAlgorithms: Set<SignatureAlgorithm> = [.rs256, .es256],
        allowsInsecureHTTP: Bool = false
    ) {
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.jwksURL = jwksURL
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.clientKeyPath = clientKeyPath
        self.clientKeyID = clientKeyID
        self.acrValues = acrValues
        self.scopes = scopes
        self.prompt = prompt
        self.clockSkew = clockSkew
        self.minimumIdentityLevel = minimumIdentityLevel
        self.minimumAuthenticatorLevel = minimumAuthenticatorLevel
        self.requestTimeout = requestTimeout
        self.maximumResponseBytes = maximumResponseBytes
        self.maximumTokenBytes = maximumTokenBytes
        self.allowedAlgorithms = allowedAlgorithms
        self.allowsInsecureHTTP = allowsInsecureHTTP
    }

    /// The issuer as the id_token verifier trusts it: audience `clientID`, keys from ``jwksURL``.
    var trustedIssuer: TrustedIssuer {
        TrustedIssuer(
            issuer: self.issuer,
            audiences: [self.clientID],
            keySource: .url(self.jwksURL),
            fetchTimeout: self.requestTimeout,
            allowsInsecureHTTP: self.allowsInsecureHTTP
        )
    }

    /// The assurance policy staff id_tokens must meet.
    var assurancePolicy: AgencyIdentityPolicy {
        AgencyIdentityPolicy(
            minimumIdentityLevel: self.minimumIdentityLevel,
            minimumAuthenticatorLevel: self.minimumAuthenticatorLevel,
            onRefusal: .reject
        )
    }

    /// Checks every value; throws ``IdentityError`` with code ``IdentityError/Code/invalidConfiguration``.
    package func validate() throws {
        func fail(_ reason: String) -> IdentityError {
            IdentityError(code: .invalidConfiguration, reason: "staff sign-in: \(reason)")
        }
        if self.issuer.isEmpty { throw fail("issuer must not be empty") }
        if self.clientID.isEmpty { throw fail("clientID must not be empty") }
        if self.clientKeyPath.isEmpty { throw fail("clientKeyPath must not be empty") }
        if self.clientKeyID.isEmpty { throw fail("clientKeyID must not be empty") }
        if !self.scopes.contains("openid") { throw fail("scopes must contain openid") }
        if self.scopes.contains(where: { $0.isEmpty || $0.contains(" ") }) {
            throw fail("each scope must be non-empty and contain no space")
        }
        if self.clockSkew < .zero || self.clockSkew > .seconds(300) {
            throw fail("clockSkew must be between 0 and 300 seconds")
        }
        if self.requestTimeout <= .zero { throw fail("requestTimeout must be positive") }
        if self.maximumResponseBytes < 1024 { throw fail("maximumResponseBytes must be at least 1024") }
        if self.maximumTokenBytes < 256 || self.maximumTokenBytes > 1_048_576 {
            throw fail("maximumTokenBytes must be between 256 and 1048576")
        }
        if self.allowedAlgorithms.isEmpty { throw fail("allowedAlgorithms must not be empty") }
        for (name, url) in [
            ("authorizationEndpoint", self.authorizationEndpoint), ("tokenEndpoint", self.tokenEndpoint),
        ] {
            try Self.checkEndpoint(url, name: name, allowingInsecureHTTP: self.allowsInsecureHTTP)
        }
        guard let redirect = URL(string: self.redirectURI), redirect.scheme != nil, redirect.host != nil else {
            throw fail("redirectURI must be an absolute URL")
        }
        if redirect.fragment != nil { throw fail("redirectURI must not have a fragment") }
        try self.trustedIssuer.validate()
    }

    /// Refuses an endpoint that is not `https` (or `http` to a loopback host, or any `http` when allowed).
    static func checkEndpoint(_ url: URL, name: String, allowingInsecureHTTP: Bool) throws {
        let scheme = url.scheme?.lowercased()
        let host = url.host?.lowercased() ?? ""
        if scheme == "https", !host.isEmpty { return }
        let loopback = LoopbackHost.contains(host)
        if scheme == "http", !host.isEmpty, loopback || allowingInsecureHTTP { return }
        throw IdentityError(
            code: .invalidConfiguration,
            reason: "staff sign-in: \(name) \(url.absoluteString) must be https (or http to loopback)"
        )
    }
}
