import Foundation
import Hummingbird

/// The dashboard's query: `GET /dashboard?agency=IRS&fiscalYear=2027&quarter=1`. Empty values (the form's
/// "All" and "Latest" choices) mean "not set".
struct DashboardFilter: Sendable, Equatable {
    /// Agency code, or `nil` for every agency.
    var agency: String?
    /// Fiscal year, or `nil` for the latest with data.
    var fiscalYear: Int?
    /// Quarter 1-4, or `nil` for the latest with data in the year.
    var quarter: Int?

    init(agency: String? = nil, fiscalYear: Int? = nil, quarter: Int? = nil) {
        self.agency = agency
        self.fiscalYear = fiscalYear
        self.quarter = quarter
    }

    /// Reads the filter from a request's query parameters.
    /// - Throws: ``DashboardError`` naming the parameter that is malformed.
    init(parameters: Parameters) throws(DashboardError) {
        try self.init { parameters[Substring($0)].map(String.init) }
    }

    /// Reads the filter from `parameter(name)`, the raw value of each query parameter.
    /// - Throws: ``DashboardError`` naming the parameter that is malformed.
    init(parameter: (String) -> String?) throws(DashboardError) {
        func value(_ name: String) -> String? {
            guard let raw = parameter(name) else { return nil }
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        if let agency = value("agency") {
            guard agency.count <= 32, agency.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw DashboardError(field: "agency", reason: "must be an agency code of up to 32 letters, digits, '-' or '_'")
            }
            self.agency = agency
        }
        if let year = value("fiscalYear") {
            guard let number = Int(year), (1990...2200).contains(number) else {
                throw DashboardError(field: "fiscalYear", reason: "must be a fiscal year such as 2027")
            }
            fiscalYear = number
        }
        if let quarter = value("quarter") {
            guard let number = Int(quarter), (1...4).contains(number) else {
                throw DashboardError(field: "quarter", reason: "must be 1, 2, 3 or 4")
            }
            guard fiscalYear != nil else {
                throw DashboardError(field: "quarter", reason: "needs fiscalYear as well")
            }
            self.quarter = number
        }
    }
}
