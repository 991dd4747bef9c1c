/// One CSV cell, typed by where its value comes from, which decides whether it is neutralised.
///
/// Spreadsheets run a cell that starts like a formula (OWASP "CSV injection"): text from input is neutralised,
/// the values the exporter formats itself are written as they are, so the Touchpoints upload keeps exactly the
/// values Touchpoints accepts.
package enum CSVCell: Sendable {
    /// Text that came from input (event ids, agency and service names, comments): neutralised when a
    /// spreadsheet would read it as a formula (``CSVRecord/neutralised(_:)``).
    case text(String)
    /// An integer in decimal. Written as it is: its digits (and a leading `-` for a negative number, which a
    /// spreadsheet reads as that number) can hold no formula, and Touchpoints expects the bare number.
    case integer(Int)
    /// A fixed word of the format (`null`, `true`, `false`), written as it is.
    case word(StaticString)
    /// An empty cell (a missing answer or comment).
    case empty

    /// The cell's text before RFC 4180 quoting, neutralised when it is ``text(_:)``.
    var written: String {
        switch self {
        case .text(let value): CSVRecord.neutralised(value)
        case .integer(let value): String(value)
        case .word(let value): value.description
        case .empty: ""
        }
    }
}

/// Encodes CSV records as RFC 4180 prescribes: fields separated by commas, records ended by CRLF, and a
/// field that holds a comma, a double quote, a CR or an LF enclosed in double quotes with each double
/// quote doubled.
///
/// Text cells are also made spreadsheet-safe as OWASP's CSV injection rule asks: a cell a spreadsheet would
/// read as a formula gets a leading `'` and is quoted, and a text cell holding `;` or a tab (the separators
/// other locales and text-import dialogs split on) is quoted too, so no part of it can become a cell of its
/// own that starts a formula.
package enum CSVRecord {
    /// One record, CRLF included, appended to `output`.
    package static func append(_ cells: [CSVCell], to output: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            append(cell, to: &output)
        }
        output.append(contentsOf: [13, 10])
    }

    /// One cell, without a separator, appended to `output`.
    @inline(__always)
    static func append(_ cell: CSVCell, to output: inout [UInt8]) {
        switch cell {
        case .text(let value): append(text: value, to: &output)
        // Digits and `-`, or a fixed word: nothing a quote is needed for.
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .word(let value): value.withUTF8Buffer { output.append(contentsOf: $0) }
        case .empty: break
        }
    }

    /// A text cell: neutralised (``neutralised(_:)``), and quoted when it holds a comma, a double quote, CR,
    /// LF, `;` or a tab, or was neutralised. Text whose first byte is an ASCII letter or digit cannot start
    /// a formula, so it is scanned in place without making a neutralised copy.
    static func append(text: String, to output: inout [UInt8]) {
        var value = text
        let first = value.utf8.first ?? 0
        let plainStart =
            (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) || (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z"))
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        var neutralisedNow = false
        if !plainStart, !value.isEmpty {
            let written = neutralised(value)
            neutralisedNow = written.utf8.count != value.utf8.count
            value = written
        }
        value.withUTF8 { bytes in
            var needsQuotes = neutralisedNow
            if !needsQuotes {
                for byte in bytes
                where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 13 || byte == 10
                    || byte == UInt8(ascii: ";") || byte == 9
                {
                    needsQuotes = true
                    break
                }
            }
            guard needsQuotes else {
                output.append(contentsOf: bytes)
                return
            }
            output.append(UInt8(ascii: "\""))
            var start = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\"") {
                // Up to and including the quote, then the quote again.
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...index]))
                output.append(UInt8(ascii: "\""))
                start = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            output.append(UInt8(ascii: "\""))
        }
    }

    /// One record of text cells (a header), CRLF included.
    package static func append(header: [String], to output: inout [UInt8]) {
        append(header.map(CSVCell.text), to: &output)
    }

    /// One record as a string, CRLF included.
    static func line(_ cells: [CSVCell]) -> String {
        var bytes: [UInt8] = []
        append(cells, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text`, with a leading `'` when a spreadsheet would read it as a formula (OWASP): when it starts with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return, or when one of `=`, `+`, `-`, `@` (or their full-width
    /// forms, which some spreadsheets accept too) comes first after leading white space and quotes, which
    /// some spreadsheets skip. Other text is returned unchanged.
    static func neutralised(_ text: String) -> String {
        var scalars = text.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return text }
        if first == "\t" || first == "\r" || isFormulaStart(first) { return "'" + text }
        var next: Unicode.Scalar? = first
        while let scalar = next, scalar.properties.isWhitespace || isQuote(scalar) { next = scalars.next() }
        if let scalar = next, isFormulaStart(scalar) { return "'" + text }
        return text
    }

    private static func isFormulaStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "=", "+", "-", "@", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}", "\u{2212}": true
        default: false
        }
    }

    private static func isQuote(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}": true
        default: false
        }
    }
}
