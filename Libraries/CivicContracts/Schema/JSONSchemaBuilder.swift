import CivicJSON

/// Turns Swift `Decodable` types into JSON Schema (draft 2020-12) by probing their decoders
/// (``SchemaProbe``) and applying their ``ContractDescribed`` notes. Named types become definitions
/// (`$defs` in a standalone schema, `components/schemas` in OpenAPI) referenced with `$ref`.
package struct JSONSchemaBuilder {
    /// The JSON Schema dialect of every generated schema.
    package static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// Where definitions live, for `$ref`: `#/$defs/` or `#/components/schemas/`.
    package let referencePrefix: String
    /// The definitions collected so far, by name.
    package private(set) var definitions = JSONObject()

    /// A builder whose references start with `referencePrefix`.
    package init(referencePrefix: String = "#/$defs/") {
        self.referencePrefix = referencePrefix
    }

    /// The schema of `type`: a `$ref` to its definition for a named object or enum, inline otherwise.
    package mutating func schema<T: Decodable>(for type: T.Type) throws -> JSONValue {
        try schema(for: SchemaProbe.probe(type).shape)
    }

    /// The full object schema of `type` (not a `$ref`), with its nested types added to ``definitions``.
    package mutating func objectSchema<T: Decodable>(for type: T.Type) throws -> JSONObject {
        let shape = try SchemaProbe.probe(type).shape
        guard case .object(let probedType, let properties) = shape else {
            throw ContractError(.unsupportedDecoding, typeName: ProbedType(type).name, "does not decode a JSON object")
        }
        return try objectSchema(probedType, properties: properties)
    }

    /// Adds a definition under `name` (first one wins) and returns a `$ref` to it.
    package mutating func define(_ name: String, _ build: (inout JSONSchemaBuilder) throws -> JSONValue) rethrows -> JSONValue {
        if definitions[name] == nil {
            definitions[name] = true  // placeholder, keeps the order of first mention
            definitions[name] = try build(&self)
        }
        return reference(name)
    }

    /// `{"$ref": "<prefix><name>"}`.
    package func reference(_ name: String) -> JSONValue {
        ["$ref": .string(referencePrefix + name)]
    }

    // MARK: - Shapes

    mutating func schema(for shape: ProbedShape, notes: FieldNotes? = nil) throws -> JSONValue {
        var schema: JSONObject
        switch shape {
        case .string: schema = ["type": "string"]
        case .integer: schema = ["type": "integer"]
        case .number: schema = ["type": "number"]
        case .boolean: schema = ["type": "boolean"]
        case .dateTime: schema = ["type": "string", "format": "date-time"]
        case .empty: schema = [:]
        case .enumeration(let type, let values):
            schema =
                define(type.name) { _ in
                    var definition: JSONObject = ["type": "string", "enum": .strings(values)]
                    if let notes = Self.notes(of: type.type) { definition["description"] = .string(notes.description) }
                    return .object(definition)
                }.object ?? [:]
        case .array(let element):
            schema = ["type": "array", "items": try self.schema(for: element)]
        case .dictionary(let value):
            schema = ["type": "object", "additionalProperties": try self.schema(for: value)]
        case .object(let type, let properties):
            schema = try define(type.name) { builder in .object(try builder.objectSchema(type, properties: properties)) }.object ?? [:]
        case .inlineObject(let properties):
            schema = try objectSchema(nil, properties: properties)
        case .custom(let type, let provider):
            schema = try define(type.name) { builder in try provider.jsonSchema(using: &builder) }.object ?? [:]
        case .nullable(let wrapped):
            return Self.nullable(try self.schema(for: wrapped, notes: notes))
        }
        if let notes { Self.apply(notes, to: &schema) }
        return .object(schema)
    }

    private mutating func objectSchema(_ type: ProbedType?, properties: [ProbedProperty]) throws -> JSONObject {
        let notes = type.flatMap { Self.notes(of: $0.type) }
        var schema: JSONObject = ["type": "object"]
        if let notes { schema["description"] = .string(notes.description) }
        if let notes, let type {
            let known = Set(properties.map(\.name))
            for name in notes.fields.keys.sorted() where !known.contains(name) {
                throw ContractError(.unknownAnnotatedField, typeName: type.name, "notes describe '\(name)', which the type does not decode")
            }
        }
        var members = JSONObject()
        for property in properties {
            let value = try self.schema(for: property.shape, notes: notes?.fields[property.name])
            members[property.name] = property.required ? value : Self.nullable(value)
        }
        schema["properties"] = .object(members)
        let required = properties.filter(\.required).map(\.name)
        if !required.isEmpty { schema["required"] = .strings(required) }
        if let rules = notes?.rules, !rules.isEmpty { schema["allOf"] = .array(rules) }
        return schema
    }

    private static func notes(of type: Any.Type) -> ContractNotes? {
        (type as? any ContractDescribed.Type)?.contractNotes
    }

    private static func apply(_ notes: FieldNotes, to schema: inout JSONObject) {
        var annotated = JSONObject()
        annotated["description"] = .string(notes.description)
        for member in schema.members { annotated[member.key] = member.value }
        if let range = notes.range {
            annotated["minimum"] = .int(range.lowerBound)
            annotated["maximum"] = .int(range.upperBound)
        }
        if let format = notes.format { annotated["format"] = .string(format) }
        if let length = notes.length {
            annotated["minLength"] = .int(length.lowerBound)
            annotated["maxLength"] = .int(length.upperBound)
        }
        if let pattern = notes.pattern { annotated["pattern"] = .string(pattern) }
        if notes.uniqueItems { annotated["uniqueItems"] = true }
        if !notes.examples.isEmpty { annotated["examples"] = .array(notes.examples) }
        schema = annotated
    }

    /// Allows `null` besides `schema` (an optional Swift property decodes `null` as absent).
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.object else { return schema }
        if case .string(let type) = object["type"] {
            object["type"] = .strings([type, "null"])
            return .object(object)
        }
        var wrapper = JSONObject()
        if let description = object["description"], object["$ref"] != nil {
            wrapper["description"] = description
            object["description"] = nil
        }
        wrapper["anyOf"] = [.object(object), ["type": "null"]]
        return .object(wrapper)
    }
}
