import Foundation

/// The state of one trusted issuer's key set, for health checks and metrics.
package struct JWKSStatus: Sendable {
    /// The issuer.
    package var issuer: String
    /// The `kid`s currently loaded, sorted.
    package var keyIDs: [String]
    /// How many times the JWKS has been read (initial load and every refresh, successful or not).
    package var loadAttempts: Int
    /// How many of those reads failed.
    package var loadFailures: Int
    /// When the keys in use were loaded, or `nil` if none ever loaded.
    package var loadedAt: Date?
    /// The error of the most recent read if it failed.
    package var lastError: IdentityError?
}
