import CivicJSON

/// An OpenAPI 3.1 document for one service, built from its registered ``APIOperation``s. Schemas come from
/// the Swift types through ``JSONSchemaBuilder`` and are collected under `components/schemas`.
package struct OpenAPIDocument: Sendable {
    /// The OpenAPI version the document follows.
    package static let version = "3.1.0"

    /// A security scheme: an HTTP bearer token, described.
    package struct BearerScheme: Sendable {
        package var name: String
        package var description: String

        package init(_ name: String, _ description: String) {
            self.name = name
            self.description = description
        }
    }

    package var title: String
    package var version: String
    package var description: String
    package var operations: [APIOperation]
    package var securitySchemes: [BearerScheme]

    /// A document with its operations.
    package init(
        title: String,
        version: String,
        description: String,
        operations: [APIOperation],
        securitySchemes: [BearerScheme] = []
    ) {
        self.title = title
        self.version = version
        self.description = description
        self.operations = operations
        self.securitySchemes = securitySchemes
    }

    /// The document as JSON.
    package func make() throws -> JSONValue {
        var builder = JSONSchemaBuilder(referencePrefix: "#/components/schemas/")
        var paths = JSONObject()
        for operation in operations {
            var item = paths[operation.path]?.object ?? [:]
            guard item[operation.method.rawValue] == nil else {
                throw ContractError(.unknownDocument, typeName: operation.path, "has two \(operation.method.rawValue) operations")
            }
            item[operation.method.rawValue] = .object(try Self.operationObject(operation, builder: &builder))
            paths[operation.path] = .object(item)
        }
        var document: JSONObject = [
            "openapi": .string(Self.version),
            "info": ["title": .string(title), "version": .string(version), "description": .string(description)],
            "paths": .object(paths),
        ]
        var components = JSONObject()
        if !builder.definitions.isEmpty { components["schemas"] = .object(builder.definitions) }
        if !securitySchemes.isEmpty {
            var schemes = JSONObject()
            for scheme in securitySchemes {
                schemes[scheme.name] = ["type": "http", "scheme": "bearer", "description": .string(scheme.description)]
            }
            components["securitySchemes"] = .object(schemes)
        }
        if !components.isEmpty { document["components"] = .object(components) }
        return .object(document)
    }

    private static func operationObject(_ operation: APIOperation, builder: inout JSONSchemaBuilder) throws -> JSONObject {
        var object: JSONObject = ["operationId": .string(operation.id), "summary": .string(operation.summary)]
        if !operation.tags.isEmpty { object["tags"] = .strings(operation.tags) }
        if !operation.parameters.isEmpty {
            object["parameters"] = .array(
                try operation.parameters.map { parameter in
                    [
                        "name": .string(parameter.name),
                        "in": .string(parameter.location.rawValue),
                        "description": .string(parameter.description),
                        "required": .bool(parameter.required),
                        "schema": try parameter.schema.build(&builder),
                    ]
                }
            )
        }
        if let body = operation.requestBody {
            object["requestBody"] = [
                "description": .string(body.description),
                "required": true,
                "content": .object([body.mediaType: ["schema": try body.schema.build(&builder)]]),
            ]
        }
        var responses = JSONObject()
        for reply in operation.replies {
            var response: JSONObject = ["description": .string(reply.description)]
            if let body = reply.body {
                response["content"] = .object([body.mediaType: ["schema": try body.schema.build(&builder)]])
            }
            responses[String(reply.status)] = .object(response)
        }
        object["responses"] = .object(responses)
        if let scheme = operation.security { object["security"] = [.object([scheme: []])] }
        return object
    }
}
