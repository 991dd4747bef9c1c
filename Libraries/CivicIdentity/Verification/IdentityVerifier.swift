import CivicBytes
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
        await self.verify(bytes: token, agency: agency, use: nil, at: referenceTime)
    }

    /// Verifies a respondent's id_token for one use (a response or an identity request of an agency): the
    /// checks of ``verify(_:agency:at:)``, and the token must be bound to the use.
    ///
    /// Binding, in order: an `aud` (or `azp`) that the issuer maps to *another* agency is refused
    /// (`wrong_audience`), whatever else the token says; a `nonce` equal to ``TokenUse/nonce`` (compared in
    /// constant time) binds the token to the agency and the one event or request; otherwise an `aud` the issuer
    /// maps to the use's agency (``TrustedIssuer/agencyAudiences``) binds it to the agency, and then the token
    /// must carry a `jti` (`missing_claim`), which identity-verify's ledger allows for one use only; otherwise
    /// the token is refused (`unbound_token`). A `jti` longer than 256 bytes is refused (`malformed`).
    /// - Parameters:
    ///   - token: The compact-serialised id_token.
    ///   - use: The response or request it is presented for; its agency's policy applies.
    ///   - referenceTime: As for ``verify(_:agency:at:)``.
    package func verify(_ token: String, for use: TokenUse, at referenceTime: Date? = nil) async -> IdentityVerdict {
        guard token.utf8.count <= self.configuration.maximumTokenBytes else {
            let reason = "token exceeds \(self.configuration.maximumTokenBytes) bytes"
            return self.refuse(IdentityRefusal(code: .oversized, reason: reason))
        }
        return await self.verify(bytes: Array(token.utf8), agency: use.agency, use: use, at: referenceTime)
    }

    private func verify(
        bytes token: [UInt8],
        agency: String?,
        use: TokenUse?,
        at referenceTime: Date?
    ) async -> IdentityVerdict {
        let now = (referenceTime ?? self.now()).timeIntervalSince1970
        let validated: IDTokenValidator.Validated
        switch await self.validator.validate(bytes: token, now: now) {
        case .valid(let valid): validated = valid
        case .refused(let refusal): return self.refuse(refusal)
        }
        var audience = validated.audience
        var binding: TokenBinding?
        if let use {
            switch Self.bind(validated, to: use) {
            case .bound(let bound, let how): (audience, binding) = (bound, how)
            case .refused(let refusal): return self.refuse(refusal)
            }
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
            audience: audience,
            subject: validated.subject
        )
        let tokenID = validated.claims.jti.flatMap { !$0.isEmpty && $0.utf8.count <= 256 ? $0 : nil }
        return .verified(
            VerifiedIdentity(
                issuer: issuer,
                audience: audience,
                respondent: respondent,
                assurance: assurance,
                issuedAt: Date(timeIntervalSince1970: validated.issuedAt),
                expiresAt: Date(timeIntervalSince1970: validated.expiresAt),
                tokenID: tokenID,
                keyID: validated.key.keyID,
                algorithm: validated.key.algorithm,
                binding: binding
            )
        )
    }

    /// What binding a valid token to a use gives: the audience that names the linking domain and how the
    /// token is bound, or a refusal.
    private enum BindingOutcome {
        case bound(String, TokenBinding)
        case refused(IdentityRefusal)
    }

    /// The audience and binding of a valid token presented for `use` (see ``verify(_:for:at:)``).
    private static func bind(_ validated: IDTokenValidator.Validated, to use: TokenUse) -> BindingOutcome {
        let issuer = validated.issuer
        let claimed = validated.claims.aud ?? []
        for value in claimed + (validated.claims.azp.map { [$0] } ?? []) {
            if let owner = issuer.agency(owning: value), owner != use.agency {
                return .refused(IdentityRefusal(code: .wrongAudience, reason: "aud or azp is an audience of another agency"))
            }
        }
        let own = use.agency.isEmpty ? [] : (issuer.agencyAudiences[use.agency] ?? [])
        let ownAudience = own.first { claimed.contains($0) }
        if let jti = validated.claims.jti, jti.utf8.count > 256 {
            return .refused(IdentityRefusal(code: .malformed, reason: "jti is longer than 256 bytes"))
        }
        if let nonce = validated.claims.nonce, ConstantTime.equal(nonce.utf8, use.nonce.utf8) {
            return .bound(ownAudience ?? validated.audience, .nonce)
        }
        guard let ownAudience else {
            return .refused(
                IdentityRefusal(
                    code: .unboundToken,
                    reason: "the token is bound neither to agency \(sanitised(use.agency)) by audience nor to this \(use.kind.rawValue) by nonce"
                )
            )
        }
        guard let jti = validated.claims.jti, !jti.isEmpty else {
            return .refused(
                IdentityRefusal(code: .missingClaim, reason: "jti is missing: a token bound by audience needs one (or bind it by nonce)")
            )
        }
        return .bound(ownAudience, .agencyAudience)
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
