public import Foundation

/// The state of one trusted issuer's key set, for health checks and metrics.
public struct JWKSStatus: Sendable {
    /// The issuer.
    public var issuer: String
    /// The `kid`s currently loaded, sorted.
    public var keyIDs: [String]
    /// How many times the JWKS has been read (initial load and every refresh, successful or not).
    public var loadAttempts: Int
    /// How many of those reads failed.
    public var loadFailures: Int
    /// When the keys in use were loaded, or `nil` if none ever loaded.
    public var loadedAt: Date?
    /// The error of the most recent read if it failed.
    public var lastError: IdentityError?
}
