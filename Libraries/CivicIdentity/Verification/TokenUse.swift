import Crypto

/// What a respondent's id_token is presented for: one response (an agency's event) or one identity request
/// (an agency's correlation id). A token is verified only for the use it is bound to (``TokenBinding``), and
/// identity-verify records the first use of each `jti` so that no other use can reuse it.
package struct TokenUse: Sendable, Hashable {
    /// What kind of use.
    package enum Kind: String, Sendable, Hashable {
        /// A response on `cx.feedback.accepted.v1`, named by its event id.
        case event
        /// A request on `cx.identity.requests.v1`, named by its correlation id.
        case request
    }

    /// The kind of use.
    package var kind: Kind
    /// The agency the token is presented for (the event's or the request's agency; empty when a request names
    /// none, which no agency audience matches).
    package var agency: String
    /// The event id or the correlation id.
    package var id: String

    /// A use.
    package init(_ kind: Kind, agency: String, id: String) {
        self.kind = kind
        self.agency = agency
        self.id = id
    }

    /// The `nonce` an agency puts into its authorization request to bind the token to this use:
    /// `base64url(SHA-256("civicpulse:" + agency + ":" + eventId))` for a response and
    /// `base64url(SHA-256("civicpulse-request:" + agency + ":" + correlationId))` for an identity request
    /// (base64url without padding, 43 characters).
    package var nonce: String {
        let prefix = self.kind == .event ? "civicpulse:" : "civicpulse-request:"
        return Base64URL.encode(Array(SHA256.hash(data: Array((prefix + self.agency + ":" + self.id).utf8))))
    }
}

/// How a verified token was bound to the agency it was presented for.
package enum TokenBinding: String, Sendable, Hashable {
    /// Its `aud` is one of the audiences the issuer's configuration maps to the agency
    /// (``TrustedIssuer/agencyAudiences``).
    case agencyAudience = "agency_audience"
    /// Its `nonce` is the use's nonce (``TokenUse/nonce``): bound to the agency and to the one event or request.
    case nonce
}

extension VerifiedIdentity {
    /// SHA-256 of the token's `jti`, the key of identity-verify's ledger of used tokens (the `jti` itself is
    /// never stored), or `nil` when the token has none.
    package var tokenIDDigest: [UInt8]? {
        self.tokenID.map { Array(SHA256.hash(data: Array($0.utf8))) }
    }
}
