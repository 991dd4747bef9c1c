/// The logger metadata keys this library uses, in one place.
enum IdentityLogKey {
    static let issuer = "identity.issuer"
    static let keySource = "identity.jwks_source"
    static let keyIDs = "identity.kids"
    static let skippedKeys = "identity.jwks_skipped"
    static let error = "identity.error"
    static let refusal = "identity.refusal"
}
