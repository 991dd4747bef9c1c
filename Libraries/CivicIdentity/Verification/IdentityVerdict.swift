/// The outcome of verifying an id_token: a verified identity or a refusal, both plain values.
package enum IdentityVerdict: Sendable {
    /// The token is valid, trusted and meets the agency's policy.
    case verified(VerifiedIdentity)
    /// The token was not accepted; continue anonymously or reject, per ``AgencyIdentityPolicy/onRefusal``.
    case refused(IdentityRefusal)

    /// The identity, if verified.
    package var identity: VerifiedIdentity? {
        if case .verified(let identity) = self { return identity }
        return nil
    }

    /// The refusal, if refused.
    package var refusal: IdentityRefusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }
}
