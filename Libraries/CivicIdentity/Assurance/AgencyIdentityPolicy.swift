/// What an agency requires of a respondent's identity token.
///
/// The default policy accepts any verified token (any assurance) and asks the caller to continue
/// a response anonymously when its token is refused.
package struct AgencyIdentityPolicy: Sendable, Hashable {
    /// What the caller should do with a response whose token was refused.
    package enum RefusalHandling: String, Sendable, Hashable {
        /// Keep the response, drop the identity, record the refusal code. The default.
        case continueAnonymously = "continue-anonymously"
        /// Reject the whole response.
        case reject
    }

    /// The lowest identity proofing level accepted. Default: ``IdentityProofingLevel/none`` (any).
    package var minimumIdentityLevel: IdentityProofingLevel
    /// The lowest authenticator level accepted, or `nil` (the default) for no requirement.
    /// A token whose `acr` carries no authenticator value does not meet a non-`nil` minimum.
    package var minimumAuthenticatorLevel: AuthenticatorAssuranceLevel?
    /// Whether deprecated `acr` values (IAL/LOA URIs, AAL3) count towards the minimums. Default: `true`.
    package var acceptsDeprecatedValues: Bool
    /// What the caller should do when a token is refused. Default: ``RefusalHandling/continueAnonymously``.
    package var onRefusal: RefusalHandling

    /// Creates a policy; every parameter has the documented default.
    package init(
        minimumIdentityLevel: IdentityProofingLevel = .none,
        minimumAuthenticatorLevel: AuthenticatorAssuranceLevel? = nil,
        acceptsDeprecatedValues: Bool = true,
        onRefusal: RefusalHandling = .continueAnonymously
    ) {
        self.minimumIdentityLevel = minimumIdentityLevel
        self.minimumAuthenticatorLevel = minimumAuthenticatorLevel
        self.acceptsDeprecatedValues = acceptsDeprecatedValues
        self.onRefusal = onRefusal
    }

    /// Returns `nil` when `assurance` satisfies this policy, otherwise why not.
    package func shortfall(of assurance: IdentityAssurance) -> String? {
        if assurance.identityLevel < self.minimumIdentityLevel {
            return "identity level \(assurance.identityLevel) is below the required \(self.minimumIdentityLevel)"
        }
        if let minimum = self.minimumAuthenticatorLevel {
            guard let level = assurance.authenticatorLevel else {
                return "no authenticator level asserted; \(minimum) required"
            }
            if level < minimum {
                return "authenticator level \(level) is below the required \(minimum)"
            }
        }
        return nil
    }
}
