/// An error raised while configuring the identity library, loading an issuer's keys, or signing a
/// staff member in.
///
/// Respondent token refusals are *not* errors: ``IdentityVerifier/verify(_:agency:at:)`` returns them
/// as ``IdentityVerdict/refused(_:)`` values so the caller can continue anonymously. This type is
/// thrown by initialisers that validate configuration, by explicit key loading, and by the staff
/// sign-in steps (token endpoint, discovery, client key; ``StaffSignIn/complete(code:state:pending:)``
/// wraps a refused id_token or a wrong `state` as ``Code/signInRefused`` with the ``refusal``).
package struct IdentityError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable value.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Backing: String, Sendable, Hashable {
            case invalidConfiguration = "invalid_configuration"
            case invalidPseudonymKey = "invalid_pseudonym_key"
            case jwksFetchFailed = "jwks_fetch_failed"
            case jwksInvalid = "jwks_invalid"
            case tokenRequestFailed = "token_request_failed"
            case tokenRequestRefused = "token_request_refused"
            case tokenResponseInvalid = "token_response_invalid"
            case discoveryFailed = "discovery_failed"
            case invalidClientKey = "invalid_client_key"
            case signInRefused = "sign_in_refused"
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A configuration value is missing, out of range or inconsistent.
        package static let invalidConfiguration = Self(.invalidConfiguration)
        /// A pseudonym key is malformed, too short, or its version is duplicated or missing.
        package static let invalidPseudonymKey = Self(.invalidPseudonymKey)
        /// The JWKS could not be read from its file or URL (I/O, network or HTTP status).
        package static let jwksFetchFailed = Self(.jwksFetchFailed)
        /// The JWKS was read but is not a usable key set (bad JSON, no usable signing keys, too large).
        package static let jwksInvalid = Self(.jwksInvalid)
        /// The token endpoint could not be reached or did not answer in time (transport failure).
        package static let tokenRequestFailed = Self(.tokenRequestFailed)
        /// The token endpoint answered with a non-2xx status; ``IdentityError/oauthError`` holds the
        /// OAuth `error` code it gave (RFC 6749 §5.2), ``IdentityError/httpStatus`` the status.
        package static let tokenRequestRefused = Self(.tokenRequestRefused)
        /// The token endpoint's answer is not a usable token response (bad JSON, no id_token, too large).
        package static let tokenResponseInvalid = Self(.tokenResponseInvalid)
        /// The issuer's discovery document could not be read or does not match the configured issuer.
        package static let discoveryFailed = Self(.discoveryFailed)
        /// The relying party's private key (for `private_key_jwt`) cannot be read or used.
        package static let invalidClientKey = Self(.invalidClientKey)
        /// A staff sign-in was refused: wrong `state`, or an id_token that failed verification;
        /// ``IdentityError/refusal`` says why.
        package static let signInRefused = Self(.signInRefused)

        /// The code's stable snake_case name, suitable for logs and metrics labels.
        package var description: String { self.backing.rawValue }
    }

    /// What went wrong.
    package var code: Code
    /// A human-readable explanation. Never contains key material or token contents.
    package var reason: String
    /// The error that caused this one, if any.
    package var underlying: (any Error & Sendable)?
    /// The OAuth `error` code the token endpoint answered (e.g. `invalid_grant`), for
    /// ``Code/tokenRequestRefused``; at most 64 printable ASCII characters.
    package var oauthError: String?
    /// The HTTP status of a non-2xx answer, for ``Code/tokenRequestRefused`` and ``Code/discoveryFailed``.
    package var httpStatus: Int?
    /// Why a sign-in was refused, for ``Code/signInRefused``.
    package var refusal: IdentityRefusal?

    /// Whether trying the same operation again later may succeed (network and I/O failures, and a
    /// token endpoint answering 5xx).
    package var isRetriable: Bool {
        if self.code == .jwksFetchFailed || self.code == .tokenRequestFailed { return true }
        if self.code == .tokenRequestRefused || self.code == .discoveryFailed, let status = self.httpStatus {
            return status >= 500
        }
        return self.refusal?.isRetriable ?? false
    }

    /// Creates an error.
    package init(
        code: Code,
        reason: String,
        underlying: (any Error & Sendable)? = nil,
        oauthError: String? = nil,
        httpStatus: Int? = nil,
        refusal: IdentityRefusal? = nil
    ) {
        self.code = code
        self.reason = reason
        self.underlying = underlying
        self.oauthError = oauthError
        self.httpStatus = httpStatus
        self.refusal = refusal
    }

    package var description: String {
        if let underlying {
            return "IdentityError(\(self.code)): \(self.reason) (\(underlying))"
        }
        return "IdentityError(\(self.code)): \(self.reason)"
    }
}
