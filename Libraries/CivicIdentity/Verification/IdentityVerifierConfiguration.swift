/// Configuration of an ``IdentityVerifier``.
package struct IdentityVerifierConfiguration: Sendable {
    /// The issuers whose tokens are accepted, each with its JWKS source and audiences. Required.
    package var trustedIssuers: [TrustedIssuer]
    /// Tolerance applied to `exp`, `nbf` and `iat`. Default: 60 seconds. Must be 0 to 300 seconds.
    package var clockSkew: Duration
    /// Tokens longer than this many bytes are refused before any parsing. Default: 8192 (8 KiB).
    /// Must be 256 to 1,048,576.
    package var maximumTokenBytes: Int
    /// The signature algorithms accepted. Default and maximum: `[.rs256, .es256]`.
    package var allowedAlgorithms: Set<SignatureAlgorithm>
    /// The policy for agencies without an entry in ``agencyPolicies``. Default: accept any assurance.
    package var defaultPolicy: AgencyIdentityPolicy
    /// Per-agency policies, keyed by the agency code used in events (e.g. `IRS`). Default: empty.
    package var agencyPolicies: [String: AgencyIdentityPolicy]

    /// Creates a configuration; every parameter but `trustedIssuers` has the documented default.
    package init(
        trustedIssuers: [TrustedIssuer],
        clockSkew: Duration = .seconds(60),
        maximumTokenBytes: Int = 8192,
        allowedAlgorithms: Set<SignatureAlgorithm> = [.rs256, .es256],
        defaultPolicy: AgencyIdentityPolicy = AgencyIdentityPolicy(),
        agencyPolicies: [String: AgencyIdentityPolicy] = [:]
    ) {
        self.trustedIssuers = trustedIssuers
        self.clockSkew = clockSkew
        self.maximumTokenBytes = maximumTokenBytes
        self.allowedAlgorithms = allowedAlgorithms
        self.defaultPolicy = defaultPolicy
        self.agencyPolicies = agencyPolicies
    }

    /// The policy that applies to `agency` (``defaultPolicy`` when `agency` is `nil` or has no entry).
    package func policy(for agency: String?) -> AgencyIdentityPolicy {
        guard let agency, let policy = self.agencyPolicies[agency] else { return self.defaultPolicy }
        return policy
    }

    /// Checks every value; throws ``IdentityError`` with code ``IdentityError/Code/invalidConfiguration``.
    package func validate() throws {
        func fail(_ reason: String) -> IdentityError {
            IdentityError(code: .invalidConfiguration, reason: reason)
        }
        if self.trustedIssuers.isEmpty {
            throw fail("at least one trusted issuer is required")
        }
        if self.clockSkew < .zero || self.clockSkew > .seconds(300) {
            throw fail("clockSkew must be between 0 and 300 seconds")
        }
        if self.maximumTokenBytes < 256 || self.maximumTokenBytes > 1_048_576 {
            throw fail("maximumTokenBytes must be between 256 and 1048576")
        }
        if self.allowedAlgorithms.isEmpty {
            throw fail("allowedAlgorithms must not be empty")
        }
        var seen = Set<String>()
        for issuer in self.trustedIssuers {
            try issuer.validate()
            if !seen.insert(issuer.issuer).inserted {
                throw fail("issuer \(issuer.issuer) is configured twice")
            }
        }
    }
}

/// A JWS algorithm the verifier can accept. Only asymmetric algorithms exist here by design.
package enum SignatureAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (Login.gov's id_token algorithm). RSA keys of 2048 bits or more.
    case rs256 = "RS256"
    /// ECDSA on P-256 with SHA-256.
    case es256 = "ES256"
}

