/// One Touchpoints CX data collection: a service's responses in one channel and fiscal quarter, with its
/// volumes. A collection with fewer responses than the minimum cell size is listed as suppressed, with no
/// volumes and no counts.
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
    /// Whether the collection is withheld: fewer respondents than the minimum cell size.
    public var suppressed: Bool
    /// Customers: operational transactions in the cell (`cx.operations.v1`).
    public var customers: Int?
    /// Customers offered the survey: operational events with `surveyOffered` true.
    public var offered: Int?
    /// Respondents: responses counted (spam excluded), both forms.
    public var respondents: Int?

    /// The CSV header of `GET /v1/exports/collections.csv`.
    static let csvHeader = ["agency", "service", "channel", "fiscal_year", "quarter", "suppressed", "customers", "offered", "respondents"]

    /// The CSV cells; a suppressed collection's volumes are empty. Names are text (neutralised if they would
    /// start a formula), figures integers.
    var csvFields: [CSVCell] {
        [.text(agency), .text(service), .text(channel), .integer(fiscalYear), .integer(quarter), .word(suppressed ? "true" : "false")]
            + [customers, offered, respondents].map { $0.map(CSVCell.integer) ?? .empty }
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

    /// The CSV cells; a suppressed collection shows neither its responses nor its counts. Names are text
    /// (neutralised if they would start a formula), figures integers.
    var csvFields: [CSVCell] {
        [.text(agency), .text(service), .text(channel), .integer(fiscalYear), .integer(quarter), .word(suppressed ? "true" : "false")]
            + (suppressed ? Array(repeating: CSVCell.empty, count: 36) : [.integer(responses)] + counts.map(CSVCell.integer))
    }
}
