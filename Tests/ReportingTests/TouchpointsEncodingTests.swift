import CivicJSON
import CivicModels
import Testing

@testable import ReportingExports

/// The Touchpoints rows are written cell by cell into the batch's bytes (``TouchpointsRow/appendCSV(to:)``,
/// ``TouchpointsRow/appendJSON(to:)``, ``DriverSet``) instead of through a list of cells, strings and sets per
/// row. These check, for hostile values, that the bytes are those of the encoders they replaced, kept here as
/// the reference (``Reference``, as they were at a45e5e4).
@Suite struct TouchpointsEncodingTests {
    /// Text from input: CSV and JSON specials, formula starts (OWASP), white space and quotes before them,
    /// full-width and Unicode minus forms, non-ASCII, combining marks, controls, a very long comment.
    static let texts: [String?] = [
        nil, "", "plain", "a,b", "say \"hi\"", "\"", "l1\nl2", "r\rn", "crlf\r\n", "semi;colon", "tab\there", "=1+1", "+1", "-1", "@SUM(1)",
        "\t=1", "\r=1", "  =HYPERLINK(\"x\")", "\"=1+1", " \"  @SUM(1,2)", "'=1", "“=1+1", "\u{FF1D}1+1", "\u{FF0B}1", "\u{FF0D}1", "\u{FF20}x",
        "\u{2212}5", "-5", "5 stars", "x=1", "é à ü", "日本語のコメント", "emoji 👍🏽 ok", "e\u{301}", ",\u{301}x", "back\\slash", "ctl\u{1}\u{1F}",
        "\u{2028}line sep", " ", "   ", "\u{A0}=1", "\u{3000}+1", "''", String(repeating: "long \"quoted\", comment; ", count: 5_000),
    ]

    /// Driver lists as the export's SELECT gives them (comma-joined array elements), hostile ones too.
    static let driverLists: [String?] = [
        nil, "", "ease,employee", "other", ",,ease,", "EASE", "ease ,other", "ｅase", "unknown,ease",
        "humanity,other,effectiveness,transparency,efficiency,employee,ease", "ease,\u{301}x", "ease,\u{301}", "efficiency,efficiency",
    ]

    static let trusts: [Int?] = [nil, 0, 1, 5, -3, Int(Int32.max)]
    static let favourable: [Bool?] = [nil, true, false]

    /// Every text as the event id and the comment, with the drivers, trust and offers varying alongside.
    static var rows: [(TouchpointsRow, Reference.Row)] {
        var rows: [(TouchpointsRow, Reference.Row)] = []
        var n = 0
        for id in texts {
            for comment in texts {
                n += 1
                let lists = (0..<4).map { driverLists[(n + $0 * 5) % driverLists.count] }
                let reference = Reference.Row(
                    externalId: id ?? "id",
                    trust: trusts[n % trusts.count],
                    trustFavourable: favourable[n % favourable.count],
                    wentWell: Reference.drivers(lists[0] ?? ""),
                    didNotGoWell: Reference.drivers(lists[1] ?? ""),
                    wentWellOffered: lists[2].map(Reference.drivers),
                    didNotGoWellOffered: lists[3].map(Reference.drivers),
                    comment: comment
                )
                let row = TouchpointsRow(
                    externalId: id ?? "id",
                    trust: trusts[n % trusts.count],
                    trustFavourable: favourable[n % favourable.count],
                    wentWell: DriverSet(commaSeparated: lists[0] ?? ""),
                    didNotGoWell: DriverSet(commaSeparated: lists[1] ?? ""),
                    wentWellOffered: lists[2].map { DriverSet(commaSeparated: $0) },
                    didNotGoWellOffered: lists[3].map { DriverSet(commaSeparated: $0) },
                    comment: comment
                )
                rows.append((row, reference))
            }
        }
        return rows
    }

    @Test func csvBytesAreTheReferenceEncodersBytes() {
        var checked = 0
        for (row, reference) in Self.rows {
            var fast: [UInt8] = []
            row.appendCSV(to: &fast)
            var cells: [UInt8] = []
            CSVRecord.append(row.csvFields, to: &cells)
            let expected = Reference.csv(reference)
            #expect(fast == expected, "\(String(decoding: expected, as: UTF8.self).prefix(200).debugDescription)")
            #expect(cells == expected)
            checked += 1
        }
        #expect(checked == Self.texts.count * Self.texts.count)
    }

