import CivicContracts
import CivicJSON
import ReportingCore

extension AccessRole: SchemaEnumerable {}

extension AuditTrail.Action: SchemaEnumerable {}

extension SpamTriage.Decision: SchemaEnumerable {}
extension CollectionState: SchemaEnumerable {}
extension CollectionAction: SchemaEnumerable {}
extension CollectionRating: SchemaEnumerable {}

extension AgencyScope: SchemaProviding {
    static var schemaSample: AgencyScope { .allAgencies }

    /// An agency code, or `*` for every agency (custom coding, which probing cannot see).
    static func jsonSchema(using builder: inout JSONSchemaBuilder) throws -> JSONValue {
        [
            "type": "string",
            "description": "An agency code (1-100 letters, digits, '-' or '_'), or * for every agency.",
            "pattern": "^([A-Za-z0-9_-]{1,100}|\\*)$",
        ]
    }
}
