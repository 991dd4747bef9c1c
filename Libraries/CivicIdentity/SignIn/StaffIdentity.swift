import Foundation

/// An agency staff member whose id_token verified.
///
/// Unlike a respondent's ``VerifiedIdentity``, the subject is kept as the issuer gave it: roles are
/// granted to `(issuer, subject)`, so it must stay stable and recognisable. Store it only where staff
/// accounts are managed, never in survey events.
package struct StaffIdentity: Sendable, Hashable {
    /// The issuer (`iss`), the configured one.
    package let issuer: String
    /// The raw `sub`, not pseudonymised.
    package let subject: String
    /// The `email` claim, if the issuer sent one (requires the `email` scope).
    package let email: String?
    /// The raw `acr` claim, if present.
    package let acr: String?
    /// The assurance read from `acr`.
    package let assurance: IdentityAssurance
    /// `iat`.
    package let issuedAt: Date
    /// `exp`: a session built on this sign-in should not outlive it by much.
    package let expiresAt: Date

    /// Creates a value (for tests and for callers that rebuild it from a session).
    package init(
        issuer: String,
        subject: String,
        email: String?,
        acr: String?,
        assurance: IdentityAssurance,
        issuedAt: Date,
        expiresAt: Date
    ) {
        self.issuer = issuer
        self.subject = subject
        self.email = email
        self.acr = acr
        self.assurance = assurance
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}

/// The outcome of verifying a staff id_token: a staff identity or a refusal, both plain values.
package enum StaffTokenVerdict: Sendable {
    /// The token is valid for this sign-in.
    case verified(StaffIdentity)
    /// The token was not accepted; the sign-in must fail.
    case refused(IdentityRefusal)

    /// The identity, if verified.
    package var identity: StaffIdentity? {
        if case .verified(let identity) = self { return identity }
        return nil
    }

    /// The refusal, if refused.
    package var refusal: IdentityRefusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }
}
