import Configuration
import Foundation

extension ConfigReader {
    /// Reads an integer, failing on a value that is present but not an integer (instead of silently using
    /// the default), and on one outside `range`.
    package func strictInt(_ key: String, default defaultValue: Int, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let text = string(forKey: ConfigKey(key)) else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(key: key, reason: "'\(text)' is not an integer")
        }
        guard range.contains(value) else {
            throw ConfigurationError(key: key, reason: "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// Reads a boolean (`true`/`false`/`1`/`0`/`yes`/`no`), failing on anything else.
    package func strictBool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let text = string(forKey: ConfigKey(key)) else { return defaultValue }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigurationError(key: key, reason: "'\(text)' is not a boolean")
        }
    }

    /// Reads a string, or the default when it is absent or empty.
    package func text(_ key: String, default defaultValue: String, isSecret: Bool = false) -> String {
        guard let value = string(forKey: ConfigKey(key), isSecret: isSecret), !value.isEmpty else { return defaultValue }
        return value
    }
}
