import CivicJSON
import CivicModels
import Foundation

/// One A-11 v2 response as a row of the Touchpoints CX data collection upload.
///
/// Q2 ("what went well") is shown for thumbs up or 4-5, Q3 ("what didn't go so well") for thumbs down or
/// 1-3: a driver of the question that was shown is `1` when ticked and `0` when offered and not ticked;
/// every driver of the question that was not shown, and every option the response's instrument did not
/// offer, is `null`. A response collected without a registered instrument was offered every driver.
package struct TouchpointsRow: Sendable, Equatable {
    /// The Touchpoints upload header, exactly as DESIGN.md gives it (an upload with any other header is refused).
    package static let header: [String] =
        ["external_id", "question_1"] + Driver.allCases.map { "positive_\($0.rawValue)" }
        + Driver.allCases.map { "negative_\($0.rawValue)" } + ["question_4"]

    /// The response's event id.
    var externalId: String
    /// Q1 trust: 0/1 (thumbs) or 1-5.
    var trust: Int?
    /// Whether Q2 was shown (thumbs up or 4-5); Q3 was shown otherwise. `nil` when trust is missing.
    var trustFavourable: Bool?
    var wentWell: Set<Driver>
    var didNotGoWell: Set<Driver>
    /// The Q2 options the instrument offered; `nil` when no instrument was registered (all offered).
    var wentWellOffered: Set<Driver>? = nil
    /// The Q3 options the instrument offered; `nil` when no instrument was registered (all offered).
    var didNotGoWellOffered: Set<Driver>? = nil
    /// Q4, already redacted by identity-verify.
    var comment: String?

    /// `1`, `0` or `nil` (not offered) per driver, positive drivers then negative ones.
    var indicators: [Int?] {
        let positive = Driver.allCases.map { driver -> Int? in
            guard trustFavourable == true, wentWellOffered?.contains(driver) ?? true else { return nil }
            return wentWell.contains(driver) ? 1 : 0
        }
        let negative = Driver.allCases.map { driver -> Int? in
            guard trustFavourable == false, didNotGoWellOffered?.contains(driver) ?? true else { return nil }
            return didNotGoWell.contains(driver) ? 1 : 0
        }
        return positive + negative
    }

    /// The CSV cells: indicators not offered are the word `null`, a missing answer or comment is empty. The
    /// event id and the comment are text (neutralised if they would start a formula); Q1 and the indicators
    /// are integers and `null`, written exactly as Touchpoints accepts them.
    package var csvFields: [CSVCell] {
        [.text(externalId), trust.map(CSVCell.integer) ?? .empty] + indicators.map { $0.map(CSVCell.integer) ?? .word("null") }
            + [comment.map(CSVCell.text) ?? .empty]
    }

    /// The same row as one JSON object (NDJSON line, `\n` included) with the header's keys in header order;
    /// indicators not offered are JSON `null`.
    package func appendJSON(to output: inout [UInt8]) {
        let values: [String?] =
            [JSONString.quoted(externalId), trust.map(String.init)] + indicators.map { $0.map(String.init) }
            + [comment.map(JSONString.quoted)]
        output.append(UInt8(ascii: "{"))
        for (index, (name, value)) in zip(Self.header, values).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: JSONString.quoted(name).utf8)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: (value ?? "null").utf8)
        }
        output.append(contentsOf: [UInt8(ascii: "}"), 10])
    }
}
