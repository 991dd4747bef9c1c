import CivicModels
import Foundation

/// What the registries say about a valid submission, the same on the topic path and the HTTP routes: its
/// agency and service must be registered (``AgencyRegistry``), and a response must fit the instrument
/// registered for its service and channel, if any (``InstrumentRegistry``, ``InstrumentRules``), which it then
/// carries.
struct SubmissionAdmission: Sendable {
    let agencies: AgencyRegistry
    let instruments: InstrumentRegistry

    /// The submission as it is forwarded, or why the registries refuse it.
    /// - Throws: When a registry cannot be read (the database is down): the caller retries, nothing is refused.
    func admit(_ submission: Submission) async throws -> Result<Submission, Rejection> {
        if let rejection = try await agencies.rejection(agency: submission.agency, service: submission.service, eventId: submission.eventId) {
            return .failure(rejection)
        }
        guard case .response(let event) = submission,
            let instrument = try await instruments.instrument(agency: event.agency, service: event.service, channel: event.channel)
        else { return .success(submission) }
        return InstrumentRules.apply(instrument, to: event).map(Submission.response)
    }
}

extension Result where Failure == Rejection {
    /// The success value passed through an asynchronous, throwing step that may refuse it.
    func asyncFlatMap<NewSuccess>(
        _ transform: (Success) async throws -> Result<NewSuccess, Rejection>
    ) async rethrows -> Result<NewSuccess, Rejection> {
        switch self {
        case .success(let value): try await transform(value)
        case .failure(let rejection): .failure(rejection)
        }
    }
}
