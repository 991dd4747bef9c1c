import JWTKit

/// One public signing key from an issuer's JWKS, ready to verify signatures.
struct VerificationKey: Sendable {
    /// The key's `kid`.
    let keyID: String
    /// The single algorithm this key verifies (RS256 for RSA keys, ES256 for P-256 keys).
    let algorithm: SignatureAlgorithm
    /// jwt-kit's verifier for this key and algorithm.
    let verifier: any JWTAlgorithm

    /// Whether `signature` is a valid signature of `signingInput` under this key.
    func isValidSignature(_ signature: [UInt8], for signingInput: ArraySlice<UInt8>) -> Bool {
        do {
            return try self.verifier.verify(signature, signs: signingInput)
        } catch {
            return false
        }
    }
}
