/// Why an id_token (or, for staff, a sign-in callback) was not accepted.
///
/// A refusal is a value, not an error: the caller records ``code`` and either continues the
/// response anonymously or rejects it, as the agency's ``AgencyIdentityPolicy/onRefusal`` says.
/// ``reason`` never contains the token, the subject or any claim value longer than a short,
/// sanitised excerpt of header fields.
package struct IdentityRefusal: Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable refusal code. ``description`` gives its snake_case name.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Backing: String, Sendable, Hashable, CaseIterable {
            case oversized
            case malformed
            case algorithmNone = "algorithm_none"
            case symmetricAlgorithm = "symmetric_algorithm"
            case unsupportedAlgorithm = "unsupported_algorithm"
            case unsupportedCriticalHeader = "unsupported_critical_header"
            case algorithmKeyMismatch = "algorithm_key_mismatch"
            case missingKeyID = "missing_key_id"
            case unknownKeyID = "unknown_key_id"
            case keysUnavailable = "keys_unavailable"
            case badSignature = "bad_signature"
            case untrustedIssuer = "untrusted_issuer"
            case wrongAudience = "wrong_audience"
            case expired
            case notYetValid = "not_yet_valid"
            case missingClaim = "missing_claim"
            case insufficientAssurance = "insufficient_assurance"
            case nonceMismatch = "nonce_mismatch"
            case stateMismatch = "state_mismatch"
            case unboundToken = "unbound_token"
            case tokenReplayed = "token_replayed"
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// Creates a code from its snake_case name, e.g. when reading a recorded refusal back.
        package init?(name: String) {
            guard let backing = Backing(rawValue: name) else { return nil }
            self.backing = backing
        }

        /// Every refusal code, in declaration order.
        package static var allCases: [Code] { Backing.allCases.map(Code.init) }

        /// The token is longer than ``IdentityVerifierConfiguration/maximumTokenBytes``; checked before parsing.
        package static let oversized = Self(.oversized)
        /// Not a JWS compact serialisation: wrong number of segments, bad base64url, bad JSON, wrong claim types.
        package static let malformed = Self(.malformed)
        /// `alg: none` (an unsecured JWT).
        package static let algorithmNone = Self(.algorithmNone)
        /// An HMAC algorithm (`HS256`, `HS384`, `HS512`): the algorithm-confusion attack, never accepted.
        package static let symmetricAlgorithm = Self(.symmetricAlgorithm)
        /// Any other algorithm outside ``IdentityVerifierConfiguration/allowedAlgorithms``.
        package static let unsupportedAlgorithm = Self(.unsupportedAlgorithm)
        /// The header carries a `crit` parameter; no critical extensions are understood.
        package static let unsupportedCriticalHeader = Self(.unsupportedCriticalHeader)
        /// The header's `alg` does not fit the key named by `kid` (e.g. ES256 with an RSA key).
        package static let algorithmKeyMismatch = Self(.algorithmKeyMismatch)
        /// The header has no `kid`.
        package static let missingKeyID = Self(.missingKeyID)
        /// The `kid` is not in the issuer's JWKS, even after the one permitted refresh.
        package static let unknownKeyID = Self(.unknownKeyID)
        /// The issuer's JWKS has never been loaded successfully; retrying later may succeed.
        package static let keysUnavailable = Self(.keysUnavailable)
        /// The signature does not verify with the issuer's key.
        package static let badSignature = Self(.badSignature)
        /// `iss` is not one of the configured trusted issuers.
        package static let untrustedIssuer = Self(.untrustedIssuer)
        /// `aud` (or `azp`) does not name one of the issuer's configured audiences.
        package static let wrongAudience = Self(.wrongAudience)
        /// `exp` is in the past by more than the allowed clock skew.
        package static let expired = Self(.expired)
        /// `nbf` or `iat` is in the future by more than the allowed clock skew.
        package static let notYetValid = Self(.notYetValid)
        /// A required claim (`iss`, `sub`, `aud`, `exp`, `iat`) is absent or empty.
        package static let missingClaim = Self(.missingClaim)
        /// `acr` does not meet the agency's (or the staff sign-in's) minimum assurance policy.
        package static let insufficientAssurance = Self(.insufficientAssurance)
        /// Staff sign-in: the id_token's `nonce` is absent or differs from the one sent in the
        /// authorization request (a token minted for another sign-in, or a replay).
        package static let nonceMismatch = Self(.nonceMismatch)
        /// Staff sign-in: the callback's `state` differs from the one kept for the sign-in (a forged
        /// or crossed callback, RFC 6749 §10.12).
        package static let stateMismatch = Self(.stateMismatch)

        /// A respondent token bound neither to the agency it is presented for (an audience the issuer maps to
        /// that agency) nor to its use (its `nonce` is not the event's or request's nonce, ``TokenUse/nonce``).
        package static let unboundToken = Self(.unboundToken)
        /// A respondent token whose `jti` was already used for another response or request (identity-verify's
        /// replay ledger); the first use stays verified, a redelivery of it too.
        package static let tokenReplayed = Self(.tokenReplayed)

        /// The code's stable snake_case name, e.g. `bad_signature`.
        package var description: String { self.backing.rawValue }
    }

    /// The machine-readable refusal code.
    package var code: Code
    /// A short human-readable explanation, safe to log.
    package var reason: String

    /// Whether the same token may verify later (only when the issuer's keys could not be loaded).
    package var isRetriable: Bool { self.code == .keysUnavailable }

    /// Creates a refusal.
    package init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    package var description: String { "\(self.code): \(self.reason)" }
}
