import CivicModels
import Foundation
import Hummingbird

/// The one reader of query parameters for every route: typed values, and errors (``APIError``
/// `invalid_parameter`) whose reason starts with the parameter's name, for example
/// `quarter: "5" is not a whole number in 1...4`.
package struct QueryParameters: Sendable {
    /// How a reader treats what it does not expect.
    package struct Options: Sendable {
        /// The parameters the route accepts; any other is refused. `nil` ignores unknown parameters. A
        /// parameter given twice is always refused: no route reads one value while another is recorded.
        package var accepted: [String]?
        /// Whether a value that is empty (or only spaces) counts as absent, as an HTML form's "All"
        /// choice sends it, instead of being refused.
        package var blankMeansAbsent: Bool

        /// Options; by default unknown parameters are ignored and empty values refused.
        package init(accepted: [String]? = nil, blankMeansAbsent: Bool = false) {
            self.accepted = accepted
            self.blankMeansAbsent = blankMeansAbsent
        }
    }

    /// The fiscal years any route or command accepts.
    package static let fiscalYears = 2000...2200

    /// The longest value any parameter may have, in UTF-8 bytes.
    package static let maximumValueBytes = 4_096

    private let values: [String: String]
    private let options: Options

    /// Reads `pairs` (name, value, in request order).
    /// - Throws: ``APIError`` for a repeated parameter, or an unknown one when `options.accepted` is set.
    package init(_ pairs: [(name: String, value: String)], options: Options = .init()) throws(APIError) {
        var values: [String: String] = [:]
        for (name, value) in pairs {
            if let accepted = options.accepted, !accepted.contains(name) {
                throw .invalidParameter(name, "\(name): unknown parameter; accepted: \(accepted.joined(separator: ", "))")
            }
            guard values[name] == nil else { throw .invalidParameter(name, "\(name): given more than once") }
            values[name] = value
        }
        self.values = values
        self.options = options
    }

    /// Reads a request's query parameters.
    /// - Throws: ``APIError`` for a repeated parameter, or an unknown one when `options.accepted` is set.
    package init(_ request: Request, options: Options = .init()) throws(APIError) {
        try self.init(request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }, options: options)
    }

    /// Every parameter as given (each name once), for an audit entry: exactly the values the route reads.
    package var given: [String: String] { values }

    /// The value of `name`, or `nil` when it is absent.
    /// - Throws: ``APIError`` when it is empty (unless blank values count as absent), holds a control
    ///   character or is longer than ``maximumValueBytes``.
    package func text(_ name: String) throws(APIError) -> String? {
        guard let value = values[name] else { return nil }
        // No parameter of any route means a control character (a NUL would reach PostgreSQL, which refuses
        // it), and none needs more than a few kilobytes.
        guard !value.containsControlCharacters else {
            throw .invalidParameter(name, "\(name): must not contain control characters")
        }
        guard value.utf8.count <= Self.maximumValueBytes else {
            throw .invalidParameter(name, "\(name): longer than \(Self.maximumValueBytes) bytes")
        }
        if options.blankMeansAbsent {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        guard !value.isEmpty else { throw .invalidParameter(name, "\(name): must not be empty") }
        return value
    }

    /// The value of `name`.
    /// - Throws: ``APIError`` when it is absent or empty.
    package func requiredText(_ name: String) throws(APIError) -> String {
        guard let value = try text(name) else { throw .invalidParameter(name, "\(name): is required") }
        return value
    }

    /// The whole number `name` in `range`, or `nil` when it is absent.
    /// - Throws: ``APIError`` when it is not a whole number in `range`.
    package func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let value = try text(name) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw .invalidParameter(name, "\(name): \"\(value)\" is not a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// The whole number `name` in `range`.
    /// - Throws: ``APIError`` when it is absent or not a whole number in `range`.
    package func requiredInteger(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let number = try integer(name, in: range) else { throw .invalidParameter(name, "\(name): is required") }
        return number
    }

    /// The contract value `name`, or `nil` when it is absent.
    /// - Throws: ``APIError`` when it is not one of `Value`'s cases.
    package func value<Value: FeedbackVocabulary>(_ name: String, as type: Value.Type) throws(APIError) -> Value? {
        guard let text = try text(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw .invalidParameter(name, "\(name): \"\(text)\" is not one of \(Value.acceptedValues)")
        }
        return value
    }

    /// The contract value `name`.
    /// - Throws: ``APIError`` when it is absent or not one of `Value`'s cases.
    package func requiredValue<Value: FeedbackVocabulary>(_ name: String, as type: Value.Type) throws(APIError) -> Value {
        guard let value = try value(name, as: type) else { throw .invalidParameter(name, "\(name): is required") }
        return value
    }

    /// `fiscalYear`, in ``fiscalYears``, or `nil` when it is absent.
    package func fiscalYear() throws(APIError) -> Int? { try integer("fiscalYear", in: Self.fiscalYears) }

    /// `quarter`, 1 to 4, or `nil` when it is absent.
    package func quarter() throws(APIError) -> Int? { try integer("quarter", in: 1...4) }

    /// `true` or `false`, or `nil` when it is absent.
    /// - Throws: ``APIError`` for any other value.
    package func boolean(_ name: String) throws(APIError) -> Bool? {
        switch try text(name) {
        case nil: return nil
        case "true": return true
        case "false": return false
        case let value?: throw .invalidParameter(name, "\(name): \"\(value)\" is not true or false")
        }
    }
}
