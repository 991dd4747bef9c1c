import CivicModels
import Foundation

/// A bad `GET /v1/reports` query parameter: which one and why.
public struct ReportRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The query parameter at fault.
    public var field: String
    /// A sentence naming the parameter, the value and what is accepted.
    public var reason: String

    public var description: String { reason }
}

extension ReportQuery.Filter {
    /// The parameters `GET /v1/reports` accepts.
    static let parameterNames = ["agency", "service", "channel", "fiscalYear", "quarter", "groupBy", "level", "trend"]

    /// Reads the filter from query parameters (name, value pairs in request order).
    /// - Throws: ``ReportRequestError`` naming the first bad parameter: unknown or repeated parameters, an empty
    ///   value, a channel that is not one of the contract's, a fiscal year outside 1900...2200, a quarter outside
    ///   1...4, a `groupBy` entry other than `service` or `channel`, a level other than `transaction`, a `trend`
    ///   other than `true` or `false`.
    init(parameters: [(name: String, value: String)]) throws(ReportRequestError) {
        self.init()
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard Self.parameterNames.contains(name) else {
                throw ReportRequestError(
                    field: name,
                    reason: "\(name): unknown parameter; accepted: \(Self.parameterNames.joined(separator: ", "))"
                )
            }
            guard seen.insert(name).inserted else {
                throw ReportRequestError(field: name, reason: "\(name): given more than once")
            }
            guard !value.isEmpty else {
                throw ReportRequestError(field: name, reason: "\(name): must not be empty")
            }
            switch name {
            case "agency": agency = value
            case "service": service = value
            case "channel":
                guard Channel(rawValue: value) != nil else {
                    throw ReportRequestError(field: name, reason: "channel: \"\(value)\" is not one of \(Channel.acceptedValues)")
                }
                channel = value
            case "fiscalYear": fiscalYear = try Self.integer(name, value, in: 1900...2200)
            case "quarter": quarter = try Self.integer(name, value, in: 1...4)
            case "groupBy":
                for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                    switch part {
                    case "service": byService = true
                    case "channel": byChannel = true
                    default:
                        throw ReportRequestError(
                            field: name,
                            reason: "groupBy: \"\(part)\" is not service or channel (a comma-separated list of them)"
                        )
                    }
                }
            case "level":
                guard value == MeasurementLevel.transaction.rawValue else {
                    throw ReportRequestError(
                        field: name,
                        reason: "level: \"\(value)\" is not served here; /v1/reports serves the transaction level only"
                    )
                }
            default:  // trend
                switch value {
                case "true": trend = true
                case "false": trend = false
                default: throw ReportRequestError(field: name, reason: "trend: \"\(value)\" is not true or false")
                }
            }
        }
    }

    private static func integer(_ name: String, _ value: String, in range: ClosedRange<Int>) throws(ReportRequestError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw ReportRequestError(
                field: name,
                reason: "\(name): \"\(value)\" is not a whole number in \(range.lowerBound)...\(range.upperBound)"
            )
        }
        return number
    }
}
