import CivicTime
import Foundation
import Logging

/// The checks every id_token passes, whoever it signs in: respondents (``IdentityVerifier``) and
/// agency staff (``StaffTokenVerifier``) share this one implementation.
///
/// Checks, in order: size (before any parsing); structure (three segments of strict base64url,
/// header and payload JSON objects with well-typed claims); header (`alg` must be an allowed
/// asymmetric algorithm, `none` and HMAC are refused, no `crit`, `kid` required); `iss` against the
/// trusted issuers (an untrusted issuer never causes a key fetch); the key named by `kid` in that
/// issuer's JWKS (one refresh for an unknown `kid`); that the key fits `alg`; the signature; then
/// `sub`, `aud`/`azp`, `exp`, `nbf` and `iat` with the clock skew. Keys are never taken from the
/// token (`jku`, `x5u`, `jwk` are ignored). What is checked after that (assurance policy, nonce) is
/// the caller's.
final class IDTokenValidator: Sendable {
    /// A token that passed every check, with what the callers go on to read.
    struct Validated {
        /// Every claim the library reads.
        let claims: IDTokenClaims
        /// The trusted issuer whose key verified the signature.
        let issuer: TrustedIssuer
        /// The configured audience found in `aud`.
        let audience: String
        /// The non-empty `sub`, at most ``IDTokenValidator/maximumSubjectBytes``.
        let subject: String
        /// `iat`.
        let issuedAt: Double
        /// `exp`.
        let expiresAt: Double
        /// The key that verified the signature.
        let key: VerificationKey
    }

    /// The result of ``validate(bytes:now:)``.
    enum Outcome {
        case valid(Validated)
        case refused(IdentityRefusal)
    }

    /// The longest `sub` accepted, in bytes (OpenID Connect Core §2).
    static let maximumSubjectBytes = 255

    let maximumTokenBytes: Int
    let allowedAlgorithms: Set<SignatureAlgorithm>
    let trustedIssuers: [TrustedIssuer]
    private let skew: TimeInterval
    private let stores: [String: JWKSKeyStore]

    /// Creates a validator with one key store per issuer (keys are loaded on first use).
    init(
        trustedIssuers: [TrustedIssuer],
        allowedAlgorithms: Set<SignatureAlgorithm>,
        clockSkew: Duration,
        maximumTokenBytes: Int,
        logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.maximumTokenBytes = maximumTokenBytes
        self.allowedAlgorithms = allowedAlgorithms
        self.trustedIssuers = trustedIssuers
        self.skew = clockSkew.timeInterval
        var stores: [String: JWKSKeyStore] = [:]
        for issuer in trustedIssuers {
            stores[issuer.issuer] = JWKSKeyStore(
                issuer: issuer,
                allowedAlgorithms: allowedAlgorithms,
                logger: logger,
                now: now
            )
        }
        self.stores = stores
    }

