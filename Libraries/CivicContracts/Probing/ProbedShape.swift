/// The shape of a `Decodable` type as its own `init(from:)` revealed it to ``SchemaProbe``.
indirect enum ProbedShape {
    case string
    case integer
    case number
    case boolean
    /// An RFC 3339 timestamp (`Date`).
    case dateTime
    /// A closed set of strings (a ``SchemaEnumerable`` or `FeedbackVocabulary` type).
    case enumeration(ProbedType, values: [String])
    case array(ProbedShape)
    /// A JSON object with arbitrary string keys (`[String: Value]`).
    case dictionary(ProbedShape)
    /// A named type decoded through a keyed container.
    case object(ProbedType, properties: [ProbedProperty])
    /// An anonymous object from a nested keyed container.
    case inlineObject([ProbedProperty])
    /// A type that describes itself (``SchemaProviding``).
    case custom(ProbedType, provider: any SchemaProviding.Type)
    /// `Optional<Wrapped>` decoded with `decode(_:)` rather than `decodeIfPresent`.
    case nullable(ProbedShape)
    /// Nothing was decoded (an empty type).
    case empty
}

/// One key a type asked its keyed container for.
struct ProbedProperty {
    /// The JSON key.
    var name: String
    /// `decode` (required) rather than `decodeIfPresent` (optional, `null` allowed).
    var required: Bool
    /// What the key holds.
    var shape: ProbedShape
}

/// A Swift type met while probing, with the name its schema definition gets.
struct ProbedType {
    /// The metatype, for annotation look-ups.
    var type: Any.Type
    /// `Answers`, `RejectedFeedback.Source`: the qualified name without the module.
    var name: String

    init(_ type: Any.Type) {
        self.type = type
        let reflected = String(reflecting: type)
        // Drop the module prefix ("CivicModels.RejectedFeedback.Source" -> "RejectedFeedback.Source").
        if let dot = reflected.firstIndex(of: "."), !reflected.contains("<") {
            name = String(reflected[reflected.index(after: dot)...])
        } else {
            name = String(describing: type)
        }
    }
}
