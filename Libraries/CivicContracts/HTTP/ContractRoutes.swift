import CivicJSON
import CivicModels
import CivicRuntime
import Foundation
import Hummingbird

/// The HTTP routes that publish the contracts, rendered once at start-up (so a service whose documents
/// cannot be generated fails to start rather than serving errors):
/// - `GET /openapi.json`: the service's OpenAPI 3.1 document;
/// - with `events`: `GET /v1/contracts` (an index), `/v1/contracts/asyncapi.json` and
///   `/v1/contracts/schemas/{name}` (for example `cx.feedback.submitted.v1.schema.json`).
package struct ContractRoutes<Context: RequestContext>: RouteGroup {
    private let openAPI: [UInt8]
    private let index: [UInt8]?
    private let asyncAPI: [UInt8]
    private let schemas: [String: [UInt8]]

    /// Renders the documents; `events` adds the event contracts (survey-intake serves them).
    package init(openAPI document: OpenAPIDocument, events: Bool = false) throws {
        openAPI = try document.make().serialized()
        guard events else {
            index = nil
            asyncAPI = []
            schemas = [:]
            return
        }
        let documents = try ContractDocuments()
        var schemas: [String: [UInt8]] = [:]
        var paths: [String: String] = [:]
        for event in EventCatalog.all {
            schemas[event.fileName] = documents.file("schemas/\(event.fileName)")?.bytes
            paths[event.schemaId] = "/v1/contracts/schemas/\(event.fileName)"
        }
        self.schemas = schemas
        asyncAPI = documents.file(ContractDocuments.asyncAPIPath)?.bytes ?? []
        let contents = ContractIndex(asyncapi: "/v1/contracts/asyncapi.json", openapi: "/openapi.json", schemas: paths)
        index = Array(try CivicJSON.makeEncoder().encode(contents))
    }

    /// Adds the routes to `router`.
    package func register(on router: some RouterMethods<Context>) {
        let openAPI = openAPI
        router.get("openapi.json") { _, _ in Self.document(openAPI, type: "application/json") }
        guard let index else { return }
        let asyncAPI = asyncAPI
        let schemas = schemas
        router.get("v1/contracts") { _, _ in Self.document(index, type: "application/json") }
        router.get("v1/contracts/asyncapi.json") { _, _ in Self.document(asyncAPI, type: "application/json") }
        router.get("v1/contracts/schemas/:name") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard let bytes = schemas[name] else {
                let known = schemas.keys.sorted().joined(separator: ", ")
                throw APIError(.notFound, code: .notFound, reason: "name: no schema '\(name)'; known: \(known)", field: "name")
            }
            return Self.document(bytes, type: "application/schema+json")
        }
    }

    private static func document(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
