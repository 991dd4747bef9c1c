/// One Touchpoints CX data collection: a service's responses in one channel and fiscal quarter, with its
/// volumes. It is part of the agency's upload package (analyst role): its volumes are shown whatever its size,
/// and `suppressed` says whether its figures are withheld from the published reports.
public struct Collection: Codable, Sendable, Equatable {
    /// Agency code.
    public var agency: String
    /// Service.
    public var service: String
    /// Channel.
    public var channel: String
    /// Fiscal year.
    public var fiscalYear: Int
    /// Fiscal quarter, 1-4.
    public var quarter: Int
    /// Whether the collection is under the minimum cell size, so its figures are withheld from the published
    /// reports (its volumes are shown here all the same).
    public var suppressed: Bool
    /// Customers: operational transactions in the cell (`cx.operations.v1`).
    public var customers: Int?
    /// Customers offered the survey: operational events with `surveyOffered` true.
    public var offered: Int?
    /// Respondents: responses counted (spam excluded), both forms.
    public var respondents: Int?
    /// Respondents who answered after the PRA clearance of their survey instrument had expired (survey-intake
    /// flags them); an HISP must not field an instrument without a current OMB control number.
    public var praExpired: Int?
    /// The collection's transaction points (Touchpoints collection details), by `touchpoint`; events that name
    /// none are counted under `null`.
    public var transactionPoints: [TransactionPoint]?

    /// The CSV header of `GET /v1/exports/collections.csv`.
    static let csvHeader = [
        "agency", "service", "channel", "fiscal_year", "quarter", "suppressed", "customers", "offered", "respondents", "pra_expired",
    ]

    /// The CSV cells. Names are text (neutralised if they would start a formula), figures integers.
    var csvFields: [CSVCell] {
        [.text(agency), .text(service), .text(channel), .integer(fiscalYear), .integer(quarter), .word(suppressed ? "true" : "false")]
            + [customers, offered, respondents, praExpired].map { $0.map(CSVCell.integer) ?? .empty }
    }
}

/// One collection of legacy A-11 v1 responses, as counts of each answer to each of the seven questions.
struct LegacyCollection: Sendable, Equatable {
    /// The A-11 v1 questions in order (q1 ... q7).
    static let questions = ["satisfaction", "trust", "effectiveness", "ease", "efficiency", "transparency", "employee"]
    /// `agency,service,channel,fiscal_year,quarter,suppressed,responses,q1_1,...,q7_5`.
    static let csvHeader =
        ["agency", "service", "channel", "fiscal_year", "quarter", "suppressed", "responses"]
        + (1...7).flatMap { question in (1...5).map { "q\(question)_\($0)" } }

    var agency: String
    var service: String
    var channel: String
    var fiscalYear: Int
    var quarter: Int
    /// v1 responses (spam excluded).
    var responses: Int
    /// 35 counts: question-major, answer 1-5 within each question.
    var counts: [Int]
    var suppressed: Bool

    /// The CSV cells: every count, whatever the size (`suppressed` says whether the collection is under the
    /// minimum cell size). Names are text (neutralised if they would start a formula), figures integers.
    var csvFields: [CSVCell] {
        [.text(agency), .text(service), .text(channel), .integer(fiscalYear), .integer(quarter), .word(suppressed ? "true" : "false")]
            + [.integer(responses)] + counts.map(CSVCell.integer)
    }
}

/// One transaction point of a collection, a Touchpoints collection detail: where in the service and channel
/// the transactions and responses happened (`touchpoint`), with the same volumes as its collection.
public struct TransactionPoint: Codable, Sendable, Equatable {
    /// The transaction point, `nil` for events that name none.
    public var touchpoint: String?
    /// Customers: operational transactions at this point.
    public var customers: Int
    /// Customers offered the survey.
    public var offered: Int
    /// Respondents (spam excluded).
    public var respondents: Int

    /// `agency,service,channel,transaction_point,fiscal_year,quarter,customers,offered,respondents`.
    static let csvHeader = ["agency", "service", "channel", "transaction_point", "fiscal_year", "quarter", "customers", "offered", "respondents"]

    /// The CSV cells of this point of `collection`; a missing transaction point is empty.
    func csvFields(of collection: Collection) -> [CSVCell] {
        [.text(collection.agency), .text(collection.service), .text(collection.channel), touchpoint.map(CSVCell.text) ?? .empty]
            + [.integer(collection.fiscalYear), .integer(collection.quarter), .integer(customers), .integer(offered), .integer(respondents)]
    }
}
