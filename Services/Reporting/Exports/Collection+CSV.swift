import ReportingCore

extension Collection {
    /// The CSV header of `GET /v1/exports/collections.csv`.
    package static let csvHeader = [
        "agency", "service", "channel", "fiscal_year", "quarter", "suppressed", "customers", "offered", "respondents", "pra_expired",
    ]

    /// The CSV cells. Names are text (neutralised if they would start a formula), figures integers.
    package var csvFields: [CSVCell] {
        [.text(agency), .text(service), .text(channel), .integer(fiscalYear), .integer(quarter), .word(suppressed ? "true" : "false")]
            + [customers, offered, respondents, praExpired].map { $0.map(CSVCell.integer) ?? .empty }
    }
}

extension TransactionPoint {
    /// `agency,service,channel,transaction_point,fiscal_year,quarter,customers,offered,respondents`.
    static let csvHeader = ["agency", "service", "channel", "transaction_point", "fiscal_year", "quarter", "customers", "offered", "respondents"]

    /// The CSV cells of this point of `collection`; a missing transaction point is empty.
    func csvFields(of collection: Collection) -> [CSVCell] {
        [.text(collection.agency), .text(collection.service), .text(collection.channel), touchpoint.map(CSVCell.text) ?? .empty]
            + [.integer(collection.fiscalYear), .integer(collection.quarter), .integer(customers), .integer(offered), .integer(respondents)]
    }
}
