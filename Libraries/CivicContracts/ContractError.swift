/// Why a contract document could not be generated: a type that probing cannot describe, or an annotation
/// that does not match the type it annotates.
package struct ContractError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem it is.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case probeFailed = "probe_failed"
            case unsupportedDecoding = "unsupported_decoding"
            case unknownAnnotatedField = "unknown_annotated_field"
            case recursiveType = "recursive_type"
            case unknownDocument = "unknown_document"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A type's `init(from:)` threw while being probed.
        package static let probeFailed = Code(.probeFailed)
        /// A type decodes in a way the probe cannot follow (conform it to ``SchemaProviding``).
        package static let unsupportedDecoding = Code(.unsupportedDecoding)
        /// An annotation names a field the type does not decode.
        package static let unknownAnnotatedField = Code(.unknownAnnotatedField)
        /// A type contains itself; describe it with ``SchemaProviding``.
        package static let recursiveType = Code(.recursiveType)
        /// A requested document does not exist.
        package static let unknownDocument = Code(.unknownDocument)

        package var description: String { base.rawValue }
    }

    /// The kind of problem.
    package var code: Code
    /// The type concerned, for example `FeedbackEvent`.
    package var typeName: String
    /// Human-readable reason, naming the field where one is to blame.
    package var reason: String
    /// The error that caused it, if any.
    package var underlying: (any Error)?

    /// Creates an error.
    package init(_ code: Code, typeName: String, _ reason: String, underlying: (any Error)? = nil) {
        self.code = code
        self.typeName = typeName
        self.reason = reason
        self.underlying = underlying
    }

    package var description: String {
        "\(code) (\(typeName)): \(reason)" + (underlying.map { " [\($0)]" } ?? "")
    }
}
