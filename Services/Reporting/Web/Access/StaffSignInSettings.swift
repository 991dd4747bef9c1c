import CivicIdentity

/// Where staff sign in: a Login.gov-style issuer whose endpoints are discovered on the first sign-in
/// (`<issuer>/.well-known/openid-configuration`), and this service's registration there.
package struct StaffSignInSettings: Sendable, Equatable {
    /// The issuer identifier. (`CIVIC_REPORTING_SIGNIN_ISSUER`; setting it turns sign-in on)
    package var issuer: String
    /// This service's client id at the issuer. (`CIVIC_REPORTING_SIGNIN_CLIENT_ID`)
    var clientID: String
    /// The registered redirect URI, this service's `/auth/callback`. (`CIVIC_REPORTING_SIGNIN_REDIRECT_URI`)
    var redirectURI: String
    /// The PEM file of the client's private key for `private_key_jwt`. (`CIVIC_REPORTING_SIGNIN_CLIENT_KEY_FILE`)
    var clientKeyFile: String
    /// The `kid` the issuer knows the client key by. (`CIVIC_REPORTING_SIGNIN_CLIENT_KEY_ID`)
    var clientKeyID: String
    /// The `acr_values` asked for. Default: Login.gov's authentication only (IAL1).
    /// (`CIVIC_REPORTING_SIGNIN_ACR_VALUES`)
    package var acrValues: String = StaffSignInConfiguration.defaultACRValues
    /// Whether a plain-HTTP issuer on loopback is accepted (the local demo issuer). Default: false.
    /// (`CIVIC_REPORTING_SIGNIN_ALLOW_LOOPBACK_HTTP`)
    package var allowsLoopbackHTTP = false
    /// The 32-byte key sealing the sign-in in progress (``PendingSignInCookie``), the same on every replica, so
    /// a sign-in started on one can finish on another; `nil`: a key drawn at start, for this process only (one
    /// replica). Default: none. (`CIVIC_REPORTING_SIGNIN_COOKIE_KEY`, base64, a secret)
    package var pendingCookieKey: [UInt8]?
    /// Requests to `/signin` and `/auth/callback` per client address and minute, per replica
    /// (``SignInRateLimit``). Default: 60. (`CIVIC_REPORTING_SIGNIN_RATE_PER_MIN`)
    package var requestsPerMinute = 60

    /// Creates settings with the documented defaults.
    package init(issuer: String, clientID: String, redirectURI: String, clientKeyFile: String, clientKeyID: String) {
        self.issuer = issuer
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.clientKeyFile = clientKeyFile
        self.clientKeyID = clientKeyID
    }
}
