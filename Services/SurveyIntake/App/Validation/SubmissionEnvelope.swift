import CivicModels
import Foundation

/// The checks every submission passes before its schema decides how it is read: size, UTF-8, a JSON
/// object, no repeated keys, and a `schema` string.
struct SubmissionEnvelope {
    /// The payload bytes, as `Data` for the decoders.
    var data: Data
    /// The `schema` field.
    var schema: String
    /// The `eventId` field when it is a string, so rejections can name the event.
    var eventId: String?

    /// Opens `bytes`, or says why they are not a submission at all.
    static func open(_ bytes: [UInt8], maxPayloadBytes: Int) -> Result<SubmissionEnvelope, Rejection> {
        guard bytes.count <= maxPayloadBytes else {
            return .failure(Rejection(.payloadTooLarge, field: nil, "payload is \(bytes.count) bytes; the limit is \(maxPayloadBytes)"))
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .failure(Rejection(.notUTF8, field: nil, "payload is not valid UTF-8"))
        }
        let data = Data(bytes)
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                return .failure(Rejection(.notJSON, field: nil, "payload is JSON but not an object"))
            }
            object = parsed
        } catch {
            return .failure(Rejection(.notJSON, field: nil, "payload is not JSON: \(describe(error))"))
        }
        let eventId = object["eventId"] as? String
        if let duplicate = DuplicateKeyScanner.firstDuplicate(in: bytes) {
            return .failure(Rejection(.duplicateKey, field: duplicate, "appears more than once in the same object", eventId: eventId))
        }
        guard let schema = object["schema"] else {
            return .failure(
                Rejection(.missingField, field: "schema", "is required (expected \"\(SchemaVersion.submitted)\")", eventId: eventId)
            )
        }
        guard let schemaText = schema as? String else {
            return .failure(Rejection(.wrongType, field: "schema", "must be a string", eventId: eventId))
        }
        return .success(SubmissionEnvelope(data: data, schema: schemaText, eventId: eventId))
    }

    /// The rejection for a schema that is none of `expected`.
    func unsupportedSchema(expected: [String]) -> Rejection {
        let names = expected.map { "\"\($0)\"" }.joined(separator: " or ")
        return Rejection(
            .unknownSchema,
            field: "schema",
            "\"\(schema)\" is not a supported version (expected \(names))",
            eventId: eventId
        )
    }

    private static func describe(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return text ?? "malformed"
    }
}
