import CivicIdentity
import Foundation

/// The replay check after a token verified: its `jti` may serve one response or request only.
///
/// The first use of a `jti` (at its issuer) is recorded in `identity.token_uses`; the same use again (an
/// at-least-once redelivery, or a replay after a crash) keeps its verdict, and any other use is refused
/// `token_replayed`. A token without `jti` reaches here only bound by nonce to its one use
/// (``IdentityVerifier/verify(_:for:at:)``), so it needs no row.
struct TokenLedger {
    let store: VerificationStore

    /// `verdict`, or a `token_replayed` refusal when the token's jti was first used by something else.
    func verdict(_ verdict: IdentityVerdict, for use: TokenUse, now: Date) async throws -> IdentityVerdict {
        guard case .verified(let identity) = verdict, let digest = identity.tokenIDDigest else { return verdict }
        switch try await store.claim(issuer: identity.issuer, digest: digest, expiresAt: identity.expiresAt, use: use, now: now) {
        case .granted:
            return verdict
        case .usedElsewhere:
            return .refused(
                IdentityRefusal(code: .tokenReplayed, reason: "the token's jti was already used by another response or identity request")
            )
        }
    }
}
