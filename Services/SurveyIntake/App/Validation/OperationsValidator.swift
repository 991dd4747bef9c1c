import CivicModels
import Foundation

/// Checks a contact-centre or digital transaction (``OperationsEvent``, schema ``SchemaVersion/operations``)
/// before survey-intake forwards it to ``CivicTopic/operations``.
///
/// Refusals use the same ``Rejection`` codes as responses and name the field.
package struct OperationsValidator: Sendable {
    /// Limits that apply to operations events only; size and the `occurredAt` window are shared with
    /// responses (``ResponseValidator/Configuration``).
    package struct Configuration: Sendable {
        /// Longest accepted `handleSeconds`. Default: 86400 (one day). (`CIVIC_INTAKE_MAX_HANDLE_S`)
        package var maxHandleSeconds: Double = 86_400

        /// Creates a configuration with the documented defaults.
        package init() {}
    }

    /// The operations limits.
    package var configuration: Configuration
    /// The shared limits (payload size, `occurredAt` window).
    package var shared: ResponseValidator.Configuration
    private let decoder = CivicJSON.makeDecoder()

    /// Creates a validator.
    package init(configuration: Configuration = .init(), shared: ResponseValidator.Configuration = .init()) {
        self.configuration = configuration
        self.shared = shared
    }

    /// Validates an opened envelope whose schema is ``SchemaVersion/operations``.
    func validate(_ envelope: SubmissionEnvelope, now: Date) -> Result<OperationsEvent, Rejection> {
        let event: OperationsEvent
        do {
            event = try decoder.decode(OperationsEvent.self, from: envelope.data)
        } catch let error as DecodingError {
            return .failure(ResponseValidator.rejection(for: error, eventId: envelope.eventId))
        } catch {
            return .failure(Rejection(.notJSON, field: nil, "\(error)", eventId: envelope.eventId))
        }
        return checked(event, now: now)
    }

    /// The rules applied to a decoded event.
    func checked(_ event: OperationsEvent, now: Date) -> Result<OperationsEvent, Rejection> {
        func refuse(_ code: Rejection.Code, _ field: String, _ detail: String) -> Result<OperationsEvent, Rejection> {
            .failure(Rejection(code, field: field, detail, eventId: event.eventId))
        }
        let text: KeyValuePairs<String, String?> = [
            "eventId": event.eventId, "agency": event.agency, "service": event.service, "contactId": event.contactId,
            "touchpoint": event.touchpoint,
        ]
        if let field = Rejection.fieldWithNUL(text) { return refuse(.invalidValue, field, Rejection.nulReason) }
        for (field, value, limit) in [("eventId", event.eventId, 200), ("agency", event.agency, 100), ("service", event.service, 100)] {
            if Rejection.isBlank(value) { return refuse(.missingField, field, "must not be empty") }
            if value.count > limit { return refuse(.invalidValue, field, "is \(value.count) characters; the limit is \(limit)") }
        }
        if let problem = Rejection.transactionPointProblem(event.touchpoint) { return refuse(.invalidValue, "touchpoint", problem) }
        if let contactId = event.contactId, contactId.count > 200 {
            return refuse(.invalidValue, "contactId", "is \(contactId.count) characters; the limit is 200")
        }
        let age = now.timeIntervalSince(event.occurredAt)
        if age < -Double(shared.maxFutureSkewSeconds) {
            return refuse(.occurredInFuture, "occurredAt", "\(Timestamp.format(event.occurredAt)) is in the future")
        }
        if age > Double(shared.maxAgeSeconds) {
            return refuse(
                .tooOld,
                "occurredAt",
                "\(Timestamp.format(event.occurredAt)) is older than the accepted \(shared.maxAgeSeconds / 86_400) days"
            )
        }
        if let seconds = event.handleSeconds {
            guard seconds.isFinite, seconds >= 0, seconds <= configuration.maxHandleSeconds else {
                return refuse(.outOfRange, "handleSeconds", "\(seconds) is outside 0...\(Int(configuration.maxHandleSeconds))")
            }
        }
        return .success(event)
    }
}
