import CivicModels
import Hummingbird

/// Typed access to a report request's query parameters, with errors that name the parameter.
struct ReportRequest {
    let parameters: Parameters

    init(_ request: Request) { parameters = request.uri.queryParameters }

    func text(_ name: String) throws(ReportRequestError) -> String? {
        guard let value = parameters[Substring(name)] else { return nil }
        let text = String(value)
        guard !text.isEmpty else { throw ReportRequestError(field: name, reason: "\(name) must not be empty") }
        return text
    }

    func requiredText(_ name: String) throws(ReportRequestError) -> String {
        guard let text = try text(name) else { throw ReportRequestError(field: name, reason: "\(name) is required") }
        return text
    }

    func requiredInt(_ name: String, in range: ClosedRange<Int>) throws(ReportRequestError) -> Int {
        let text = try requiredText(name)
        guard let value = Int(text), range.contains(value) else {
            throw ReportRequestError(field: name, reason: "\(name) must be a number in \(range.lowerBound)...\(range.upperBound), not \"\(text)\"")
        }
        return value
    }

    func requiredChannel() throws(ReportRequestError) -> Channel {
        let text = try requiredText("channel")
        guard let channel = Channel(rawValue: text) else {
            throw ReportRequestError(field: "channel", reason: "channel: \"\(text)\" is not one of \(Channel.acceptedValues)")
        }
        return channel
    }

    /// The required `fiscalYear` (2000-2200) and `quarter` (1-4).
    func requiredQuarter() throws(ReportRequestError) -> FiscalQuarter {
        FiscalQuarter(fiscalYear: try requiredInt("fiscalYear", in: 2000...2200), quarter: try requiredInt("quarter", in: 1...4))
    }
}
