import CivicModels
import Foundation

/// One parse for a well-formed submission.
///
/// The thorough path (``SubmissionEnvelope/open(_:maxPayloadBytes:)``, then the schema's decoder) parses
/// every payload twice so that each kind of malformed input gets its own precise reason. Almost every
/// payload is well formed, so intake first decodes it once, straight into the event its `schema` names,
/// and checks for repeated keys; only when that fails does it take the thorough path, which then explains
/// the refusal exactly as before. Both paths accept and refuse the same inputs (a property test holds them
/// to it). A plain response (only the fields agencies send, plain integers) skips even the `Decoder`:
/// ``CivicModels/FeedbackEvent/init(submittedJSON:)`` reads it straight from its bytes.
enum SubmissionFastPath {
    /// The event in `bytes` when it is within the size limit, valid UTF-8, a JSON object with a supported
    /// `schema` among `schemas`, decodes as that event, and repeats no key; otherwise `nil` (take the
    /// thorough path).
    static func decode(
        _ bytes: [UInt8],
        maxPayloadBytes: Int,
        schemas: [String],
        decoder: JSONDecoder
    ) -> Submission? {
        guard bytes.count <= maxPayloadBytes, String(validating: bytes, as: UTF8.self) != nil else { return nil }
        // A plain response is read straight from its bytes (no key repeated, checked as it is read).
        if let event = FeedbackEvent(submittedJSON: bytes), event.schema == SchemaVersion.submitted, schemas.contains(event.schema) {
            return .response(event)
        }
        guard let document = try? decoder.decode(Document.self, from: Data(bytes)),
            schemas.contains(document.schema), let submission = document.submission
        else { return nil }
        guard DuplicateKeyScanner.firstDuplicate(in: bytes) == nil else { return nil }
        return submission
    }

    /// A submission decoded by its own `schema` field.
    private struct Document: Decodable {
        var schema: String
        var submission: Submission?

        private enum CodingKeys: String, CodingKey { case schema }

        init(from decoder: any Decoder) throws {
            schema = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .schema)
            switch schema {
            case SchemaVersion.submitted: submission = .response(try FeedbackEvent(from: decoder))
            case SchemaVersion.operations: submission = .operations(try OperationsEvent(from: decoder))
            default: submission = nil
            }
        }
    }
}
