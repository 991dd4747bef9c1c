/// The assurance a verified id_token carries, read from its `acr` claim.
///
/// `acr` may hold several space-separated values. When several identity values (or several
/// authenticator values) are present the *lowest* one is reported, so a token never claims more
/// than every one of its values supports. Unrecognised values are kept in ``unrecognisedValues``
/// and otherwise ignored.
package struct IdentityAssurance: Sendable, Hashable {
    /// The identity proofing level; ``IdentityProofingLevel/none`` when no identity value was recognised.
    package var identityLevel: IdentityProofingLevel
    /// The authenticator level, or `nil` when `acr` carried no authenticator value
    /// (Login.gov usually asserts only the identity value back).
    package var authenticatorLevel: AuthenticatorAssuranceLevel?
    /// The recognised values, in token order, without duplicates.
    package var values: [AssuranceValue]
    /// Values that are not in the catalogue, in token order (at most 16 kept, each at most 256 bytes).
    package var unrecognisedValues: [String]

    /// Whether any recognised value is deprecated (report it so agencies can migrate).
    package var usesDeprecatedValues: Bool { self.values.contains { $0.isDeprecated } }

    /// Whether the identity level meets IAL2.
    package var meetsIAL2: Bool { self.identityLevel.meetsIAL2 }

    /// Parses an `acr` claim.
    ///
    /// - Parameters:
    ///   - acr: The raw claim, or `nil` when absent.
    ///   - acceptingDeprecated: When `false`, deprecated values do not count towards the levels
    ///     (they are still listed in ``values``).
    package init(acr: String?, acceptingDeprecated: Bool = true) {
        var values: [AssuranceValue] = []
        var unrecognised: [String] = []
        var identity: IdentityProofingLevel?
        var authenticator: AuthenticatorAssuranceLevel?
        for part in (acr ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let raw = String(part)
            guard let value = AssuranceValue(raw) else {
                if unrecognised.count < 16 {
                    unrecognised.append(String(decoding: raw.utf8.prefix(256), as: UTF8.self))
                }
                continue
            }
            if values.contains(value) { continue }
            values.append(value)
            if value.isDeprecated && !acceptingDeprecated { continue }
            if let level = value.identityLevel {
                identity = min(identity ?? level, level)
            }
            if let level = value.authenticatorLevel {
                authenticator = min(authenticator ?? level, level)
            }
        }
        self.identityLevel = identity ?? .none
        self.authenticatorLevel = authenticator
        self.values = values
        self.unrecognisedValues = unrecognised
    }
}
