import CivicModels
import Foundation

/// A response checked against the instrument registered for its agency, service and channel: the form and
/// trust scale must be the instrument's, and every driver ticked must be an option it offers. A response
/// that passes carries the instrument's reference (``CivicModels/InstrumentReference``), flagged when it was
/// collected after the PRA clearance expired.
///
/// The form's own display logic (thumbs up or 4-5 shows only "what went well") is checked by
/// ``ResponseValidator`` for every response, with or without an instrument.
enum InstrumentRules {
    /// `event` with its instrument reference, or why the instrument refuses it.
    static func apply(_ instrument: InstrumentDefinition, to event: FeedbackEvent) -> Result<FeedbackEvent, Rejection> {
        func refuse(_ code: Rejection.Code, _ field: String, _ detail: String) -> Result<FeedbackEvent, Rejection> {
            .failure(Rejection(code, field: field, detail, eventId: event.eventId))
        }
        let collection = "\(event.agency) \(event.service) \(event.channel.rawValue) (OMB \(instrument.ombControlNumber))"
        if event.form != instrument.form.surveyForm {
            return refuse(
                .instrumentMismatch,
                "form",
                "\(event.form.rawValue) is not the form of the instrument registered for \(collection), \(instrument.form.rawValue)"
            )
        }
        if let scale = instrument.form.trustScale, let trust = event.answers.trust {
            let answered: TrustScale? =
                switch trust {
                case .thumbs: .thumbs
                case .likert5: .likert5
                case .legacy: nil
                }
            if answered != scale {
                return refuse(
                    .instrumentMismatch,
                    "answers.trust.scale",
                    "\(answered?.rawValue ?? "a bare number") is not the trust scale of the instrument registered for \(collection), \(scale.rawValue)"
                )
            }
        }
        for (field, ticked, offered) in [
            ("answers.wentWell", event.answers.wentWell ?? [], instrument.wentWellOptions),
            ("answers.didNotGoWell", event.answers.didNotGoWell ?? [], instrument.didNotGoWellOptions),
        ] {
            if let option = ticked.first(where: { !offered.contains($0) }) {
                return refuse(
                    .optionNotOffered,
                    field,
                    "\"\(option.rawValue)\" is not an option of the instrument registered for \(collection), which offers "
                        + offered.map(\.rawValue).joined(separator: ", ")
                )
            }
        }
        var event = event
        event.instrument = instrument.reference(occurredAt: event.occurredAt)
        return .success(event)
    }
}
