import CivicJSON

/// A type that states the facts about its JSON form that probing its `init(from:)` cannot see: what it and
/// its fields mean, ranges, formats and cross-field rules. Field names are checked against the keys the type
/// really decodes, so an annotation cannot outlive the field it describes.
///
/// Conform in CivicContracts (next to nothing else), one conformance per type:
/// ```swift
/// extension Answers: ContractDescribed {
///     public static var contractNotes: ContractNotes {
///         ContractNotes("The answers of an A-11 form.")
///             .field("ease", "v1 Q4: ease, 1-5.", range: 1...5)
///     }
/// }
/// ```
package protocol ContractDescribed {
    /// The type's description, field notes and rules.
    static var contractNotes: ContractNotes { get }
}

/// Documentation and constraints for one type, applied to the schema generated from its decoder.
package struct ContractNotes: Sendable {
    /// What the type is.
    package var description: String
    /// Notes per JSON key.
    package var fields: [String: FieldNotes] = [:]
    /// Extra JSON Schema rules (for example `if`/`then` between fields), added under `allOf`.
    package var rules: [JSONValue] = []

    /// Notes with a description.
    package init(_ description: String) { self.description = description }

    /// Adds notes for a field.
    package func field(
        _ name: String,
        _ description: String,
        range: ClosedRange<Int>? = nil,
        format: String? = nil,
        length: ClosedRange<Int>? = nil,
        pattern: String? = nil,
        uniqueItems: Bool = false,
        examples: [JSONValue] = []
    ) -> ContractNotes {
        var copy = self
        copy.fields[name] = FieldNotes(
            description: description,
            range: range,
            format: format,
            length: length,
            pattern: pattern,
            uniqueItems: uniqueItems,
            examples: examples
        )
        return copy
    }

    /// Adds a JSON Schema rule to the type's `allOf`.
    package func rule(_ rule: JSONValue) -> ContractNotes {
        var copy = self
        copy.rules.append(rule)
        return copy
    }
}

/// Documentation and constraints for one field.
package struct FieldNotes: Sendable {
    /// What the field means.
    package var description: String
    /// Inclusive bounds of an integer (`minimum`/`maximum`).
    package var range: ClosedRange<Int>?
    /// A JSON Schema `format`, for example `uuid` or `uri`.
    package var format: String?
    /// Inclusive bounds of a string's length (`minLength`/`maxLength`).
    package var length: ClosedRange<Int>?
    /// A regular expression the string must match.
    package var pattern: String?
    /// Whether an array's items must be distinct.
    package var uniqueItems: Bool
    /// Example values.
    package var examples: [JSONValue]
}

/// A type whose schema probing cannot derive (a custom polymorphic `init(from:)`, such as a value that may
/// be a bare number or an object). It builds its schema itself, asking `builder` for the schemas of the
/// types it is made of, so those still come from their decoders.
package protocol SchemaProviding: Decodable {
    /// A value to hand back to the decoder that is being probed.
    static var schemaSample: Self { get }
    /// The type's JSON Schema.
    static func jsonSchema(using builder: inout JSONSchemaBuilder) throws -> JSONValue
}

/// A closed set of string values (for enums outside CivicModels; CivicModels' `FeedbackVocabulary` types
/// are recognised without it). `CaseIterable` string enums get everything by conforming:
/// `extension MyEnum: SchemaEnumerable {}`.
package protocol SchemaEnumerable: Decodable {
    /// The accepted strings, in order.
    static var schemaValues: [String] { get }
    /// A value to hand back to the decoder that is being probed (`nil` only for an enum without cases).
    static var schemaSample: Self? { get }
}

extension SchemaEnumerable where Self: CaseIterable & RawRepresentable, RawValue == String {
    package static var schemaValues: [String] { allCases.map(\.rawValue) }
    package static var schemaSample: Self? { allCases.first }
}
