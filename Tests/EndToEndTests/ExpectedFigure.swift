import Foundation

/// The display rule of docs/services/reporting.md (Dashboard), written out independently of the service: shares and intervals in whole percent
/// (half away from zero), NPS signed whole points, mean sentiment signed to two decimals, handle time in
/// minutes and seconds, counts with comma thousands.
enum ExpectedFigure {
    static let notice = "Suppressed (n < 10)"
    static let notReported = "Not reported"

    static func text(for figure: String, in row: ReportsAPIBody.Row) -> String? {
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
                let whole = Int($0.score.rounded())
                return whole > 0 ? "+\(whole)" : "\(whole)"
            } ?? notReported
        case "sentiment.mean":
            return row.meanSentiment.map {
                let hundredths = Int(($0 * 100).rounded())
                let text = String(format: "%d.%02d", abs(hundredths) / 100, abs(hundredths) % 100)
                return (hundredths > 0 ? "+" : hundredths < 0 ? "-" : "") + text
            } ?? notReported
        case "sentiment.scored": return row.scoredComments.map(count) ?? notReported
        case "sentiment.positive": return row.sentiment?.positive.map { percent($0.share) }
        case "sentiment.neutral": return row.sentiment?.neutral.map { percent($0.share) }
        case "sentiment.negative": return row.sentiment?.negative.map { percent($0.share) }
        default: break
        }
        if name.first == "emotion", name.count == 2 {
            return row.emotions?[name[1]].map { percent($0.share) }
        }
        // drivers.<topTwoBox|wentWell|didNotGoWell>.<driver>.<share|interval|n>
        if name.first == "drivers", name.count == 4, let drivers = row.drivers {
            let table =
                switch name[1] {
                case "topTwoBox": drivers.topTwoBox
                case "wentWell": drivers.wentWell
                case "didNotGoWell": drivers.didNotGoWell
                default: [String: ReportsAPIBody.Share]()
                }
            guard let share = table[name[2]] else { return nil }
            switch name[3] {
            case "share": return percent(share.share)
            case "interval": return interval(share)
            case "n": return count(share.n)
            default: return nil
            }
        }
        return nil
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    static func interval(_ share: ReportsAPIBody.Share) -> String {
        "\(Int((share.lower * 100).rounded()))–\(Int((share.upper * 100).rounded()))%"
    }

    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US")
        formatter.numberStyle = .decimal
        return formatter.string(from: NSNumber(value: value)) ?? ""
    }
}
