/// One recognised `acr` value and what it asserts.
///
/// The catalogue follows Login.gov's published `acr_values`: the service levels
/// (`urn:acr.login.gov:*`), the AAL values under `http://idmanagement.gov/ns/assurance/aal/2`,
/// the default `…PasswordProtectedTransport:duo`, and the deprecated IAL/LOA/AAL3 URIs, which are
/// still understood and marked ``isDeprecated``.
package struct AssuranceValue: Sendable, Hashable, CustomStringConvertible {
    /// The `acr` value exactly as it appeared in the token.
    package let rawValue: String
    /// The identity proofing level this value asserts, if it is an identity value.
    package let identityLevel: IdentityProofingLevel?
    /// The authenticator level this value asserts, if it is an authenticator value.
    package let authenticatorLevel: AuthenticatorAssuranceLevel?
    /// Whether Login.gov has deprecated this value.
    package let isDeprecated: Bool
    /// Whether this is `urn:acr.login.gov:verified-facial-match-preferred`: identity verified,
    /// facial match requested but not guaranteed, so it is reported as ``IdentityProofingLevel/verified``.
    package let isFacialMatchPreferred: Bool

    /// Looks up a single `acr` value; `nil` if it is not a recognised value.
    package init?(_ rawValue: String) {
        guard let entry = Self.catalogue[rawValue] else { return nil }
        self.rawValue = rawValue
        self.identityLevel = entry.identity
        self.authenticatorLevel = entry.authenticator
        self.isDeprecated = entry.deprecated
        self.isFacialMatchPreferred = rawValue == Self.facialMatchPreferred
    }

    package var description: String { self.rawValue }

    // MARK: Login.gov values

    /// `urn:acr.login.gov:auth-only`.
    package static let authOnly = "urn:acr.login.gov:auth-only"
    /// `urn:acr.login.gov:verified`.
    package static let verified = "urn:acr.login.gov:verified"
    /// `urn:acr.login.gov:verified-facial-match-required` (IAL2).
    package static let facialMatchRequired = "urn:acr.login.gov:verified-facial-match-required"
    /// `urn:acr.login.gov:verified-facial-match-preferred`.
    package static let facialMatchPreferred = "urn:acr.login.gov:verified-facial-match-preferred"
    /// `urn:gov:gsa:ac:classes:sp:PasswordProtectedTransport:duo` (default MFA).
    package static let defaultMultiFactor = "urn:gov:gsa:ac:classes:sp:PasswordProtectedTransport:duo"
    /// `http://idmanagement.gov/ns/assurance/aal/2`.
    package static let aal2 = "http://idmanagement.gov/ns/assurance/aal/2"
    /// `http://idmanagement.gov/ns/assurance/aal/2?phishing_resistant=true`.
    package static let aal2PhishingResistant = "http://idmanagement.gov/ns/assurance/aal/2?phishing_resistant=true"
    /// `http://idmanagement.gov/ns/assurance/aal/2?hspd12=true`.
    package static let aal2HSPD12 = "http://idmanagement.gov/ns/assurance/aal/2?hspd12=true"
    /// Deprecated `http://idmanagement.gov/ns/assurance/ial/1`.
    package static let legacyIAL1 = "http://idmanagement.gov/ns/assurance/ial/1"
    /// Deprecated `http://idmanagement.gov/ns/assurance/ial/2` (Login.gov's former "IAL2", now `verified`).
    package static let legacyIAL2 = "http://idmanagement.gov/ns/assurance/ial/2"
    /// Deprecated `http://idmanagement.gov/ns/assurance/loa/1`.
    package static let legacyLOA1 = "http://idmanagement.gov/ns/assurance/loa/1"
    /// Deprecated `http://idmanagement.gov/ns/assurance/loa/3`.
    package static let legacyLOA3 = "http://idmanagement.gov/ns/assurance/loa/3"
    /// Deprecated `http://idmanagement.gov/ns/assurance/aal/3`.
    package static let legacyAAL3 = "http://idmanagement.gov/ns/assurance/aal/3"
    /// Deprecated `http://idmanagement.gov/ns/assurance/aal/3?hspd12=true`.
    package static let legacyAAL3HSPD12 = "http://idmanagement.gov/ns/assurance/aal/3?hspd12=true"

    private struct Entry {
        var identity: IdentityProofingLevel?
        var authenticator: AuthenticatorAssuranceLevel?
        var deprecated: Bool
    }

    private static let catalogue: [String: Entry] = [
        authOnly: Entry(identity: .authenticationOnly, authenticator: nil, deprecated: false),
        verified: Entry(identity: .verified, authenticator: nil, deprecated: false),
        facialMatchRequired: Entry(identity: .verifiedFacialMatch, authenticator: nil, deprecated: false),
        facialMatchPreferred: Entry(identity: .verified, authenticator: nil, deprecated: false),
        defaultMultiFactor: Entry(identity: nil, authenticator: .multiFactor, deprecated: false),
        aal2: Entry(identity: nil, authenticator: .aal2, deprecated: false),
        aal2PhishingResistant: Entry(identity: nil, authenticator: .phishingResistant, deprecated: false),
        aal2HSPD12: Entry(identity: nil, authenticator: .hspd12, deprecated: false),
        legacyIAL1: Entry(identity: .authenticationOnly, authenticator: nil, deprecated: true),
        legacyIAL2: Entry(identity: .verified, authenticator: nil, deprecated: true),
        legacyLOA1: Entry(identity: .authenticationOnly, authenticator: nil, deprecated: true),
        legacyLOA3: Entry(identity: .verified, authenticator: nil, deprecated: true),
        legacyAAL3: Entry(identity: nil, authenticator: .phishingResistant, deprecated: true),
        legacyAAL3HSPD12: Entry(identity: nil, authenticator: .hspd12, deprecated: true),
    ]
}
