import CivicJSON

/// The schema of a parameter or body in an ``APIOperation``, resolved when the document is built so that it
/// comes from the Swift type (or the event contract) rather than being written out by hand.
package struct APISchema: Sendable {
    let build: @Sendable (inout JSONSchemaBuilder) throws -> JSONValue

    /// The schema of a `Decodable` Swift type (probed, with its ``ContractDescribed`` notes).
    package static func type<T: Decodable & SendableMetatype>(_ type: T.Type) -> APISchema {
        APISchema { builder in try builder.schema(for: type) }
    }

    /// The schema of a published event, for example `SchemaVersion.submitted`.
    package static func event(_ schemaId: String) -> APISchema {
        APISchema { builder in
            guard let event = EventCatalog.all.first(where: { $0.schemaId == schemaId }) else {
                throw ContractError(.unknownDocument, typeName: schemaId, "is not in EventCatalog")
            }
            return try builder.define(event.name) { builder in .object(try event.schema(using: &builder)) }
        }
    }

    /// An array of `element`.
    package static func array(of element: APISchema) -> APISchema {
        APISchema { builder in ["type": "array", "items": try element.build(&builder)] }
    }

    /// Exactly one of `alternatives`.
    package static func oneOf(_ alternatives: [APISchema]) -> APISchema {
        APISchema { builder in ["oneOf": .array(try alternatives.map { try $0.build(&builder) })] }
    }

    /// A plain-text or opaque body (Prometheus text, a generated document).
    package static var text: APISchema { APISchema { _ in ["type": "string"] } }

    /// Any JSON object (for documents served as they are, such as a JSON Schema).
    package static var anyObject: APISchema { APISchema { _ in ["type": "object"] } }

    /// One of a fixed list of strings (a query parameter with named values).
    package static func oneOf(values: [String]) -> APISchema {
        APISchema { _ in ["type": "string", "enum": .strings(values)] }
    }
}
