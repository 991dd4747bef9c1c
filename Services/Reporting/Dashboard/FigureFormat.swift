import Foundation

/// How the dashboard prints figures (documented in README's "Dashboard" section):
/// - shares and their 95% intervals: whole percent, rounded half away from zero (`72%`, `63–80%`);
/// - NPS: whole points with a sign (`+12`, `-5`, `0`);
/// - mean sentiment: two decimals with a sign (`+0.42`, `-0.10`);
/// - average handle time: whole seconds as minutes and seconds (`5m 12s`);
/// - counts: whole numbers with thousands separated by commas (`1,234`);
/// - a value no figure can take (not finite, or beyond any whole number) prints as ``unavailable``: a
///   figure is input too, and the page never traps on one.
package enum FigureFormat {
    /// What a value no figure can take shows: `n/a`.
    static let unavailable = "n/a"

    /// What a suppressed figure shows instead of a number, for a minimum cell size.
    package static func suppressed(minimumCellSize: Int) -> String { "Suppressed (n < \(minimumCellSize))" }

    /// `0.724` -> `72%`.
    package static func percent(_ share: Double) -> String { wholePercent(share).map { "\($0)%" } ?? unavailable }

    /// `(0.63, 0.80)` -> `63–80%`.
    package static func interval(_ lower: Double, _ upper: Double) -> String {
        guard let lower = wholePercent(lower), let upper = wholePercent(upper) else { return unavailable }
        return "\(lower)–\(upper)%"
    }

    /// `12.4` -> `+12`.
    package static func signedWhole(_ value: Double) -> String {
        guard let rounded = whole(value) else { return unavailable }
        return rounded > 0 ? "+\(rounded)" : "\(rounded)"
    }

    /// `0.4213` -> `+0.42`.
    static func signedHundredths(_ value: Double) -> String {
        guard let hundredths = whole(value * 100) else { return unavailable }
        let sign = hundredths > 0 ? "+" : hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        return "\(sign)\(magnitude / 100).\(magnitude % 100 < 10 ? "0" : "")\(magnitude % 100)"
    }

    /// `312.4` -> `5m 12s`.
    static func duration(seconds: Double) -> String {
        guard let whole = whole(seconds) else { return unavailable }
        return whole >= 60 ? "\(whole / 60)m \(whole % 60)s" : "\(whole)s"
    }

    /// `1234` -> `1,234`.
    package static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    static func wholePercent(_ share: Double) -> Int? { whole(share * 100) }

    /// `value` rounded half away from zero, if it is finite and within ±2^52 (where every whole number is
    /// exact, so `abs` and arithmetic on it cannot overflow).
    static func whole(_ value: Double) -> Int? {
        let rounded = value.rounded()
        guard rounded.isFinite, abs(rounded) <= 0x10_0000_0000_0000 else { return nil }
        return Int(exactly: rounded)
    }
}
