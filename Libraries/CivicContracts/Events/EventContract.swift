import CivicJSON
import CivicModels

/// One published event: its schema identifier, topic, Swift type, who sends and receives it, and which of
/// the type's fields it carries at its stage of the pipeline.
package struct EventContract: Sendable {
    /// The `schema` value, for example `cx.feedback.submitted/1`.
    package var schemaId: String
    /// The Kafka topic it travels on.
    package var topic: String
    /// A short title.
    package var title: String
    /// What the event is, for the documents.
    package var summary: String
    /// What the message key holds.
    package var key: String
    /// Who publishes it.
    package var senders: [String]
    /// Who consumes it.
    package var receivers: [String]
    /// Fields of the Swift type this stage does not carry (added later, or removed earlier).
    package var omittedFields: [String]
    /// Optional Swift fields this stage always sets.
    package var alwaysSet: [String]
    /// The object schema of the event's type, with its nested types added to the builder's definitions.
    let objectSchema: @Sendable (inout JSONSchemaBuilder) throws -> JSONObject

    /// Creates a contract for events of `type`.
    package init<T: Decodable & SendableMetatype>(
        _ type: T.Type,
        schemaId: String,
        topic: String,
        title: String,
        summary: String,
        key: String,
        senders: [String],
        receivers: [String],
        omittedFields: [String] = [],
        alwaysSet: [String] = []
    ) {
        self.schemaId = schemaId
        self.topic = topic
        self.title = title
        self.summary = summary
        self.key = key
        self.senders = senders
        self.receivers = receivers
        self.omittedFields = omittedFields
        self.alwaysSet = alwaysSet
        self.objectSchema = { builder in try builder.objectSchema(for: type) }
    }

    /// `cx.feedback.submitted/1` -> `cx.feedback.submitted.v1`: the name of its schema document and definition.
    package var name: String {
        guard let slash = schemaId.lastIndex(of: "/") else { return schemaId }
        return schemaId[..<slash] + ".v" + schemaId[schemaId.index(after: slash)...]
    }

    /// The schema document's file name, for example `cx.feedback.submitted.v1.schema.json`.
    package var fileName: String { name + ".schema.json" }

    /// The event's schema body (without `$schema`/`$defs`): the type's object schema with `schema` fixed to
    /// ``schemaId``, the stage's fields and its always-set fields required.
    package func schema(using builder: inout JSONSchemaBuilder) throws -> JSONObject {
        var schema = try objectSchema(&builder)
        guard var properties = schema["properties"]?.object else {
            throw ContractError(.unsupportedDecoding, typeName: name, "has no properties")
        }
        for field in omittedFields + alwaysSet where properties[field] == nil {
            throw ContractError(.unknownAnnotatedField, typeName: name, "names '\(field)', which the type does not decode")
        }
        for field in omittedFields { properties[field] = nil }
        for field in alwaysSet {
            // An always-set optional field: drop the `null` alternative the optional Swift type allowed.
            properties[field] = Self.nonNull(properties[field])
        }
        var schemaField = properties["schema"]?.object ?? [:]
        schemaField["type"] = nil
        schemaField["const"] = .string(schemaId)
        properties["schema"] = .object(schemaField)
        var result = JSONObject()
        result["title"] = .string(schemaId)
        result["description"] = .string(summary)
        for member in schema.members where member.key != "description" { result[member.key] = member.value }
        result["properties"] = .object(properties)
        var required = (schema["required"].flatMap(Self.strings) ?? []).filter { !omittedFields.contains($0) }
        required += alwaysSet.filter { !required.contains($0) }
        result["required"] = .strings(required)
        schema = result
        return schema
    }

    private static func strings(_ value: JSONValue) -> [String]? {
        guard case .array(let elements) = value else { return nil }
        return elements.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    private static func nonNull(_ value: JSONValue?) -> JSONValue? {
        guard var object = value?.object else { return value }
        if case .array(let types) = object["type"] {
            let kept = types.filter { $0 != "null" }
            object["type"] = kept.count == 1 ? kept[0] : .array(kept)
            return .object(object)
        }
        if case .array(let alternatives) = object["anyOf"] {
            let kept = alternatives.filter { $0 != ["type": "null"] }
            if kept.count == 1, var only = kept[0].object {
                if let description = object["description"] { only["description"] = description }
                return .object(only)
            }
            object["anyOf"] = .array(kept)
        }
        return .object(object)
    }
}
