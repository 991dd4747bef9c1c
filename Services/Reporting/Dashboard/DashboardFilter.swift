import CivicRuntime
import Foundation
import Hummingbird

/// The dashboard's query: `GET /dashboard?agency=IRS&fiscalYear=2027&quarter=1`. Empty values (the form's
/// "All" and "Latest" choices) mean "not set".
package struct DashboardFilter: Sendable, Equatable {
    /// Agency code, or `nil` for every agency.
    package var agency: String?
    /// Fiscal year, or `nil` for the latest with data.
    var fiscalYear: Int?
    /// Quarter 1-4, or `nil` for the latest with data in the year.
    var quarter: Int?

    package init(agency: String? = nil, fiscalYear: Int? = nil, quarter: Int? = nil) {
        self.agency = agency
        self.fiscalYear = fiscalYear
        self.quarter = quarter
    }

    /// The parameters the dashboard's form sends.
    static let parameterNames = ["agency", "fiscalYear", "quarter"]

    /// Reads the filter from a request's query parameters.
    /// - Throws: ``DashboardError`` naming the parameter that is malformed.
    package init(parameters: Parameters) throws(DashboardError) {
        try self.init { parameters[Substring($0)].map(String.init) }
    }

    /// Reads the filter from `parameter(name)`, the raw value of each query parameter, with the one query
    /// parameter reader (blank values mean "not set").
    /// - Throws: ``DashboardError`` naming the parameter that is malformed.
    init(parameter: (String) -> String?) throws(DashboardError) {
        let pairs = Self.parameterNames.compactMap { name in parameter(name).map { (name: name, value: $0) } }
        do throws(APIError) {
            let parameters = try QueryParameters(pairs, options: .init(blankMeansAbsent: true))
            if let agency = try parameters.text("agency") {
                guard agency.count <= 32, agency.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                    throw .invalidParameter("agency", "agency: must be an agency code of up to 32 letters, digits, '-' or '_'")
                }
                self.agency = agency
            }
            // The page's own words for the form's two numbers.
            do throws(APIError) {
                fiscalYear = try parameters.fiscalYear()
            } catch {
                throw .invalidParameter("fiscalYear", "fiscalYear: must be a fiscal year such as 2027")
            }
            do throws(APIError) {
                quarter = try parameters.quarter()
            } catch {
                throw .invalidParameter("quarter", "quarter: must be 1, 2, 3 or 4")
            }
            if quarter != nil, fiscalYear == nil {
                throw .invalidParameter("quarter", "quarter: needs fiscalYear as well")
            }
        } catch {
            throw DashboardError(error)
        }
    }
}
