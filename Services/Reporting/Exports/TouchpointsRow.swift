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
        (0..<Self.indicatorCount).map { indicator($0) }
    }

    /// The number of drivers (`Driver.allCases` is a new array at each use: counted once).
    static let driverCount = Driver.allCases.count
    /// The number of indicators: each driver twice, positive then negative.
    static let indicatorCount = 2 * driverCount

    /// The indicator at `position` of ``indicators`` (`0..<indicatorCount`), without building the list.
    @inline(__always)
    func indicator(_ position: Int, drivers: Int = driverCount) -> Int? {
        let driver = position % drivers
        if position < drivers {
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
        Self.appendCSV(CollectionOfOne(self), to: &output)
    }

    /// The rows as CSV records, one after the other (``appendCSV(to:)`` for each).
    package static func appendCSV(_ rows: some Sequence<TouchpointsRow>, to output: inout [UInt8]) {
        let drivers = driverCount
        let indicators = indicatorCount
        for row in rows {
            CSVRecord.append(text: row.externalId, to: &output)
            output.append(UInt8(ascii: ","))
            if let trust = row.trust { output.append(contentsOf: String(trust).utf8) }
            for position in 0..<indicators {
                output.append(UInt8(ascii: ","))
                row.appendIndicator(position, drivers: drivers, to: &output)
            }
            output.append(UInt8(ascii: ","))
            if let comment = row.comment { CSVRecord.append(text: comment, to: &output) }
            output.append(13)
            output.append(10)
        }
    }

    /// The same row as one JSON object (NDJSON line, `\n` included) with the header's keys in header order;
    /// indicators not offered are JSON `null`.
    package func appendJSON(to output: inout [UInt8]) {
        Self.appendJSON(CollectionOfOne(self), to: &output)
    }

    /// The rows as NDJSON lines, one after the other (``appendJSON(to:)`` for each).
    package static func appendJSON(_ rows: some Sequence<TouchpointsRow>, to output: inout [UInt8]) {
        let drivers = driverCount
        let indicators = indicatorCount
        jsonKeys.withUnsafeBufferPointer { keys in
            jsonKeyEnds.withUnsafeBufferPointer { ends in
                /// The member opening of the header's key at `index`: `{"external_id":`, then `,"question_1":`, ...
                func key(_ index: Int) -> UnsafeBufferPointer<UInt8> {
                    UnsafeBufferPointer(rebasing: keys[(index == 0 ? 0 : ends[index - 1])..<ends[index]])
                }
                var writer = JSONWriter()
                swap(&writer.bytes, &output)
                defer { swap(&writer.bytes, &output) }
                for row in rows {
                    writer.bytes.append(contentsOf: key(0))
                    writer.string(row.externalId)
                    writer.bytes.append(contentsOf: key(1))
                    if let trust = row.trust { writer.bytes.append(contentsOf: String(trust).utf8) } else { appendNull(to: &writer.bytes) }
                    for position in 0..<indicators {
                        writer.bytes.append(contentsOf: key(2 + position))
                        row.appendIndicator(position, drivers: drivers, to: &writer.bytes)
                    }
                    writer.bytes.append(contentsOf: key(2 + indicators))
                    if let comment = row.comment { writer.string(comment) } else { appendNull(to: &writer.bytes) }
                    writer.bytes.append(UInt8(ascii: "}"))
                    writer.bytes.append(10)
                }
            }
        }
    }

    /// The indicator at `position` as CSV and JSON both write it: `1`, `0`, or `null` when not offered.
    @inline(__always)
    private func appendIndicator(_ position: Int, drivers: Int, to output: inout [UInt8]) {
        switch indicator(position, drivers: drivers) {
        case 1?: output.append(UInt8(ascii: "1"))
        case 0?: output.append(UInt8(ascii: "0"))
        case let value?: output.append(contentsOf: String(value).utf8)
        case nil: Self.appendNull(to: &output)
        }
    }

    @inline(__always)
    private static func appendNull(to output: inout [UInt8]) {
        ("null" as StaticString).withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// Each header key as it opens its member, one after the other: `{"external_id":` for the first, then
    /// `,"question_1":`, ...; ``jsonKeyEnds`` holds where each ends.
    private static let jsonKeys: [UInt8] = header.enumerated().flatMap { index, name in
        Array(((index == 0 ? "{" : ",") + JSONString.quoted(name) + ":").utf8)
    }
    private static let jsonKeyEnds: [Int] = header.enumerated().reduce(into: []) { ends, element in
        let length = ((element.offset == 0 ? "{" : ",") + JSONString.quoted(element.element) + ":").utf8.count
        ends.append((ends.last ?? 0) + length)
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
        let names = Self.names
        list.withUTF8 { bytes in
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: ",") {
                let name = UnsafeBufferPointer(rebasing: bytes[start..<index])
                if index > start, let driver = names.firstIndex(where: { $0.elementsEqual(name) }) { bits |= 1 << driver }
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

    /// The drivers' raw values as bytes, in `Driver.allCases` order.
    private static let names = Driver.allCases.map { Array($0.rawValue.utf8) }
}
