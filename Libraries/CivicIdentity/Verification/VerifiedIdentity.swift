import Foundation

/// What a verified id_token establishes, with the subject already replaced by pseudonyms.
///
/// The raw `sub` is deliberately not part of this value, so it cannot leak into events or logs.
package struct VerifiedIdentity: Sendable, Hashable {
    /// The token's `iss` (one of the trusted issuers).
    package let issuer: String
    /// The configured audience the token was accepted for; with ``issuer`` it is the linking domain.
    package let audience: String
    /// The respondent's pseudonyms under the current and retained key versions.
    package let respondent: RespondentPseudonyms
    /// The assurance read from `acr`.
    package let assurance: IdentityAssurance
    /// `iat`.
    package let issuedAt: Date
    /// `exp`.
    package let expiresAt: Date
    /// `jti`, if present (at most 256 bytes); useful for replay detection.
    package let tokenID: String?
    /// The `kid` of the key that verified the signature.
    package let keyID: String
    /// The signature algorithm.
    package let algorithm: SignatureAlgorithm
    /// How the token was bound to its use, or `nil` when it was verified without one
    /// (``IdentityVerifier/verify(_:agency:at:)``).
    package let binding: TokenBinding?

    /// Creates a value (for tests and for callers that rebuild it from a stored event).
    package init(
        issuer: String,
        audience: String,
        respondent: RespondentPseudonyms,
        assurance: IdentityAssurance,
        issuedAt: Date,
        expiresAt: Date,
        tokenID: String?,
        keyID: String,
        algorithm: SignatureAlgorithm,
        binding: TokenBinding? = nil
    ) {
        self.issuer = issuer
        self.audience = audience
        self.respondent = respondent
        self.assurance = assurance
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.keyID = keyID
        self.algorithm = algorithm
        self.binding = binding
    }
}
