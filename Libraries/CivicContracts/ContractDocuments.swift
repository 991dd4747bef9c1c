import CivicJSON

/// The published contract documents as files: a JSON Schema per event, the AsyncAPI document, and an
/// OpenAPI document per HTTP service. `contracts-gen` writes them under `contracts/`; the drift test
/// regenerates them in memory and compares the bytes; survey-intake and reporting serve them.
package struct ContractDocuments: Sendable {
    /// A document and where it lives below `contracts/`.
    package struct File: Sendable {
        /// Relative path, for example `schemas/cx.feedback.submitted.v1.schema.json`.
        package var path: String
        /// The serialised JSON.
        package var bytes: [UInt8]
    }

    /// The folder (below the repository root) the documents are committed in.
    package static let folder = "contracts"
    /// The AsyncAPI document's path below ``folder``.
    package static let asyncAPIPath = "asyncapi.json"

    /// The files, in a fixed order.
    package private(set) var files: [File] = []

    /// The event schemas and the AsyncAPI document, plus an OpenAPI document per named service.
    package init(openAPI: [(service: String, document: OpenAPIDocument)] = []) throws {
        for event in EventCatalog.all {
            files.append(File(path: "schemas/\(event.fileName)", bytes: try EventCatalog.schemaDocument(event).serialized()))
        }
        files.append(File(path: Self.asyncAPIPath, bytes: try AsyncAPIDocument.make().serialized()))
        for (service, document) in openAPI {
            files.append(File(path: Self.openAPIPath(service), bytes: try document.make().serialized()))
        }
    }

    /// The OpenAPI document's path below ``folder`` for `service`, for example `openapi/reporting.json`.
    package static func openAPIPath(_ service: String) -> String { "openapi/\(service).json" }

    /// The file at `path`, if there is one.
    package func file(_ path: String) -> File? { files.first { $0.path == path } }
}
