import ArgumentParser
import Foundation

/// A secret civicctl takes from a variable or a file, never from an argument (arguments show in `ps` and in
/// shell history): `--sasl-password-file`, `--token-file`, `--admin-token-file`.
enum SecretInput {
    /// The secret in the file at `path` (trailing line breaks dropped), else in `variable`; `nil` when neither is
    /// set.
    /// - Parameter fileOverridesVariable: Whether a file given on the command line wins over the variable (a
    ///   token); when false both set is refused (the Kafka password, as the services refuse it).
    /// - Throws: `ValidationError` when the file cannot be read, or both are set where the file does not override.
    static func read(file path: String?, option: String, variable: String, fileOverridesVariable: Bool = true) throws -> String? {
        let direct = ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        guard let path, !path.isEmpty else { return direct }
        guard direct == nil || fileOverridesVariable else {
            throw ValidationError("\(option): \(variable) is set too; use one of them")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(option): cannot read \(path)")
        }
        var value = String(decoding: data, as: UTF8.self)
        while value.last == "\n" || value.last == "\r" { value.removeLast() }
        return value.isEmpty ? nil : value
    }
}
