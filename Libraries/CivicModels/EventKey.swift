/// What identifies an event at every stage: the agency that sent it and its id. Ids are the agency's own, so
/// one agency's id never stands for, shadows or reveals another's.
package struct EventKey: Hashable, Sendable, CustomStringConvertible {
    /// The agency code.
    package var agency: String
    /// The agency's event id.
    package var eventId: String

    /// A key.
    package init(agency: String, eventId: String) {
        self.agency = agency
        self.eventId = eventId
    }

    package var description: String { "\(agency)/\(eventId)" }
}

extension FeedbackEvent {
    /// What identifies the event.
    package var key: EventKey { EventKey(agency: agency, eventId: eventId) }
}

extension OperationsEvent {
    /// What identifies the event.
    package var key: EventKey { EventKey(agency: agency, eventId: eventId) }
}
