import Foundation

/// A contact-centre or digital transaction, for first-contact resolution, handle time and digital adoption.
package struct OperationsEvent: Codable, Sendable, Hashable {
    /// ``SchemaVersion/operations``.
    package var schema: String
    /// Unique id of this event.
    package var eventId: String
    /// When the transaction happened.
    package var occurredAt: Date
    /// Agency code.
    package var agency: String
    /// Service name.
    package var service: String
    /// The channel of the transaction.
    package var channel: Channel
    /// The transaction point within the service and channel, as survey responses name it in `touchpoint`
    /// (for example `after-filing`): a Touchpoints collection detail.
    package var touchpoint: String?
    /// The agency's contact id.
    package var contactId: String?
    /// Handle time in seconds.
    package var handleSeconds: Double?
    /// Whether the contact was resolved on first contact.
    package var resolvedFirstContact: Bool?
    /// Whether the customer was offered the CX survey after this transaction (the "offered" volume of a
    /// Touchpoints collection).
    package var surveyOffered: Bool?

    /// Creates an event.
    package init(
        schema: String = SchemaVersion.operations,
        eventId: String,
        occurredAt: Date,
        agency: String,
        service: String,
        channel: Channel,
        touchpoint: String? = nil,
        contactId: String? = nil,
        handleSeconds: Double? = nil,
        resolvedFirstContact: Bool? = nil,
        surveyOffered: Bool? = nil
    ) {
        self.schema = schema
        self.eventId = eventId
        self.occurredAt = occurredAt
        self.agency = agency
        self.service = service
        self.channel = channel
        self.touchpoint = touchpoint
        self.contactId = contactId
        self.handleSeconds = handleSeconds
        self.resolvedFirstContact = resolvedFirstContact
        self.surveyOffered = surveyOffered
    }
}
