/// Replaces personally identifiable information in free-text comments with typed placeholders.
///
/// A single forward scan over the UTF-8 bytes (no regular expressions), linear in the input and
/// safe on any input: emoji, combining marks and other non-ASCII text pass through unchanged,
/// and replacements only ever cut between whole characters, so the output is valid UTF-8.
///
/// The scan reads the text folded to ASCII where it has an ASCII compatibility form (``FoldedText``: full-width
/// forms, other scripts' decimal digits, unusual spaces and dashes, NFKC's compatibility blocks), so
/// `２０２－５５５－０１４３` and `٢٠٢-٥٥٥-٠١٤٣` are phone numbers; the redaction removes the original characters.
///
/// What is detected (in the folded text):
/// - E-mail: `local@domain.tld` (local part `[A-Za-z0-9._%+-]`, TLD of 2 or more letters); spelled out
///   (`jane dot doe at agency dot gov`, `jane(at)agency(dot)gov`, `jane [at] agency [dot] gov`) with a known TLD,
///   the plain word `at` only with a spelled dot and a dotted local part, a mail provider or an e-mail cue before it.
/// - Phone (NANP: area code and exchange start with 2-9): `(202) 555-0143`, `202-555-0143`,
///   `202.555.0143`, `202 555 0143`, with optional `+1`/`1` prefix; `+12025550143`; a bare
///   10-digit number only after a phone word (`phone`, `call`, `cell`, `mobile`, `tel`, `fax`, `text`, `contact`).
/// - SSN: `AAA-GG-SSSS` or `AAA GG SSSS`, excluding area 000, 666 and 900-999, group 00 and
///   serial 0000; a bare 9-digit number only after `SSN`, `social security`, `soc sec` or `SS#`.
/// - Card: 13-19 digits starting 2-6, bare or in groups of 4 (last group 1-4) or 4-6-5/4-6-4,
///   separated consistently by spaces or dashes, Luhn-valid.
/// - Address: a house number (1-6 digits, optional letter), up to four street-name words
///   (consistently capitalised or lower case; no common words such as `minutes` or `the`), a
///   street suffix (`St`, `Street`, `Ave`, `Road`, `Blvd`, `Lane`, `Dr`, `Way`, `Ct`, …), then an
///   optional directional (`NW`) and unit (`Apt 4B`, `Suite 200`, `#12`).
///
/// - Date of birth: `M/D/YYYY`, `M-D-YY`, `YYYY-MM-DD`, `March 3, 1962`, `3 March 1962`, only within 60 bytes
///   after a birth cue (`born`, `birth`, `birthday`, `DOB`); other dates are left alone.
/// - ITIN: `9XX-GG-SSSS` with a group the IRS assigns to ITINs (50-65, 70-88, 90-92, 94-99); 9 bare digits
///   after `ITIN`/`tax id`. EIN: `XX-XXXXXXX` or 9 digits after `EIN`, `employer identification`, `tax id`.
/// - A-number: `A` and 8-9 digits (`A123456789`, `A-12345678`, `A# 123456789`), or 8-9 digits after
///   `A-number`, `alien registration`, `USCIS number`.
/// - Medicare Beneficiary Identifier: CMS's 11-character pattern (`1EG4-TE5-MK73`, capitals only).
/// - VA claim number: 8-9 digits (optionally `C-`/`CSS` prefixed) after `VA claim`, `claim number`, `C-file`.
/// - IP address: dotted IPv4 (each part 0-255) and IPv6 (eight groups, or `::` compressed).
/// - Name: one to three capitalised words or initials after `my name is`, `I am`, `I'm`, `named`, `Mr.`,
///   `Ms.`, `Mrs.`, `signed`, `sincerely`, `agent`, `representative`, … (not after `Dr`, a street suffix);
///   in lower case (`my name is jane doe`) or after a weak cue (`this is`, `it's`, `thanks`) only when the first
///   word is a known given name.
///
/// Numbers glued to letters or to other numbers (`A-123-45-6789`, `2024-555-0143-1`), dates,
/// ZIP codes, prices, years and order or case numbers in other shapes are left alone.
package struct PIIRedactor: Sendable {
    /// What the redactor looks for.
    package struct Configuration: Sendable, Hashable {
        /// The kinds to redact. Default: all of them.
        package var kinds: Set<PIIKind>
        /// How many bytes before a bare 9- or 10-digit number are searched for a context word
        /// (`SSN`, `phone`, …). Default: 40.
        package var contextWindowBytes: Int

        /// Creates a configuration; every parameter has the documented default.
        package init(kinds: Set<PIIKind> = Set(PIIKind.allCases), contextWindowBytes: Int = 40) {
            self.kinds = kinds
            self.contextWindowBytes = max(0, contextWindowBytes)
        }
    }

    /// The configuration in use.
    package let configuration: Configuration

    /// What the scanner looks for, worked out once.
    private let plan: PIIScanner.Plan

    /// Creates a redactor.
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.plan = PIIScanner.Plan(configuration)
    }

    /// Redacts `text`.
    package func redact(_ text: String) -> RedactionResult {
        var text = text
        // Contiguous UTF-8 storage makes the scan a plain array walk.
        let bytes: [UInt8] = text.withUTF8 { Array($0) }
        let matches = PIIScanner.matches(in: bytes, plan: self.plan)
        if matches.isEmpty {
            return RedactionResult(text: text, counts: RedactionCounts())
        }
        var counts = RedactionCounts()
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        for match in matches {
            output.append(contentsOf: bytes[cursor..<match.start])
            output.append(contentsOf: match.kind.placeholder.utf8)
            counts[match.kind] += 1
            cursor = match.end
        }
        output.append(contentsOf: bytes[cursor...])
        return RedactionResult(text: String(decoding: output, as: UTF8.self), counts: counts)
    }
}
