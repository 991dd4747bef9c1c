import Foundation

/// A configuration value that could not be used; the service refuses to start with it.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The configuration key, for example `civic.http.port` (environment variable `CIVIC_HTTP_PORT`).
    public var key: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    /// The environment variable the key is read from.
    public var environmentVariable: String {
        key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    public var description: String { "\(environmentVariable): \(reason)" }
}
