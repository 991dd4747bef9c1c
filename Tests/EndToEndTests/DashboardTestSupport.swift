import CivicModels
import Foundation

/// Scored responses and operational events with known figures, across three quarters:
/// - IRS free-file: FY2027 Q1 24 counted responses plus one spam-flagged; FY2026 Q4 15; FY2026 Q3 6 (a small
///   cell, so a gap in the trend); 14 contacts in FY2027 Q1.
/// - SSA retirement-benefits: 12 legacy (A-11 v1) responses with satisfaction, 3 contacts (a small cell).
/// - VA health-care-enrollment: 4 responses (a small cell) and no contacts.
struct DashboardSample {
    var feedback: [FeedbackEvent] = []
    var operations: [OperationsEvent] = []

    init() {
        let q1FY2027 = Date(timeIntervalSince1970: 1_794_787_200)  // 2026-11-16
        let q4FY2026 = Date(timeIntervalSince1970: 1_786_752_000)  // 2026-08-15
        let q3FY2026 = Date(timeIntervalSince1970: 1_778_803_200)  // 2026-05-15
        let compounds = [0.62, -0.41, 0.08, 0.0, 0.35]
        func thumbs(_ id: String, _ date: Date, up: Bool, recommend: Int, compound: Double?, spam: Bool = false) -> FeedbackEvent {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: id,
                occurredAt: date,
                agency: "IRS",
                service: "free-file",
                channel: .web,
                form: .a11v2,
                answers: Answers(trust: .thumbs(up ? 1 : 0), recommend: recommend),
                comment: compound == nil ? nil : "comment",
                locale: "en-US"
            )
            event.spam = SpamAssessment(flagged: spam, reasons: spam ? ["honeypot"] : [])
            if let compound {
                event.sentiment = SentimentScores(neg: 0, neu: 1, pos: 0, compound: compound)
                event.scorer = ScorerInfo(version: "test")
            }
            return event
        }
        for index in 0..<24 {
            feedback.append(
                thumbs(
                    "irs-q1-\(index)",
                    q1FY2027.addingTimeInterval(Double(index) * 60),
                    up: index % 4 != 0,
                    recommend: index % 11,
                    compound: index % 3 == 0 ? nil : compounds[index % compounds.count]
                )
            )
        }
        feedback.append(thumbs("irs-q1-spam", q1FY2027, up: false, recommend: 0, compound: -0.9, spam: true))
        for index in 0..<15 {
            feedback.append(thumbs("irs-q4-\(index)", q4FY2026, up: index % 3 != 0, recommend: 10 - index % 5, compound: 0.4))
        }
        for index in 0..<6 {
            feedback.append(thumbs("irs-q3-\(index)", q3FY2026, up: true, recommend: 9, compound: nil))
        }
        for index in 0..<12 {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: "ssa-\(index)",
                occurredAt: q1FY2027,
                agency: "SSA",
                service: "retirement-benefits",
                channel: index % 2 == 0 ? .phone : .inPerson,
                form: .a11v1,
                scaleDirection: .agreeHigh,
                answers: Answers(trust: .legacy((index + 2) % 5 + 1), satisfaction: index % 5 + 1, recommend: 6 + index % 5)
            )
            event.spam = SpamAssessment(flagged: false, reasons: [])
            feedback.append(event)
        }
        for index in 0..<4 {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: "va-\(index)",
                occurredAt: q1FY2027,
                agency: "VA",
                service: "health-care-enrollment",
                channel: .web,
                form: .a11v2,
                answers: Answers(trust: .thumbs(1), recommend: 10)
            )
            event.spam = SpamAssessment(flagged: false, reasons: [])
            feedback.append(event)
        }
        for index in 0..<14 {
            operations.append(
                OperationsEvent(
                    eventId: "irs-op-\(index)",
                    occurredAt: q1FY2027,
                    agency: "IRS",
                    service: "free-file",
                    channel: index % 3 == 0 ? .phone : .web,
                    handleSeconds: 200 + Double(index) * 13.5,
                    resolvedFirstContact: index % 4 != 1
                )
            )
        }
        for index in 0..<3 {
            operations.append(
                OperationsEvent(
                    eventId: "ssa-op-\(index)",
                    occurredAt: q1FY2027,
                    agency: "SSA",
                    service: "retirement-benefits",
                    channel: .phone,
                    handleSeconds: 400,
                    resolvedFirstContact: true
                )
            )
        }
    }
}

/// `GET /v1/reports` as the test reads it (decoded independently of the service's types).
struct APIReports: Decodable {
    struct Share: Decodable {
        var n: Int
        var favourable: Int
        var share: Double
        var lower: Double
        var upper: Double
    }

