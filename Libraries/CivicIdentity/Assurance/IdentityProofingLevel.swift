/// How well the person's real-world identity was established (the identity half of `acr`).
///
/// Ordered from weakest to strongest, so a policy can ask for a minimum with `>=`.
package enum IdentityProofingLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// No recognised identity value in `acr`.
    case none = 0
    /// Authenticated account, identity not verified (`urn:acr.login.gov:auth-only`, IAL1).
    case authenticationOnly = 1
    /// Identity verified without a facial match (`urn:acr.login.gov:verified`; not IAL2).
    case verified = 2
    /// Identity verified with a facial match (`urn:acr.login.gov:verified-facial-match-required`): meets IAL2.
    case verifiedFacialMatch = 3

    /// Whether this level meets NIST SP 800-63-3 IAL2.
    package var meetsIAL2: Bool { self >= .verifiedFacialMatch }

    /// A stable name for events and metrics: `none`, `auth-only`, `verified`, `verified-facial-match`.
    package var name: String {
        switch self {
        case .none: "none"
        case .authenticationOnly: "auth-only"
        case .verified: "verified"
        case .verifiedFacialMatch: "verified-facial-match"
        }
    }

    /// Parses ``name``.
    package init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    package var description: String { self.name }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How strong the authentication was (the authenticator half of `acr`).
///
/// Ordered from weakest to strongest. Login.gov always requires multi-factor authentication.
package enum AuthenticatorAssuranceLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// Multi-factor, remembered device allowed
    /// (`urn:gov:gsa:ac:classes:sp:PasswordProtectedTransport:duo`, Login.gov's default).
    case multiFactor = 1
    /// AAL2 without a remembered device (`http://idmanagement.gov/ns/assurance/aal/2`).
    case aal2 = 2
    /// AAL2 with a phishing-resistant authenticator (`…/aal/2?phishing_resistant=true`).
    case phishingResistant = 3
    /// AAL2 with a PIV/CAC card under HSPD-12 (`…/aal/2?hspd12=true`); also phishing resistant.
    case hspd12 = 4

    /// A stable name for events and metrics: `mfa`, `aal2`, `aal2-phishing-resistant`, `aal2-hspd12`.
    package var name: String {
        switch self {
        case .multiFactor: "mfa"
        case .aal2: "aal2"
        case .phishingResistant: "aal2-phishing-resistant"
        case .hspd12: "aal2-hspd12"
        }
    }

    /// Parses ``name``.
    package init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    package var description: String { self.name }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
