/// The one error type thrown by `CivicSentiment`.
///
/// Follows the project convention: a stable ``Code`` to switch on, a human-readable
/// ``reason``, and the lower-level error that caused it, if any.
package struct CivicSentimentError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure happened. Compare against the static members.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case resourceMissing
            case resourceUnreadable
            case malformedResource
            case malformedInput
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A bundled data file (lexicon, notice) could not be found.
        package static let resourceMissing = Code(.resourceMissing)
        /// A bundled data file exists but could not be read.
        package static let resourceUnreadable = Code(.resourceUnreadable)
        /// A data file was read but its content does not have the expected shape.
        package static let malformedResource = Code(.malformedResource)
        /// Caller-supplied input (for example a JSON line) could not be parsed.
        package static let malformedInput = Code(.malformedInput)

        package var description: String {
            switch base {
            case .resourceMissing: "resourceMissing"
            case .resourceUnreadable: "resourceUnreadable"
            case .malformedResource: "malformedResource"
            case .malformedInput: "malformedInput"
            }
        }
    }

    /// The kind of failure.
    package var code: Code
    /// What went wrong, for logs and operators.
    package var reason: String
    /// The error that caused this one, when there is one.
    package var underlying: (any Error)?

    /// Creates an error.
    package init(code: Code, reason: String, underlying: (any Error)? = nil) {
        self.code = code
        self.reason = reason
        self.underlying = underlying
    }

    /// Fatal errors mean the library cannot work at all (missing or broken data files);
    /// non-fatal ones concern a single input.
    package var isFatal: Bool {
        code != .malformedInput
    }

    package var description: String {
        if let underlying {
            return "CivicSentimentError(\(code)): \(reason) (\(underlying))"
        }
        return "CivicSentimentError(\(code)): \(reason)"
    }
}