    /// Loads every trusted issuer's keys now.
    /// - Throws: the first ``IdentityError`` met; issuers after a failing one are still loaded.
    func loadKeys() async throws {
        var firstError: (any Error)?
        for issuer in self.trustedIssuers {
            do {
                try await self.stores[issuer.issuer]?.refresh()
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
    }

    /// Re-reads one issuer's JWKS now, ignoring the refresh interval and minimum gap.
    func refreshKeys(issuer: String) async throws {
        guard let store = self.stores[issuer] else {
            throw IdentityError(code: .invalidConfiguration, reason: "issuer \(issuer) is not configured")
        }
        try await store.refresh()
    }

    /// The key-set state of every trusted issuer, in configuration order.
    func keySetStatus() async -> [JWKSStatus] {
        var result: [JWKSStatus] = []
        for issuer in self.trustedIssuers {
            if let store = self.stores[issuer.issuer] {
                result.append(await store.status)
            }
        }
        return result
    }

    /// Runs every check on `token`, evaluating times at `now` (seconds since 1970).
    func validate(bytes token: [UInt8], now: Double) async -> Outcome {
        guard token.count <= self.maximumTokenBytes else {
            return Self.refuse(.oversized, "token exceeds \(self.maximumTokenBytes) bytes")
        }
        let jws: CompactJWS
        switch CompactJWS.parse(token) {
        case .parsed(let parsed): jws = parsed
        case .refused(let refusal): return .refused(refusal)
        }

        // Structure first: every segment must decode, whatever the header says.
        guard let payloadBytes = Base64URL.decode(jws.encodedPayload) else {
            return Self.refuse(.malformed, "payload is not base64url")
        }
        let claims: IDTokenClaims
        do {
            claims = try JSONDecoder().decode(IDTokenClaims.self, from: Data(payloadBytes))
        } catch {
            return Self.refuse(.malformed, "payload is not a JSON object with well-typed claims")
        }
        guard let signature = Base64URL.decode(jws.encodedSignature) else {
            return Self.refuse(.malformed, "signature is not base64url")
        }

        // Algorithm: decided by configuration, never by the key or the token alone.
        let alg = jws.header.alg
        let upperAlg = alg.uppercased()
        if upperAlg == "NONE" {
            return Self.refuse(.algorithmNone, "unsecured JWT (alg none) refused")
        }
        if upperAlg.hasPrefix("HS") {
            return Self.refuse(.symmetricAlgorithm, "HMAC algorithm \(Self.sanitised(alg)) refused")
        }
        guard let algorithm = SignatureAlgorithm(rawValue: alg), self.allowedAlgorithms.contains(algorithm) else {
            return Self.refuse(.unsupportedAlgorithm, "algorithm \(Self.sanitised(alg)) is not allowed")
        }
        if jws.header.hasCriticalParameters {
            return Self.refuse(.unsupportedCriticalHeader, "critical header parameters are not supported")
        }
        guard let keyID = jws.header.kid, !keyID.isEmpty else {
            return Self.refuse(.missingKeyID, "header has no kid")
        }
        guard !signature.isEmpty else {
            return Self.refuse(.malformed, "signature segment is empty")
        }

        // Issuer selects the key set; an untrusted issuer causes no key fetch at all.
        guard let issuer = claims.iss, !issuer.isEmpty else {
            return Self.refuse(.missingClaim, "iss is missing")
        }
        guard let store = self.stores[issuer] else {
            return Self.refuse(.untrustedIssuer, "issuer \(Self.sanitised(issuer)) is not trusted")
        }
        let candidates: [VerificationKey]
        switch await store.keys(for: keyID) {
        case .found(let keys):
            candidates = keys
        case .unknownKeyID:
            return Self.refuse(.unknownKeyID, "kid \(Self.sanitised(keyID)) is not in the issuer's JWKS")
        case .unavailable(let error):
            let detail = error.map { " (\($0.code))" } ?? ""
            return Self.refuse(.keysUnavailable, "issuer keys could not be loaded\(detail)")
        }
        guard let key = candidates.first(where: { $0.algorithm == algorithm }) else {
            return Self.refuse(
                .algorithmKeyMismatch,
                "kid \(Self.sanitised(keyID)) is not a key for \(algorithm.rawValue)"
            )
        }
        guard key.isValidSignature(signature, for: jws.signingInput) else {
            return Self.refuse(.badSignature, "signature does not verify")
        }

        // Claims, now that the payload is authentic.
        return self.checkClaims(claims, issuer: store.issuer, key: key, now: now)
    }

    private func checkClaims(
        _ claims: IDTokenClaims,
        issuer: TrustedIssuer,
        key: VerificationKey,
        now: Double
    ) -> Outcome {
        guard let subject = claims.sub, !subject.isEmpty else {
            return Self.refuse(.missingClaim, "sub is missing")
        }
        guard subject.utf8.count <= Self.maximumSubjectBytes else {
            return Self.refuse(.malformed, "sub is longer than \(Self.maximumSubjectBytes) bytes")
        }
        guard let audiences = claims.aud, !audiences.isEmpty else {
            return Self.refuse(.missingClaim, "aud is missing")
        }
        let accepted = issuer.acceptedAudiences
        guard let audience = accepted.first(where: { audiences.contains($0) }) else {
            return Self.refuse(.wrongAudience, "aud names none of the configured audiences")
        }
        if let azp = claims.azp, !accepted.contains(azp) {
            return Self.refuse(.wrongAudience, "azp is not one of the configured audiences")
        }
        guard let exp = claims.exp else {
            return Self.refuse(.missingClaim, "exp is missing")
        }
        guard let iat = claims.iat else {
            return Self.refuse(.missingClaim, "iat is missing")
        }
        // RFC 7519 §4.1.4: valid only while now < exp (here, exp + skew).
        guard now < exp + self.skew else {
            return Self.refuse(.expired, "token expired")
        }
        // RFC 7519 §4.1.5: valid from nbf onwards (here, nbf - skew).
        if let nbf = claims.nbf, now + self.skew < nbf {
            return Self.refuse(.notYetValid, "nbf is in the future")
        }
        guard now + self.skew >= iat else {
            return Self.refuse(.notYetValid, "iat is in the future")
        }
        return .valid(
            Validated(
                claims: claims,
                issuer: issuer,
                audience: audience,
                subject: subject,
                issuedAt: iat,
                expiresAt: exp,
                key: key
            )
        )
    }

    private static func refuse(_ code: IdentityRefusal.Code, _ reason: String) -> Outcome {
        .refused(IdentityRefusal(code: code, reason: reason))
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
