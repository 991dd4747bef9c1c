public import Foundation
public import Logging

/// Verifies OIDC id_tokens the way a Login.gov relying party does, and turns the subject into
/// pseudonyms.
///
/// Checks, in order: size (before any parsing); structure (three segments of strict base64url,
/// header and payload JSON objects with well-typed claims); header (`alg` must be an allowed
/// asymmetric algorithm, `none` and HMAC are refused, no `crit`, `kid` required); `iss` against the
/// trusted issuers (an untrusted issuer never causes a key fetch); the key named by `kid` in that
/// issuer's JWKS (one refresh for an unknown `kid`); that the key fits `alg`; the signature; then
/// `sub`, `aud`/`azp`, `exp`, `nbf` and `iat` with the configured clock skew; and the agency's
/// minimum assurance. Keys are never taken from the token (`jku`, `x5u`, `jwk` are ignored).
///
/// A refusal is returned as a value. The verifier is safe to share between tasks.
public final class IdentityVerifier: Sendable {
    /// The configuration, as validated.
    public let configuration: IdentityVerifierConfiguration
    /// The pseudonymizer applied to verified subjects.
    public let pseudonymizer: Pseudonymizer

    private let stores: [String: JWKSKeyStore]
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let skew: TimeInterval

    /// The longest `sub` accepted, in bytes (OpenID Connect Core §2).
    static let maximumSubjectBytes = 255

