import CivicRuntime
import HTTPTypes

/// A dashboard request that cannot be answered: the parameter and what is wrong with it.
package struct DashboardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The query parameter, for example `fiscalYear`.
    var field: String
    /// What is wrong, for example `must be a fiscal year such as 2027`.
    var reason: String
    /// The answer's status: 400 for a malformed parameter, 403 for an agency the caller holds no role in.
    package var status: HTTPResponse.Status = .badRequest

    package init(field: String, reason: String, status: HTTPResponse.Status = .badRequest) {
        self.field = field
        self.reason = reason
        self.status = status
    }

    /// `fiscalYear: must be a fiscal year such as 2027`.
    package var description: String { "\(field): \(reason)" }
}

extension DashboardError {
    /// The page's alert for a bad query parameter: the reader's reason, which names the parameter first,
    /// with the parameter named once.
    init(_ error: APIError) {
        let field = error.field ?? "query"
        let prefix = "\(field): "
        self.init(field: field, reason: error.reason.hasPrefix(prefix) ? String(error.reason.dropFirst(prefix.count)) : error.reason)
    }
}
