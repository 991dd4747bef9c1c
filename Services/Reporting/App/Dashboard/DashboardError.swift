/// A dashboard request that cannot be answered: the parameter and what is wrong with it.
public struct DashboardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The query parameter, for example `fiscalYear`.
    public var field: String
    /// What is wrong, for example `must be a fiscal year such as 2027`.
    public var reason: String

    /// `fiscalYear: must be a fiscal year such as 2027`.
    public var description: String { "\(field): \(reason)" }
}