/// An OpenID provider whose id_tokens are trusted, with where to find its keys.
package struct TrustedIssuer: Sendable {
    /// The exact `iss` value, e.g. `https://secure.login.gov/`. Required.
    package var issuer: String
    /// The accepted `aud` values shared by every agency (the relying party's client_ids at this issuer). A
    /// respondent token with one of them must be bound to its use by `nonce` (``TokenUse/nonce``). Required,
    /// non-empty unless ``agencyAudiences`` names some. The first configured audience found in the token's
    /// `aud` defines the linking domain.
    package var audiences: [String]
    /// Audiences (client_ids) that belong to one agency each, by agency code: a token with one of them is
    /// bound to that agency and is refused (`wrong_audience`) for any other. Default: none.
    package var agencyAudiences: [String: [String]]
    /// Where the issuer's JWKS is read from. Required.
    package var keySource: JWKSSource
    /// How long loaded keys are used before they are re-read. Default: 1 hour.
    package var refreshInterval: Duration
    /// The shortest time between two reads of the JWKS, which bounds the reads an attacker can cause
    /// with unknown `kid`s. Default: 30 seconds.
    package var minimumRefreshGap: Duration
    /// The time allowed to read the JWKS from a URL. Default: 10 seconds.
    package var fetchTimeout: Duration
    /// A JWKS document larger than this is refused. Default: 262,144 bytes (256 KiB).
    package var maximumJWKSBytes: Int
    /// Whether a plain `http://` JWKS URL to a host other than loopback is allowed. Default: `false`.
    package var allowsInsecureHTTP: Bool

    /// Creates a trusted issuer; every parameter after `keySource` has the documented default.
    package init(
        issuer: String,
        audiences: [String],
        keySource: JWKSSource,
        refreshInterval: Duration = .seconds(3600),
        minimumRefreshGap: Duration = .seconds(30),
        fetchTimeout: Duration = .seconds(10),
        maximumJWKSBytes: Int = 262_144,
        allowsInsecureHTTP: Bool = false,
        agencyAudiences: [String: [String]] = [:]
    ) {
        self.issuer = issuer
        self.audiences = audiences
        self.agencyAudiences = agencyAudiences
        self.keySource = keySource
        self.refreshInterval = refreshInterval
        self.minimumRefreshGap = minimumRefreshGap
        self.fetchTimeout = fetchTimeout
        self.maximumJWKSBytes = maximumJWKSBytes
        self.allowsInsecureHTTP = allowsInsecureHTTP
    }

    /// Checks every value; throws ``IdentityError`` with code ``IdentityError/Code/invalidConfiguration``.
    package func validate() throws {
        func fail(_ reason: String) -> IdentityError {
            IdentityError(code: .invalidConfiguration, reason: "issuer \(self.issuer): \(reason)")
        }
        if self.issuer.isEmpty { throw fail("issuer must not be empty") }
        if self.acceptedAudiences.isEmpty || self.acceptedAudiences.contains(where: \.isEmpty) {
            throw fail("at least one non-empty audience is required")
        }
        if Set(self.acceptedAudiences).count != self.acceptedAudiences.count {
            throw fail("an audience is listed twice (shared, or for two agencies)")
        }
        if self.refreshInterval <= .zero { throw fail("refreshInterval must be positive") }
        if self.minimumRefreshGap < .zero || self.minimumRefreshGap > self.refreshInterval {
            throw fail("minimumRefreshGap must be between 0 and refreshInterval")
        }
        if self.fetchTimeout <= .zero { throw fail("fetchTimeout must be positive") }
        if self.maximumJWKSBytes < 64 { throw fail("maximumJWKSBytes must be at least 64") }
        try self.keySource.validate(allowingInsecureHTTP: self.allowsInsecureHTTP)
    }
}

extension TrustedIssuer {
    /// Every audience a token may carry: the shared ones, then every agency's.
    package var acceptedAudiences: [String] {
        self.audiences + self.agencyAudiences.keys.sorted().flatMap { self.agencyAudiences[$0] ?? [] }
    }

    /// The agency `audience` belongs to, or `nil` for a shared (or unknown) audience.
    package func agency(owning audience: String) -> String? {
        self.agencyAudiences.first { $0.value.contains(audience) }?.key
    }
}
