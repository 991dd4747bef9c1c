import Foundation
import Logging

/// Verifies OIDC id_tokens the way a Login.gov relying party does, and turns the subject into
/// pseudonyms.
///
/// The token checks (size, structure, header and algorithm, trusted issuer and its JWKS, signature,
/// `sub`, `aud`/`azp`, `exp`, `nbf`, `iat` with the configured clock skew) are the ones every
/// id_token in this library passes, shared with ``StaffTokenVerifier``; after them comes the agency's
/// minimum assurance. Keys are never taken from the token (`jku`, `x5u`, `jwk` are ignored).
///
/// A refusal is returned as a value. The verifier is safe to share between tasks.
package final class IdentityVerifier: Sendable {
    /// The configuration, as validated.
    package let configuration: IdentityVerifierConfiguration
    /// The pseudonymizer applied to verified subjects.
    package let pseudonymizer: Pseudonymizer

    private let validator: IDTokenValidator
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// The longest `sub` accepted, in bytes (OpenID Connect Core §2).
    static let maximumSubjectBytes = IDTokenValidator.maximumSubjectBytes

    /// Creates a verifier. Keys are loaded on first use; call ``loadKeys()`` at start-up to fail fast.
    /// - Parameters:
    ///   - configuration: Trusted issuers, skew, limits and policies.
    ///   - pseudonymizer: Derives the respondent pseudonyms.
    ///   - logger: Receives key-loading events and refusal codes (never tokens or subjects).
    ///   - now: The clock, replaceable in tests. Default: the system clock.
    /// - Throws: ``IdentityError`` (``IdentityError/Code/invalidConfiguration``).
    package init(
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
        self.validator = IDTokenValidator(
            trustedIssuers: configuration.trustedIssuers,
            allowedAlgorithms: configuration.allowedAlgorithms,
            clockSkew: configuration.clockSkew,
            maximumTokenBytes: configuration.maximumTokenBytes,
            logger: logger,
            now: now
        )
    }

    /// The policy that applies to `agency`.
    package func policy(for agency: String?) -> AgencyIdentityPolicy {
        self.configuration.policy(for: agency)
    }

    /// Loads every trusted issuer's keys now.
    /// - Throws: the first ``IdentityError`` met; issuers after a failing one are still loaded.
    package func loadKeys() async throws {
        try await self.validator.loadKeys()
    }

    /// Re-reads one issuer's JWKS now, ignoring the refresh interval and minimum gap.
    /// - Throws: ``IdentityError``; on failure the previous keys stay in use.
    package func refreshKeys(issuer: String) async throws {
        try await self.validator.refreshKeys(issuer: issuer)
    }

    /// The key-set state of every trusted issuer, in configuration order.
    package func keySetStatus() async -> [JWKSStatus] {
        await self.validator.keySetStatus()
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
    package func verify(_ token: String, agency: String? = nil, at referenceTime: Date? = nil) async -> IdentityVerdict {
        // The length check comes before any copy or parsing.
        guard token.utf8.count <= self.configuration.maximumTokenBytes else {
            let reason = "token exceeds \(self.configuration.maximumTokenBytes) bytes"
            return self.refuse(IdentityRefusal(code: .oversized, reason: reason))
        }
        return await self.verify(bytes: Array(token.utf8), agency: agency, at: referenceTime)
    }

    /// Verifies an id_token given as bytes. See ``verify(_:agency:at:)``.
    package func verify(
        bytes token: [UInt8],
        agency: String? = nil,
        at referenceTime: Date? = nil
    ) async -> IdentityVerdict {
        let now = (referenceTime ?? self.now()).timeIntervalSince1970
        let validated: IDTokenValidator.Validated
        switch await self.validator.validate(bytes: token, now: now) {
        case .valid(let valid): validated = valid
        case .refused(let refusal): return self.refuse(refusal)
        }

        let policy = self.configuration.policy(for: agency)
        let assurance = IdentityAssurance(
            acr: validated.claims.acr,
            acceptingDeprecated: policy.acceptsDeprecatedValues
        )
        if let shortfall = policy.shortfall(of: assurance) {
            return self.refuse(IdentityRefusal(code: .insufficientAssurance, reason: shortfall))
        }

        let issuer = validated.issuer.issuer
        let respondent = self.pseudonymizer.pseudonyms(
            issuer: issuer,
            audience: validated.audience,
            subject: validated.subject
        )
        let tokenID = validated.claims.jti.flatMap { $0.utf8.count <= 256 ? $0 : nil }
        return .verified(
            VerifiedIdentity(
                issuer: issuer,
                audience: validated.audience,
                respondent: respondent,
                assurance: assurance,
                issuedAt: Date(timeIntervalSince1970: validated.issuedAt),
                expiresAt: Date(timeIntervalSince1970: validated.expiresAt),
                tokenID: tokenID,
                keyID: validated.key.keyID,
                algorithm: validated.key.algorithm
            )
        )
    }

    private func refuse(_ refusal: IdentityRefusal) -> IdentityVerdict {
        self.logger.debug("id_token refused", metadata: [IdentityLogKey.refusal: "\(refusal.code)"])
        return .refused(refusal)
    }

    /// A header or claim value made safe to put in a refusal reason: printable ASCII, at most 64 characters.
    static func sanitised(_ value: String) -> String {
        IDTokenValidator.sanitised(value)
    }
}
