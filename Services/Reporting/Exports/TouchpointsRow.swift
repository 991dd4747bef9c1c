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
    var wentWell: DriverSet
    var didNotGoWell: DriverSet
    /// The Q2 options the instrument offered; `nil` when no instrument was registered (all offered).
    var wentWellOffered: DriverSet? = nil
    /// The Q3 options the instrument offered; `nil` when no instrument was registered (all offered).
    var didNotGoWellOffered: DriverSet? = nil
    /// Q4, already redacted by identity-verify.
    var comment: String?

    /// `1`, `0` or `nil` (not offered) per driver, positive drivers then negative ones.
    var indicators: [Int?] {
        (0..<Self.indicatorCount).map(indicator)
    }

    /// The number of indicators: each driver twice, positive then negative.
    static let indicatorCount = 2 * Driver.allCases.count

    /// The indicator at `position` of ``indicators`` (`0..<indicatorCount`), without building the list.
    @inline(__always)
    func indicator(_ position: Int) -> Int? {
        let driver = position % Driver.allCases.count
        if position < Driver.allCases.count {
            guard trustFavourable == true, wentWellOffered?.contains(driver) ?? true else { return nil }
            return wentWell.contains(driver) ? 1 : 0
        }
        guard trustFavourable == false, didNotGoWellOffered?.contains(driver) ?? true else { return nil }
        return didNotGoWell.contains(driver) ? 1 : 0
    }

    /// The CSV cells: indicators not offered are the word `null`, a missing answer or comment is empty. The
    /// event id and the comment are text (neutralised if they would start a formula); Q1 and the indicators
    /// are integers and `null`, written exactly as Touchpoints accepts them.
    package var csvFields: [CSVCell] {
        [.text(externalId), trust.map(CSVCell.integer) ?? .empty] + indicators.map { $0.map(CSVCell.integer) ?? .word("null") }
            + [comment.map(CSVCell.text) ?? .empty]
    }

    /// The row as one CSV record (CRLF included): the bytes `CSVRecord.append(csvFields, to:)` writes, cell by
    /// cell without building the cells.
    package func appendCSV(to output: inout [UInt8]) {
        CSVRecord.append(text: externalId, to: &output)
        output.append(UInt8(ascii: ","))
        if let trust { output.append(contentsOf: String(trust).utf8) }
        for position in 0..<Self.indicatorCount {
            output.append(UInt8(ascii: ","))
            switch indicator(position) {
            case 1?: output.append(UInt8(ascii: "1"))
            case 0?: output.append(UInt8(ascii: "0"))
            case let value?: output.append(contentsOf: String(value).utf8)
            case nil: output.append(contentsOf: Self.null)
            }
        }
        output.append(UInt8(ascii: ","))
        if let comment { CSVRecord.append(text: comment, to: &output) }
        output.append(contentsOf: [13, 10])
    }

    /// The same row as one JSON object (NDJSON line, `\n` included) with the header's keys in header order;
    /// indicators not offered are JSON `null`.
    package func appendJSON(to output: inout [UInt8]) {
        var writer = JSONWriter()
        swap(&writer.bytes, &output)
        defer { swap(&writer.bytes, &output) }
        writer.bytes.append(contentsOf: Self.jsonKeys[0])
        writer.string(externalId)
        writer.bytes.append(contentsOf: Self.jsonKeys[1])
        if let trust { writer.bytes.append(contentsOf: String(trust).utf8) } else { writer.bytes.append(contentsOf: Self.null) }
        for position in 0..<Self.indicatorCount {
            writer.bytes.append(contentsOf: Self.jsonKeys[2 + position])
            switch indicator(position) {
            case 1?: writer.bytes.append(UInt8(ascii: "1"))
            case 0?: writer.bytes.append(UInt8(ascii: "0"))
            case let value?: writer.bytes.append(contentsOf: String(value).utf8)
            case nil: writer.bytes.append(contentsOf: Self.null)
            }
        }
        writer.bytes.append(contentsOf: Self.jsonKeys[2 + Self.indicatorCount])
        if let comment { writer.string(comment) } else { writer.bytes.append(contentsOf: Self.null) }
        writer.bytes.append(contentsOf: [UInt8(ascii: "}"), 10])
    }

    private static let null = Array("null".utf8)

    /// Each header key as it opens its member: `{"external_id":` for the first, `,"question_1":` after.
    private static let jsonKeys: [[UInt8]] = header.enumerated().map { index, name in
        Array(((index == 0 ? "{" : ",") + JSONString.quoted(name) + ":").utf8)
    }
}

/// A set of drivers, one bit per driver in `Driver.allCases` order.
package struct DriverSet: Sendable, Equatable, ExpressibleByArrayLiteral {
    var bits: UInt16 = 0

    /// The drivers given.
    package init(arrayLiteral drivers: Driver...) {
        for driver in drivers { insert(driver) }
    }

    /// The drivers named in `list`, separated by commas; names that are no driver, and empty names, are skipped.
    init(commaSeparated list: String) {
        var list = list
        // Non-ASCII text is split and matched as Swift strings compare (by character, canonically); ASCII
        // byte by byte, which is the same there.
        guard list.utf8.allSatisfy({ $0 < 0x80 }) else {
            for name in list.split(separator: ",") { if let driver = Driver(rawValue: String(name)) { insert(driver) } }
            return
        }
        list.withUTF8 { bytes in
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: ",") {
                if index > start, let driver = Self.driver(named: UnsafeBufferPointer(rebasing: bytes[start..<index])) {
                    bits |= 1 << driver
                }
                start = index + 1
            }
        }
    }

    /// Adds `driver`.
    mutating func insert(_ driver: Driver) {
        if let index = Driver.allCases.firstIndex(of: driver) { bits |= 1 << index }
    }

    /// Whether the driver at `index` of `Driver.allCases` is in the set.
    @inline(__always)
    func contains(_ index: Int) -> Bool { bits & (1 << index) != 0 }

    /// The index in `Driver.allCases` of the driver whose raw value is `name`.
    private static func driver(named name: UnsafeBufferPointer<UInt8>) -> Int? {
        names.firstIndex { $0.elementsEqual(name) }
    }

    private static let names = Driver.allCases.map { Array($0.rawValue.utf8) }
}
