/// One Touchpoints CX data collection: a service's responses in one channel and fiscal quarter, with its
/// volumes. It is part of the agency's upload package (analyst role): its volumes are shown whatever its size,
/// and `suppressed` says whether its figures are withheld from the published reports.
package struct Collection: Codable, Sendable, Equatable {
    /// Agency code.
    package var agency: String
    /// Service.
    package var service: String
    /// Channel.
    package var channel: String
    /// Fiscal year.
    package var fiscalYear: Int
    /// Fiscal quarter, 1-4.
    package var quarter: Int
    /// Whether the collection is under the minimum cell size, so its figures are withheld from the published
    /// reports (its volumes are shown here all the same).
    package var suppressed: Bool
    /// Customers: operational transactions in the cell (`cx.operations.v1`).
    package var customers: Int?
    /// Customers offered the survey: operational events with `surveyOffered` true.
    package var offered: Int?
    /// Respondents: responses counted (spam excluded), both forms.
    package var respondents: Int?
    /// Respondents who answered after the PRA clearance of their survey instrument had expired (survey-intake
    /// flags them); an HISP must not field an instrument without a current OMB control number.
    package var praExpired: Int?
    /// The collection's transaction points (Touchpoints collection details), by `touchpoint`; events that name
    /// none are counted under `null`.
    package var transactionPoints: [TransactionPoint]?
}

/// One transaction point of a collection, a Touchpoints collection detail: where in the service and channel
/// the transactions and responses happened (`touchpoint`), with the same volumes as its collection.
package struct TransactionPoint: Codable, Sendable, Equatable {
    /// The transaction point, `nil` for events that name none.
    package var touchpoint: String?
    /// Customers: operational transactions at this point.
    package var customers: Int
    /// Customers offered the survey.
    package var offered: Int
    /// Respondents (spam excluded).
    package var respondents: Int
}