    struct Operations: Decodable {
        var contacts: Int
        var firstContactResolution: Share?
        var averageHandleSeconds: Double?
        var digitalAdoption: Share?
    }

    struct Row: Decodable {
        var agency: String
        var service: String?
        var fiscalYear: Int
        var quarter: Int
        var suppressed: Bool
        var responses: Int?
        var trust: Share?
        var satisfaction: Share?
        var nps: Double?
        var meanSentiment: Double?
        var scoredComments: Int?
        var operations: Operations?
        var operationsSuppressed: Bool?
    }

    var minimumCellSize: Int
    var reports: [Row]
}

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

/// README's display rule, written out independently of the service: shares and intervals in whole percent
/// (half away from zero), NPS signed whole points, mean sentiment signed to two decimals, handle time in
/// minutes and seconds, counts with comma thousands.
enum Expected {
    static let notice = "Suppressed (n < 10)"
    static let notReported = "Not reported"

    static func text(for figure: String, in row: APIReports.Row) -> String? {
        if figure == "operations" { return row.operationsSuppressed == true ? notice : nil }
        let parts = figure.split(separator: ".").map(String.init)
        let name = parts.first == "trend" ? Array(parts.dropFirst()) : parts
        if name.first == "operations" {
            guard let operations = row.operations else { return nil }
            switch name.dropFirst().joined(separator: ".") {
            case "contacts": return count(operations.contacts)
            case "fcr.share": return operations.firstContactResolution.map { percent($0.share) } ?? notReported
            case "fcr.interval": return operations.firstContactResolution.map { interval($0) }
            case "aht":
                return operations.averageHandleSeconds.map {
                    let whole = Int($0.rounded())
                    return whole >= 60 ? "\(whole / 60)m \(whole % 60)s" : "\(whole)s"
                } ?? notReported
            case "digital.share": return operations.digitalAdoption.map { percent($0.share) } ?? notReported
            case "digital.interval": return operations.digitalAdoption.map { interval($0) }
            default: return nil
            }
        }
        if row.suppressed { return notice }
        switch name.joined(separator: ".") {
        case "responses": return row.responses.map(count)
        case "trust.share": return row.trust.map { percent($0.share) } ?? notReported
        case "trust.interval": return row.trust.map(interval)
        case "trust.n": return row.trust.map { count($0.n) }
        case "satisfaction.share": return row.satisfaction.map { percent($0.share) } ?? notReported
        case "satisfaction.interval": return row.satisfaction.map(interval)
        case "satisfaction.n": return row.satisfaction.map { count($0.n) }
        case "nps":
            return row.nps.map {
                let whole = Int($0.rounded())
                return whole > 0 ? "+\(whole)" : "\(whole)"
            } ?? notReported
        case "sentiment.mean":
            return row.meanSentiment.map {
                let hundredths = Int(($0 * 100).rounded())
                let text = String(format: "%d.%02d", abs(hundredths) / 100, abs(hundredths) % 100)
                return (hundredths > 0 ? "+" : hundredths < 0 ? "-" : "") + text
            } ?? notReported
        case "sentiment.scored": return row.scoredComments.map(count) ?? notReported
        default: return nil
        }
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    static func interval(_ share: APIReports.Share) -> String {
        "\(Int((share.lower * 100).rounded()))–\(Int((share.upper * 100).rounded()))%"
    }

    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US")
        formatter.numberStyle = .decimal
        return formatter.string(from: NSNumber(value: value)) ?? ""
    }
}

/// WCAG 2.1 contrast of the colours the page publishes as CSS custom properties.
enum Contrast {
    /// Text and information-carrying marks, foreground on background.
    static let pairs = [
        ("ink", "paper"), ("ink-muted", "paper"), ("ink-muted", "surface"), ("ink", "surface"), ("primary", "paper"),
        ("paper", "banner"), ("paper", "primary"), ("positive", "paper"), ("negative", "paper"), ("emotion", "paper"),
        ("focus", "paper"),
    ]

    static func customProperties(in page: String) -> [String: String] {
        var colours: [String: String] = [:]
        for match in page.matches(of: /--([a-z-]+): (#[0-9a-fA-F]{6});/) {
            colours[String(match.output.1)] = String(match.output.2)
        }
        return colours
    }

    static func ratio(_ a: String?, _ b: String?) -> Double? {
        guard let a = a.flatMap(luminance), let b = b.flatMap(luminance) else { return nil }
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    static func luminance(_ hex: String) -> Double? {
        guard let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        let channels = [value >> 16, value >> 8, value].map { Double($0 & 0xFF) / 255 }
        let linear = channels.map { $0 <= 0.039_28 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    }
}
