import CivicBytes
import Foundation
import Logging

/// Verifies the id_token a staff sign-in received from the token endpoint.
///
/// The token passes the same checks as a respondent's (one implementation, shared with
/// ``IdentityVerifier``): size, structure, allowed asymmetric `alg`, `kid`, signature against the
/// configured issuer's JWKS, `iss` equal to the configured issuer, `sub`, `aud` containing the
/// client_id (and `azp`, if present, equal to it), `exp`/`nbf`/`iat` with the clock skew. Then the
/// staff checks: `nonce` equal to the one sent in the authorization request (compared in constant
/// time) and the configured minimum assurance.
///
/// The verifier is safe to share between tasks; keys are cached and refreshed as for respondents.
package final class StaffTokenVerifier: Sendable {
    /// The configuration, as validated.
    package let configuration: StaffSignInConfiguration

    private let validator: IDTokenValidator
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Creates a verifier. Keys are loaded on first use; call ``loadKeys()`` at start-up to fail fast.
    /// - Parameters:
    ///   - configuration: The staff sign-in configuration.
    ///   - logger: Receives key-loading events and refusal codes (never tokens or subjects).
    ///   - now: The clock, replaceable in tests. Default: the system clock.
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidConfiguration``).
    package init(
        configuration: StaffSignInConfiguration,
        logger: Logger = Logger(label: "civicpulse.identity.staff"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.validator = IDTokenValidator(
            trustedIssuers: [configuration.trustedIssuer],
            allowedAlgorithms: configuration.allowedAlgorithms,
            clockSkew: configuration.clockSkew,
            maximumTokenBytes: configuration.maximumTokenBytes,
            logger: logger,
            now: now
        )
    }

    /// Loads the issuer's keys now.
    /// - Throws: ``IdentityError`` when they cannot be loaded.
    package func loadKeys() async throws {
        try await self.validator.loadKeys()
    }

    /// The issuer's key-set state, for health checks.
    package func keySetStatus() async -> JWKSStatus? {
        await self.validator.keySetStatus().first
    }

    /// Verifies `idToken` for the sign-in that sent `expectedNonce`.
    /// - Parameters:
    ///   - idToken: The id_token from the token response.
    ///   - expectedNonce: The ``StaffAuthorizationRequest/nonce`` kept for this sign-in.
    package func verify(_ idToken: String, expectedNonce: String) async -> StaffTokenVerdict {
        guard idToken.utf8.count <= self.configuration.maximumTokenBytes else {
            let reason = "token exceeds \(self.configuration.maximumTokenBytes) bytes"
            return self.refuse(IdentityRefusal(code: .oversized, reason: reason))
        }
        let validated: IDTokenValidator.Validated
        switch await self.validator.validate(bytes: Array(idToken.utf8), now: self.now().timeIntervalSince1970) {
        case .valid(let valid): validated = valid
        case .refused(let refusal): return self.refuse(refusal)
        }
        guard let nonce = validated.claims.nonce, !nonce.isEmpty, !expectedNonce.isEmpty else {
            return self.refuse(IdentityRefusal(code: .nonceMismatch, reason: "the id_token has no nonce"))
        }
        guard ConstantTime.equal(nonce.utf8, expectedNonce.utf8) else {
            return self.refuse(
                IdentityRefusal(code: .nonceMismatch, reason: "the id_token's nonce is not this sign-in's")
            )
        }
        let policy = self.configuration.assurancePolicy
        let assurance = IdentityAssurance(acr: validated.claims.acr)
        if let shortfall = policy.shortfall(of: assurance) {
            return self.refuse(IdentityRefusal(code: .insufficientAssurance, reason: shortfall))
        }
        let email = validated.claims.email.flatMap { $0.utf8.count <= 320 && !$0.isEmpty ? $0 : nil }
        let acr = validated.claims.acr.flatMap { $0.utf8.count <= 1024 ? $0 : nil }
        return .verified(
            StaffIdentity(
                issuer: validated.issuer.issuer,
                subject: validated.subject,
                email: email,
                acr: acr,
                assurance: assurance,
                issuedAt: Date(timeIntervalSince1970: validated.issuedAt),
                expiresAt: Date(timeIntervalSince1970: validated.expiresAt)
            )
        )
    }

    private func refuse(_ refusal: IdentityRefusal) -> StaffTokenVerdict {
        self.logger.debug("staff id_token refused", metadata: [IdentityLogKey.refusal: "\(refusal.code)"])
        return .refused(refusal)
    }
}