    @Test func ndjsonBytesAreTheReferenceEncodersBytes() {
        for (row, reference) in Self.rows {
            var fast: [UInt8] = []
            row.appendJSON(to: &fast)
            let expected = Reference.json(reference)
            #expect(fast == expected, "\(String(decoding: expected, as: UTF8.self).prefix(200).debugDescription)")
        }
    }

    @Test(arguments: driverLists.compactMap { $0 })
    func driverListsParseAsStringsSplitThem(list: String) {
        let parsed = DriverSet(commaSeparated: list)
        let expected = Reference.drivers(list)
        #expect(Driver.allCases.indices.filter(parsed.contains) == Driver.allCases.indices.filter { expected.contains(Driver.allCases[$0]) })
    }

    @Test func aBatchIsItsRowsOneAfterTheOther() {
        // The route and the package write a whole batch at once.
        let rows = Self.rows
        var csv: [UInt8] = []
        TouchpointsRow.appendCSV(rows.map(\.0), to: &csv)
        #expect(csv == rows.flatMap { Reference.csv($0.1) })
        var json: [UInt8] = []
        TouchpointsRow.appendJSON(rows.map(\.0), to: &json)
        #expect(json == rows.flatMap { Reference.json($0.1) })
    }

    @Test func rowsAppendToWhatIsAlreadyWritten() {
        // A batch is one buffer: each row goes after the ones before it.
        var bytes = Array("kept".utf8)
        let row = TouchpointsRow(externalId: "=x", trust: 1, trustFavourable: true, wentWell: [.ease], didNotGoWell: [], comment: "a,b")
        row.appendCSV(to: &bytes)
        row.appendJSON(to: &bytes)
        #expect(bytes.starts(with: Array("kept\"'=x\",1,0,1,".utf8)))
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix(#","question_4":"a,b"}"# + "\n"))
    }

    /// The encoders as they were before this change, from a row of sets.
    enum Reference {
        struct Row {
            var externalId: String
            var trust: Int?
            var trustFavourable: Bool?
            var wentWell: Set<Driver>
            var didNotGoWell: Set<Driver>
            var wentWellOffered: Set<Driver>?
            var didNotGoWellOffered: Set<Driver>?
            var comment: String?

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
        }

        static func drivers(_ list: String) -> Set<Driver> {
            Set(list.split(separator: ",").compactMap { Driver(rawValue: String($0)) })
        }

        static func csv(_ row: Row) -> [UInt8] {
            let cells: [CSVCell] =
                [.text(row.externalId), row.trust.map(CSVCell.integer) ?? .empty] + row.indicators.map { $0.map(CSVCell.integer) ?? .word("null") }
                + [row.comment.map(CSVCell.text) ?? .empty]
            var output: [UInt8] = []
            for (index, cell) in cells.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                let value = cell.written
                let bytes = value.utf8
                var needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
                if case .text(let original) = cell {
                    needsQuotes =
                        needsQuotes || value.utf8.count != original.utf8.count || bytes.contains { $0 == UInt8(ascii: ";") || $0 == 9 }
                }
                guard needsQuotes else {
                    output.append(contentsOf: bytes)
                    continue
                }
                output.append(UInt8(ascii: "\""))
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") { output.append(byte) }
                    output.append(byte)
                }
                output.append(UInt8(ascii: "\""))
            }
            output.append(contentsOf: [13, 10])
            return output
        }

        static func json(_ row: Row) -> [UInt8] {
            let values: [String?] =
                [JSONString.quoted(row.externalId), row.trust.map(String.init)] + row.indicators.map { $0.map(String.init) }
                + [row.comment.map(JSONString.quoted)]
            var output: [UInt8] = [UInt8(ascii: "{")]
            for (index, (name, value)) in zip(TouchpointsRow.header, values).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: JSONString.quoted(name).utf8)
                output.append(UInt8(ascii: ":"))
                output.append(contentsOf: (value ?? "null").utf8)
            }
            output.append(contentsOf: [UInt8(ascii: "}"), 10])
            return output
        }
    }
}