    /// Creates a verifier. Keys are loaded on first use; call ``loadKeys()`` at start-up to fail fast.
    /// - Parameters:
    ///   - configuration: Trusted issuers, skew, limits and policies.
    ///   - pseudonymizer: Derives the respondent pseudonyms.
    ///   - logger: Receives key-loading events and refusal codes (never tokens or subjects).
    ///   - now: The clock, replaceable in tests. Default: the system clock.
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidConfiguration``).
    public init(
        configuration: IdentityVerifierConfiguration,
        pseudonymizer: Pseudonymizer,
        logger: Logger = Logger(label: "civicpulse.identity"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.pseudonymizer = pseudonymizer
        self.logger = logger
        self.now = now
        self.skew = configuration.clockSkew.timeInterval
        var stores: [String: JWKSKeyStore] = [:]
        for issuer in configuration.trustedIssuers {
            stores[issuer.issuer] = JWKSKeyStore(
                issuer: issuer,
                allowedAlgorithms: configuration.allowedAlgorithms,
                logger: logger,
                now: now
            )
        }
        self.stores = stores
    }

    /// The policy that applies to `agency`.
    public func policy(for agency: String?) -> AgencyIdentityPolicy {
        self.configuration.policy(for: agency)
    }

    /// Loads every trusted issuer's keys now.
    /// - Throws: the first ``IdentityError`` met; issuers after a failing one are still loaded.
    public func loadKeys() async throws {
        var firstError: (any Error)?
        for issuer in self.configuration.trustedIssuers {
            do {
                try await self.stores[issuer.issuer]?.refresh()
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
    }

    /// Re-reads one issuer's JWKS now, ignoring the refresh interval and minimum gap.
    /// - Throws: ``IdentityError``; on failure the previous keys stay in use.
    public func refreshKeys(issuer: String) async throws {
        guard let store = self.stores[issuer] else {
            throw IdentityError(code: .invalidConfiguration, reason: "issuer \(issuer) is not configured")
        }
        try await store.refresh()
    }

    /// The key-set state of every trusted issuer, in configuration order.
    public func keySetStatus() async -> [JWKSStatus] {
        var result: [JWKSStatus] = []
        for issuer in self.configuration.trustedIssuers {
            if let store = self.stores[issuer.issuer] {
                result.append(await store.status)
            }
        }
        return result
    }

    /// Verifies an id_token for a response belonging to `agency`.
    /// - Parameters:
    ///   - token: The compact-serialised id_token.
    ///   - agency: The agency whose policy applies (e.g. `IRS`); `nil` for the default policy.
    ///     The agency never changes the pseudonym.
    ///   - referenceTime: The instant `exp`, `nbf` and `iat` are evaluated at; `nil` (the default)
    ///     for the verifier's clock. Pass a *trusted* time at which the response was received (e.g.
    ///     the timestamp survey-intake stamped on the accepted event, never the client's
    ///     `occurredAt`) so that a replay after an outage reaches the same verdict as the first try.
    public func verify(_ token: String, agency: String? = nil, at referenceTime: Date? = nil) async -> IdentityVerdict {
        // The length check comes before any copy or parsing.
        guard token.utf8.count <= self.configuration.maximumTokenBytes else {
            return self.refuse(.oversized, "token exceeds \(self.configuration.maximumTokenBytes) bytes")
        }
        return await self.verify(bytes: Array(token.utf8), agency: agency, at: referenceTime)
    }

    /// Verifies an id_token given as bytes. See ``verify(_:agency:at:)``.
    public func verify(
        bytes token: [UInt8],
        agency: String? = nil,
        at referenceTime: Date? = nil
    ) async -> IdentityVerdict {
        guard token.count <= self.configuration.maximumTokenBytes else {
            return self.refuse(.oversized, "token exceeds \(self.configuration.maximumTokenBytes) bytes")
        }
        let jws: CompactJWS
        switch CompactJWS.parse(token) {
        case .parsed(let parsed): jws = parsed
        case .refused(let refusal): return self.refuse(refusal)
        }

        // Structure first: every segment must decode, whatever the header says.
        guard let payloadBytes = Base64URL.decode(jws.encodedPayload) else {
            return self.refuse(.malformed, "payload is not base64url")
        }
        let claims: IDTokenClaims
        do {
            claims = try JSONDecoder().decode(IDTokenClaims.self, from: Data(payloadBytes))
        } catch {
            return self.refuse(.malformed, "payload is not a JSON object with well-typed claims")
        }
        guard let signature = Base64URL.decode(jws.encodedSignature) else {
            return self.refuse(.malformed, "signature is not base64url")
        }

        // Algorithm: decided by configuration, never by the key or the token alone.
        let alg = jws.header.alg
        let upperAlg = alg.uppercased()
        if upperAlg == "NONE" {
            return self.refuse(.algorithmNone, "unsecured JWT (alg none) refused")
        }
        if upperAlg.hasPrefix("HS") {
            return self.refuse(.symmetricAlgorithm, "HMAC algorithm \(Self.sanitised(alg)) refused")
        }
        guard let algorithm = SignatureAlgorithm(rawValue: alg),
            self.configuration.allowedAlgorithms.contains(algorithm)
        else {
            return self.refuse(.unsupportedAlgorithm, "algorithm \(Self.sanitised(alg)) is not allowed")
        }
        if jws.header.hasCriticalParameters {
            return self.refuse(.unsupportedCriticalHeader, "critical header parameters are not supported")
        }
        guard let keyID = jws.header.kid, !keyID.isEmpty else {
            return self.refuse(.missingKeyID, "header has no kid")
        }
        guard !signature.isEmpty else {
            return self.refuse(.malformed, "signature segment is empty")
        }

        // Issuer selects the key set; an untrusted issuer causes no key fetch at all.
        guard let issuer = claims.iss, !issuer.isEmpty else {
            return self.refuse(.missingClaim, "iss is missing")
        }
        guard let store = self.stores[issuer] else {
            return self.refuse(.untrustedIssuer, "issuer \(Self.sanitised(issuer)) is not trusted")
        }
        let candidates: [VerificationKey]
        switch await store.keys(for: keyID) {
        case .found(let keys):
            candidates = keys
        case .unknownKeyID:
            return self.refuse(.unknownKeyID, "kid \(Self.sanitised(keyID)) is not in the issuer's JWKS")
        case .unavailable(let error):
            let detail = error.map { " (\($0.code))" } ?? ""
            return self.refuse(.keysUnavailable, "issuer keys could not be loaded\(detail)")
        }
        guard let key = candidates.first(where: { $0.algorithm == algorithm }) else {
            return self.refuse(
                .algorithmKeyMismatch,
                "kid \(Self.sanitised(keyID)) is not a key for \(algorithm.rawValue)"
            )
        }
        guard key.isValidSignature(signature, for: jws.signingInput) else {
            return self.refuse(.badSignature, "signature does not verify")
        }

        // Claims, now that the payload is authentic.
        let now = (referenceTime ?? self.now()).timeIntervalSince1970
        return self.checkClaims(claims, issuer: store.issuer, key: key, agency: agency, now: now)
    }

    private func checkClaims(
        _ claims: IDTokenClaims,
        issuer: TrustedIssuer,
        key: VerificationKey,
        agency: String?,
        now: Double
    ) -> IdentityVerdict {
        guard let subject = claims.sub, !subject.isEmpty else {
            return self.refuse(.missingClaim, "sub is missing")
        }
        guard subject.utf8.count <= Self.maximumSubjectBytes else {
            return self.refuse(.malformed, "sub is longer than \(Self.maximumSubjectBytes) bytes")
        }
        guard let audiences = claims.aud, !audiences.isEmpty else {
            return self.refuse(.missingClaim, "aud is missing")
        }
        guard let audience = issuer.audiences.first(where: { audiences.contains($0) }) else {
            return self.refuse(.wrongAudience, "aud names none of the configured audiences")
        }
        if let azp = claims.azp, !issuer.audiences.contains(azp) {
            return self.refuse(.wrongAudience, "azp is not one of the configured audiences")
        }
        guard let exp = claims.exp else {
            return self.refuse(.missingClaim, "exp is missing")
        }
        guard let iat = claims.iat else {
            return self.refuse(.missingClaim, "iat is missing")
        }
        // RFC 7519 §4.1.4: valid only while now < exp (here, exp + skew).
        guard now < exp + self.skew else {
            return self.refuse(.expired, "token expired")
        }
        // RFC 7519 §4.1.5: valid from nbf onwards (here, nbf - skew).
        if let nbf = claims.nbf, now + self.skew < nbf {
            return self.refuse(.notYetValid, "nbf is in the future")
        }
        guard now + self.skew >= iat else {
            return self.refuse(.notYetValid, "iat is in the future")
        }

        let policy = self.configuration.policy(for: agency)
        let assurance = IdentityAssurance(acr: claims.acr, acceptingDeprecated: policy.acceptsDeprecatedValues)
        if let shortfall = policy.shortfall(of: assurance) {
            return self.refuse(.insufficientAssurance, shortfall)
        }

        let respondent = self.pseudonymizer.pseudonyms(issuer: issuer.issuer, audience: audience, subject: subject)
        let tokenID = claims.jti.flatMap { $0.utf8.count <= 256 ? $0 : nil }
        return .verified(
            VerifiedIdentity(
                issuer: issuer.issuer,
                audience: audience,
                respondent: respondent,
                assurance: assurance,
                issuedAt: Date(timeIntervalSince1970: iat),
                expiresAt: Date(timeIntervalSince1970: exp),
                tokenID: tokenID,
                keyID: key.keyID,
                algorithm: key.algorithm
            )
        )
    }

    private func refuse(_ code: IdentityRefusal.Code, _ reason: String) -> IdentityVerdict {
        self.refuse(IdentityRefusal(code: code, reason: reason))
    }

    private func refuse(_ refusal: IdentityRefusal) -> IdentityVerdict {
        self.logger.debug("id_token refused", metadata: [IdentityLogKey.refusal: "\(refusal.code)"])
        return .refused(refusal)
    }

    /// A header or claim value made safe to put in a refusal reason: printable ASCII, at most 64 characters.
    static func sanitised(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars.prefix(64) {
            result.unicodeScalars.append(scalar.value >= 0x20 && scalar.value < 0x7F ? scalar : "?")
        }
        if value.unicodeScalars.count > 64 { result += "…" }
        return "'\(result)'"
    }
}
