import Foundation

/// An element of the rendered DOM carrying a figure (`data-figure`, `data-cell`, optional `data-quarter`).
struct FigureHook: CustomStringConvertible {
    var figure: String
    var cell: String
    var quarter: String?
    var text: String

    var description: String { "\(cell) \(figure)\(quarter.map { " [\($0)]" } ?? ""): \"\(text)\"" }

    static func all(in dom: String) -> [FigureHook] {
        let element = /<(span|td|dd|p)\b([^>]*)>([^<]*)<\/\1>/
        return dom.matches(of: element).compactMap { match in
            let attributes = String(match.output.2)
            guard let figure = attribute("data-figure", in: attributes), let cell = attribute("data-cell", in: attributes) else {
                return nil
            }
            return FigureHook(figure: figure, cell: cell, quarter: attribute("data-quarter", in: attributes), text: unescape(String(match.output.3)))
        }
    }

    /// The markup of the card (`<article data-cell=...>`) of `cell`.
    static func card(_ cell: String, in dom: String) -> String? {
        guard let start = dom.range(of: "data-cell=\"\(cell)\"")?.lowerBound,
            let open = dom[..<start].range(of: "<article", options: .backwards)?.lowerBound,
            let close = dom[start...].range(of: "</article>")?.upperBound
        else { return nil }
        return String(dom[open..<close])
    }

    private static func attribute(_ name: String, in attributes: String) -> String? {
        guard let start = attributes.range(of: "\(name)=\"")?.upperBound, let end = attributes[start...].firstIndex(of: "\"") else {
            return nil
        }
        return unescape(String(attributes[start..<end]))
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
    }
}
