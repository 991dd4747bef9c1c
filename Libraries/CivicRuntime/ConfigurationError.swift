import Foundation

/// A configuration value that could not be used; the service refuses to start with it.
package struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The configuration key, for example `civic.http.port` (environment variable `CIVIC_HTTP_PORT`).
    package var key: String
    /// What is wrong with it.
    package var reason: String

    /// Creates an error.
    package init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    /// The environment variable the key is read from.
    package var environmentVariable: String {
        key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    package var description: String { "\(environmentVariable): \(reason)" }
}
