import Foundation

/// A contact-centre or digital transaction, for first-contact resolution, handle time and digital adoption.
public struct OperationsEvent: Codable, Sendable, Hashable {
    /// ``SchemaVersion/operations``.
    public var schema: String
    /// Unique id of this event.
    public var eventId: String
    /// When the transaction happened.
    public var occurredAt: Date
    /// Agency code.
    public var agency: String
    /// Service name.
    public var service: String
    /// The channel of the transaction.
    public var channel: Channel
    /// The transaction point within the service and channel, as survey responses name it in `touchpoint`
    /// (for example `after-filing`): a Touchpoints collection detail.
    public var touchpoint: String?
    /// The agency's contact id.
    public var contactId: String?
    /// Handle time in seconds.
    public var handleSeconds: Double?
    /// Whether the contact was resolved on first contact.
    public var resolvedFirstContact: Bool?
    /// Whether the customer was offered the CX survey after this transaction (the "offered" volume of a
    /// Touchpoints collection).
    public var surveyOffered: Bool?

    /// Creates an event.
    public init(
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
