import CivicModels
import Foundation

/// What an agency may publish to its own topic (``CivicTopic/submitted(agency:)``), told apart by its `schema`.
package enum Submission: Sendable, Hashable {
    /// A survey response (``SchemaVersion/submitted``), validated and normalised.
    case response(FeedbackEvent)
    /// A contact-centre or digital transaction (``SchemaVersion/operations``), validated.
    case operations(OperationsEvent)

    /// The submission's event id.
    package var eventId: String {
        switch self {
        case .response(let event): event.eventId
        case .operations(let event): event.eventId
        }
    }

    /// The agency it is for.
    package var agency: String {
        switch self {
        case .response(let event): event.agency
        case .operations(let event): event.agency
        }
    }

    /// The agency's service it is about.
    package var service: String {
        switch self {
        case .response(let event): event.service
        case .operations(let event): event.service
        }
    }
}

/// The one entry point for submitted bytes, from a topic or an HTTP request: the shared envelope checks,
/// then the response or operations rules by `schema`.
package struct SubmissionValidator: Sendable {
    /// The survey-response rules (and the shared size and time limits).
    package var responses: ResponseValidator
    /// The operations-event rules.
    package var operations: OperationsValidator
    private let decoder = CivicJSON.makeDecoder()

    /// Creates a validator from both configurations.
    package init(responses: ResponseValidator.Configuration = .init(), operations: OperationsValidator.Configuration = .init()) {
        self.responses = ResponseValidator(configuration: responses)
        self.operations = OperationsValidator(configuration: operations, shared: responses)
    }

    /// Every schema that may be submitted, in the order rejections name them.
    static let schemas = [SchemaVersion.submitted, SchemaVersion.operations]

    /// Validates raw bytes.
    /// - Returns: The validated submission, or why it was refused (a ``Rejection`` naming the field).
    package func validate(_ bytes: [UInt8], now: Date) -> Result<Submission, Rejection> {
        validate(bytes, now: now, accepting: Self.schemas)
    }

    /// Validates raw bytes that must carry one of `schemas` (an HTTP route takes one kind); any other schema
    /// is refused as `unknown_schema` naming the ones expected.
    func validate(_ bytes: [UInt8], now: Date, accepting schemas: [String]) -> Result<Submission, Rejection> {
        let fast = SubmissionFastPath.decode(
            bytes,
            maxPayloadBytes: responses.configuration.maxPayloadBytes,
            schemas: schemas,
            decoder: decoder
        )
        switch fast {
        case .response(let event): return responses.checked(event, now: now).map(Submission.response)
        case .operations(let event): return operations.checked(event, now: now).map(Submission.operations)
        case nil: return validateThoroughly(bytes, now: now, accepting: schemas)
        }
    }

    /// Validates raw bytes on the thorough path only (two parses; the precise reason for every malformed
    /// input). ``validate(_:now:accepting:)`` gives the same answer faster for well-formed input.
    func validateThoroughly(_ bytes: [UInt8], now: Date, accepting schemas: [String] = Self.schemas) -> Result<Submission, Rejection> {
        SubmissionEnvelope.open(bytes, maxPayloadBytes: responses.configuration.maxPayloadBytes)
            .flatMap { envelope in
                switch envelope.schema {
                case SchemaVersion.submitted where schemas.contains(SchemaVersion.submitted):
                    responses.validate(envelope, now: now).map(Submission.response)
                case SchemaVersion.operations where schemas.contains(SchemaVersion.operations):
                    operations.validate(envelope, now: now).map(Submission.operations)
                default:
                    .failure(envelope.unsupportedSchema(expected: schemas))
                }
            }
    }
}
