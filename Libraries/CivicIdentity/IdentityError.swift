/// An error raised while configuring the identity library or loading an issuer's keys.
///
/// Token refusals are *not* errors: ``IdentityVerifier/verify(_:agency:at:)`` returns them as
/// ``IdentityVerdict/refused(_:)`` values so the caller can continue anonymously. This type is
/// thrown only by initialisers that validate configuration and by explicit key loading.
public struct IdentityError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable value.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Backing: String, Sendable, Hashable {
            case invalidConfiguration = "invalid_configuration"
            case invalidPseudonymKey = "invalid_pseudonym_key"
            case jwksFetchFailed = "jwks_fetch_failed"
            case jwksInvalid = "jwks_invalid"
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A configuration value is missing, out of range or inconsistent.
        public static let invalidConfiguration = Self(.invalidConfiguration)
        /// A pseudonym key is malformed, too short, or its version is duplicated or missing.
        public static let invalidPseudonymKey = Self(.invalidPseudonymKey)
        /// The JWKS could not be read from its file or URL (I/O, network or HTTP status).
        public static let jwksFetchFailed = Self(.jwksFetchFailed)
        /// The JWKS was read but is not a usable key set (bad JSON, no usable signing keys, too large).
        public static let jwksInvalid = Self(.jwksInvalid)

        /// The code's stable snake_case name, suitable for logs and metrics labels.
        public var description: String { self.backing.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation. Never contains key material or token contents.
    public var reason: String
    /// The error that caused this one, if any.
    public var underlying: (any Error & Sendable)?

    /// Whether trying the same operation again later may succeed (network and I/O failures).
    public var isRetriable: Bool { self.code == .jwksFetchFailed }

    /// Creates an error.
    public init(code: Code, reason: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.reason = reason
        self.underlying = underlying
    }

    public var description: String {
        if let underlying {
            return "IdentityError(\(self.code)): \(self.reason) (\(underlying))"
        }
        return "IdentityError(\(self.code)): \(self.reason)"
    }
}
