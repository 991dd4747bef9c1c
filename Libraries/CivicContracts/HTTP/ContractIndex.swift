/// The body of `GET /v1/contracts`: where each published contract document is served.
package struct ContractIndex: Codable, Sendable, Equatable {
    /// The AsyncAPI 3.0 document for all topics.
    package var asyncapi: String
    /// This service's OpenAPI 3.1 document.
    package var openapi: String
    /// The JSON Schema document of each event, by schema identifier (`cx.feedback.submitted/1`).
    package var schemas: [String: String]

    /// Creates an index.
    package init(asyncapi: String, openapi: String, schemas: [String: String]) {
        self.asyncapi = asyncapi
        self.openapi = openapi
        self.schemas = schemas
    }
}

extension ContractIndex: ContractDescribed {
    package static var contractNotes: ContractNotes {
        ContractNotes("Where each published contract document is served.")
            .field("asyncapi", "Path of the AsyncAPI 3.0 document for all topics.")
            .field("openapi", "Path of this service's OpenAPI 3.1 document.")
            .field("schemas", "Path of each event's JSON Schema (draft 2020-12), by schema identifier.")
    }
}
