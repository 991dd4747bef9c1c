import CivicTestTraits
import Testing

@testable import CivicIdentity

/// Issue 29: PII however it is written — full-width forms, other scripts' digits, e-mail spelled out, names in
/// lower case — is redacted (the original characters removed), and the look-alikes analysts need are kept.
@Suite("PII redaction of unusual writing", .hangGuard)
struct RedactionWritingFormsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var expected: String
        var testDescription: String { self.input }
    }

    static let positives: [Case] = [
        // Full-width forms and other scripts' digits (the original characters are removed).
        Case(input: "call ２０２－５５５－０１４３ now", expected: "call [PHONE] now"),
        Case(input: "SSN １２３－４５－６７８９.", expected: "SSN [SSN]."),
        Case(input: "mail ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ ok", expected: "mail [EMAIL] ok"),
        Case(input: "phone ٢٠٢-٥٥٥-٠١٤٣ please", expected: "phone [PHONE] please"),
        Case(input: "phone ۲۰۲-۵۵۵-۰۱۴۳", expected: "phone [PHONE]"),
        Case(input: "SSN १२३-४५-६७८९ is mine", expected: "SSN [SSN] is mine"),
        Case(input: "card ৪১১১ ১১১১ ১১১১ ১১১১ charged", expected: "card [CARD] charged"),
        Case(input: "call 202\u{2013}555\u{2013}0143", expected: "call [PHONE]"),
        Case(input: "call 202\u{00A0}555\u{00A0}0143", expected: "call [PHONE]"),
        Case(input: "My name is Ｊａｎｅ Ｄｏｅ.", expected: "My name is [NAME]."),
        // E-mail spelled out.
        Case(input: "write to jane dot doe at agency dot gov today", expected: "write to [EMAIL] today"),
        Case(input: "jane(at)agency(dot)gov", expected: "[EMAIL]"),
        Case(input: "reach jane [at] agency [dot] gov.", expected: "reach [EMAIL]."),
        Case(input: "my email is jane at agency dot gov", expected: "my email is [EMAIL]"),
        Case(input: "JANE DOT DOE AT EXAMPLE DOT COM", expected: "[EMAIL]"),
        Case(input: "w.nguyen {at} example.net", expected: "[EMAIL]"),
        Case(input: "jane dot doe@agency.gov", expected: "[EMAIL]"),
        Case(input: "jane at gmail dot com", expected: "[EMAIL]"),
        // Once a negative (spelled-out addresses were out of scope); an address now, and not a name.
        Case(input: "user name is jane at example dot com", expected: "user name is [EMAIL]"),
        // Names in lower case after a cue, and after weak cues.
        Case(input: "my name is jane doe and i waited", expected: "my name is [NAME] and i waited"),
        Case(input: "hi this is john smith, no refund", expected: "hi this is [NAME], no refund"),
        Case(input: "i'm maria lopez from dayton", expected: "i'm [NAME] from dayton"),
        Case(input: "This is Maria again.", expected: "This is [NAME] again."),
        Case(input: "thanks, david", expected: "thanks, [NAME]"),
        Case(input: "signed linda garcia", expected: "signed [NAME]"),
    ]

    static let negatives: [String] = [
        "We met at the office at noon.",
        "Remember to dot the i's and cross the t's.",
        "I looked at the dot com site.",
        "I applied at irs.gov and at the office.",
        "The website va dot gov was down at lunch.",
        "Contact the IRS at irs dot gov for forms.",
        "email them at the address on the letter",
        "Look at page 2 and at the dotted line.",
        "this is taking forever",
        "my name is on the lease",
        "my name is spelled wrong",
        "i am very upset, this is the third time",
        "this is grace under pressure",
        "thanks to the agent",
        "In ２０２４ I waited ３ weeks.",
        "I called ٣ times in ٢٠٢٤.",
        "Case ２０２３－１２３４５６７ is open.",
        "Café ☕️ — e\u{301}cole 日本語 ok",
    ]

    @Test(arguments: positives) func isRedacted(_ item: Case) {
        #expect(PIIRedactor().redact(item.input).text == item.expected)
    }

    @Test(arguments: negatives) func isLeftAlone(_ text: String) {
        let result = PIIRedactor().redact(text)
        #expect(result.text == text)
        #expect(result.counts.total == 0)
    }

    /// Matches found in the folded text name whole original characters, so the output stays valid UTF-8 and
    /// nothing of a folded character survives.
    @Test func spansAreOriginalCharacters() {
        let input = "x ２０２－５５５－０１４３ y"
        let matches = PIIScanner.matches(in: Array(input.utf8), configuration: .init())
        #expect(matches == [PIIMatch(start: 2, end: 2 + 12 * 3, kind: .phone)])
        #expect(FoldedText(Array("plain ascii".utf8)) == nil)
        #expect(FoldedText(Array("日本語 😀".utf8)) == nil)
    }
}
