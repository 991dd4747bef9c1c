import CivicModels
import CivicRuntime
import ReportingCore

extension ReportQuery.Filter {
    /// The parameters `GET /v1/reports` accepts.
    static let parameterNames = ["agency", "service", "channel", "fiscalYear", "quarter", "groupBy", "level", "trend"]

    /// Reads the filter from query parameters (name, value pairs in request order).
    /// - Throws: ``APIError`` naming the bad parameter: unknown or repeated parameters, an empty value, a
    ///   channel that is not one of the contract's, a fiscal year outside ``QueryParameters/fiscalYears``, a
    ///   quarter outside 1...4, a `groupBy` entry other than `service` or `channel`, a level other than
    ///   `transaction`, a `trend` other than `true` or `false`.
    init(parameters: [(name: String, value: String)]) throws(APIError) {
        try self.init(QueryParameters(parameters, options: .init(accepted: Self.parameterNames)))
    }

    /// Reads the filter from a reader of the request's query parameters.
    init(_ parameters: QueryParameters) throws(APIError) {
        self.init()
        agency = try parameters.text("agency")
        service = try parameters.text("service")
        channel = try parameters.value("channel", as: Channel.self)?.rawValue
        fiscalYear = try parameters.fiscalYear()
        quarter = try parameters.quarter()
        if let groupBy = try parameters.text("groupBy") {
            for part in groupBy.split(separator: ",", omittingEmptySubsequences: false) {
                switch part {
                case "service": byService = true
                case "channel": byChannel = true
                default:
                    throw .invalidParameter("groupBy", "groupBy: \"\(part)\" is not service or channel (a comma-separated list of them)")
                }
            }
        }
        if let level = try parameters.text("level"), level != MeasurementLevel.transaction.rawValue {
            throw .invalidParameter("level", "level: \"\(level)\" is not served here; /v1/reports serves the transaction level only")
        }
        if let trend = try parameters.boolean("trend") { self.trend = trend }
    }
}

extension QueryParameters {
    /// The required `fiscalYear` and `quarter` (1-4) of a figure or export.
    func requiredQuarter() throws(APIError) -> FiscalQuarter {
        FiscalQuarter(
            fiscalYear: try requiredInteger("fiscalYear", in: Self.fiscalYears),
            quarter: try requiredInteger("quarter", in: 1...4)
        )
    }
}
