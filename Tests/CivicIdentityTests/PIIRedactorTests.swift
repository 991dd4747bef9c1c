import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import CivicIdentity

@Suite("PII redaction", .hangGuard)
struct PIIRedactorTests {
    struct Positive: Sendable, CustomTestStringConvertible {
        var input: String
        var expected: String
        var kinds: [PIIKind]
        var testDescription: String { self.input }
    }

    static let positives: [Positive] = [
        // E-mail
        Positive(
            input: "Email me at jane.doe+cx@example.gov please",
            expected: "Email me at [EMAIL] please",
            kinds: [.email]
        ),
        Positive(input: "JOHN_SMITH@Mail.Example.CO.UK.", expected: "[EMAIL].", kinds: [.email]),
        Positive(input: "(reach: a.b-c@sub-domain.example.org)", expected: "(reach: [EMAIL])", kinds: [.email]),
        Positive(input: "x@y.io,z@w.us", expected: "[EMAIL],[EMAIL]", kinds: [.email, .email]),
        // Phone
        Positive(input: "call (202) 555-0143 today", expected: "call [PHONE] today", kinds: [.phone]),
        Positive(input: "202-555-0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "202.555.0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "202 555 0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "202 555-0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "(202)555-0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "+1 202 555 0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "+1-202-555-0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "+1 (202) 555-0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "1-202-555-0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "1 (202) 555.0143", expected: "[PHONE]", kinds: [.phone]),
        Positive(input: "text +12025550143.", expected: "text [PHONE].", kinds: [.phone]),
        Positive(input: "my cell is 2025550143", expected: "my cell is [PHONE]", kinds: [.phone]),
        Positive(input: "Phone: 12025550143", expected: "Phone: [PHONE]", kinds: [.phone]),
        Positive(input: "📞202-555-0143📞", expected: "📞[PHONE]📞", kinds: [.phone]),
        // SSN
        Positive(input: "SSN 123-45-6789", expected: "SSN [SSN]", kinds: [.ssn]),
        Positive(input: "ssn:123 45 6789!", expected: "ssn:[SSN]!", kinds: [.ssn]),
        Positive(
            input: "my social security number is 123456789",
            expected: "my social security number is [SSN]",
            kinds: [.ssn]
        ),
        Positive(input: "SS# 078051120", expected: "SS# [SSN]", kinds: [.ssn]),
        Positive(input: "it is 899-99-9999.", expected: "it is [SSN].", kinds: [.ssn]),
        // Card
        Positive(input: "card 4111 1111 1111 1111 expired", expected: "card [CARD] expired", kinds: [.card]),
        Positive(input: "4111-1111-1111-1111", expected: "[CARD]", kinds: [.card]),
        Positive(input: "paid with 4012888888881881.", expected: "paid with [CARD].", kinds: [.card]),
        Positive(input: "amex 3782 822463 10005", expected: "amex [CARD]", kinds: [.card]),
        Positive(input: "5555555555554444", expected: "[CARD]", kinds: [.card]),
        Positive(input: "6011 1111 1111 1117 on 2024", expected: "[CARD] on 2024", kinds: [.card]),
        Positive(input: "4111 1111 1111 1111 2029", expected: "[CARD] 2029", kinds: [.card]),
        Positive(input: "4222222222222", expected: "[CARD]", kinds: [.card]),
        Positive(input: "(4111 1111 1111 1111)", expected: "([CARD])", kinds: [.card]),
        Positive(
            input: "ssn (123-45-6789) and +(202) 555-0143",
            expected: "ssn ([SSN]) and +[PHONE]",
            kinds: [.ssn, .phone]
        ),
        Positive(input: "+4111111111111111", expected: "+[CARD]", kinds: [.card]),
        // Address
        Positive(
            input: "I live at 1600 Pennsylvania Ave NW, Washington DC",
            expected: "I live at [ADDRESS], Washington DC",
            kinds: [.address]
        ),
        Positive(
            input: "mail it to 42 Elm Street Apt 4B please",
            expected: "mail it to [ADDRESS] please",
            kinds: [.address]
        ),
        Positive(input: "123 main st", expected: "[ADDRESS]", kinds: [.address]),
        Positive(input: "350 5th Ave, New York", expected: "[ADDRESS], New York", kinds: [.address]),
        Positive(input: "221B Baker Street", expected: "[ADDRESS]", kinds: [.address]),
        Positive(input: "office at 10 N Main St. Suite 200.", expected: "office at [ADDRESS].", kinds: [.address]),
        Positive(input: "500 Oak Grove Rd #12", expected: "[ADDRESS]", kinds: [.address]),
        Positive(input: "7 Martin Luther King Jr Blvd", expected: "[ADDRESS]", kinds: [.address]),
        Positive(input: "4500 OLD MILL LANE", expected: "[ADDRESS]", kinds: [.address]),
        Positive(input: "12 Saint-Denis Dr", expected: "[ADDRESS]", kinds: [.address]),
        // Dates of birth: a date after a birth cue.
        Positive(input: "My date of birth is 03/14/1962.", expected: "My date of birth is [DOB].", kinds: [.dateOfBirth]),
        Positive(input: "DOB: 1962-03-14", expected: "DOB: [DOB]", kinds: [.dateOfBirth]),
        Positive(input: "I was born on March 14, 1962 in Ohio", expected: "I was born on [DOB] in Ohio", kinds: [.dateOfBirth]),
        Positive(input: "born 14 March 1962", expected: "born [DOB]", kinds: [.dateOfBirth]),
        Positive(input: "birthday 3-14-62", expected: "birthday [DOB]", kinds: [.dateOfBirth]),
        // ITIN (9XX with an ITIN group) and EIN (after a cue).
        Positive(input: "ITIN 912-78-1234 rejected", expected: "ITIN [ITIN] rejected", kinds: [.itin]),
        Positive(input: "my number 987-50-0001", expected: "my number [ITIN]", kinds: [.itin]),
        Positive(input: "itin: 912781234", expected: "itin: [ITIN]", kinds: [.itin]),
        Positive(input: "Our EIN is 12-3456789.", expected: "Our EIN is [EIN].", kinds: [.ein]),
        Positive(input: "employer identification number 123456789", expected: "employer identification number [EIN]", kinds: [.ein]),
        // A-numbers, Medicare (MBI) and VA claim numbers.
        Positive(input: "A-number A123456789 on file", expected: "A-number [A_NUMBER] on file", kinds: [.aNumber]),
        Positive(input: "it is A-12345678.", expected: "it is [A_NUMBER].", kinds: [.aNumber]),
        Positive(input: "alien registration 123456789", expected: "alien registration [A_NUMBER]", kinds: [.aNumber]),
        Positive(input: "Medicare 1EG4-TE5-MK73 inactive", expected: "Medicare [MBI] inactive", kinds: [.mbi]),
        Positive(input: "card says 1EG4TE5MK73", expected: "card says [MBI]", kinds: [.mbi]),
        Positive(input: "VA claim number 12345678 lost", expected: "VA claim number [VA_CLAIM] lost", kinds: [.vaClaim]),
        Positive(input: "VA file C-123456789", expected: "VA file [VA_CLAIM]", kinds: [.vaClaim]),
        // IP addresses.
        Positive(input: "blocked 192.168.10.254 today", expected: "blocked [IP] today", kinds: [.ipAddress]),
        Positive(input: "from 2001:db8:85a3:0:0:8a2e:370:7334.", expected: "from [IP].", kinds: [.ipAddress]),
        Positive(input: "via fe80::1ff:fe23:4567:890a", expected: "via [IP]", kinds: [.ipAddress]),
        // Names after cues.
        Positive(input: "My name is Jane Q. Public and", expected: "My name is [NAME] and", kinds: [.name]),
        Positive(input: "Ms. O'Neil helped", expected: "Ms. [NAME] helped", kinds: [.name]),
        Positive(input: "an agent named Carlos Ruiz-Diaz was kind", expected: "an agent named [NAME] was kind", kinds: [.name]),
        Positive(input: "Sincerely,\nMaria Lopez", expected: "Sincerely,\n[NAME]", kinds: [.name]),
        Positive(input: "I'm Wei Chen from Ohio", expected: "I'm [NAME] from Ohio", kinds: [.name]),
        // Mixed
        Positive(
            input: "Contact jane@example.com or 202-555-0143; SSN 123-45-6789; card 4111111111111111; home 9 Oak Lane.",
            expected: "Contact [EMAIL] or [PHONE]; SSN [SSN]; card [CARD]; home [ADDRESS].",
            kinds: [.email, .phone, .ssn, .card, .address]
        ),
    ]

    @Test("Positive cases are replaced by typed placeholders and counted", arguments: positives)
    func positive(_ example: Positive) {
        let result = PIIRedactor().redact(example.input)
        #expect(result.text == example.expected)
        var expected = RedactionCounts()
        for kind in example.kinds { expected[kind] += 1 }
        #expect(result.counts == expected)
        #expect(result.didRedact)
    }

    static let negatives: [String] = [
        "Filed on 12/25/2023 and again 2024-01-15.",
        "Appointment 12-25-2023 at 10:30",
        "Order #123456789 arrived late",
        "order 4111111111111112 (not Luhn-valid)",
        "Order 1234567890123456",
        "ZIP 20500 and ZIP+4 20500-0003",
        "It cost $1,234.56 and 2024 was a long year",
        "Case 2023-123456 and case number 123-456-789",
        "Ticket IRS-2023-0001234 was closed",
        "invalid SSNs 000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000",
        "ssn 000123456 is not valid",
        "not phones: 123-456-7890 202-155-0143 555-0143",
        "I waited 45 minutes on the phone",
        "Reference A-123-45-6789 and REF123-45-6789",
        "version 1.2.3 and v2.0 and 3.14159",
        "I called 5 times about the Main St office",
        "Saw 3 doctors including Dr Smith",
        "Form 1040 and Schedule C",
        "Rated 10 out of 10, 100% happy",
        "Tracking 9400 1000 0000 0000 0000 00",
        "UK number +44 20 7946 0958",
        "2023-12-25 10:30:00",
        "Call 911 if needed",
        "route 66 and I-95",
        "room 101, floor 3",
        "The 2nd and 3rd visits",
        "bare 2025550143 without a phone word is an order id",
        "a 16 digit number 1234 5678 9012 3456 that fails",
        "@@@ @ a@ @b .@. foo@bar",
        // Dates that are not birth dates, years, and shapes shared with case, receipt and form numbers.
        "Appointment on 03/14/2025 was cancelled",
        "I was born in 1962 and filed in 2024",
        "Case 12-3456789 is open",
        "Receipt IOE0912345678 and form I-485",
        "Claim number 2024-00123 and claim 12345",
        "A-11 Section 280 and A 12 page form",
        "version 1.2.3.4.5 and 10.0.19041.1",
        "times 10:30 and 12:30:45, ratio 3:2",
        "Medicare Part B and 1EG4TE5MK7 (ten characters)",
        "my name is on the form",
        "I am Very upset and I am not sure",
        "The agent was kind; the Representative said no",
        "Mr. and Mrs. were printed on the form",
        "I am Hispanic and I'm Deaf; I am Retired",
        "",
    ]

    @Test("Negative cases are left alone", arguments: negatives)
    func negative(_ input: String) {
        let result = PIIRedactor().redact(input)
        #expect(result.text == input)
        #expect(result.counts.total == 0)
    }

    @Test("Only the configured kinds are redacted")
    func configuredKinds() {
        let text = "jane@example.com 202-555-0143 123-45-6789"
        let emailOnly = PIIRedactor(configuration: .init(kinds: [.email])).redact(text)
        #expect(emailOnly.text == "[EMAIL] 202-555-0143 123-45-6789")
        let numbersOnly = PIIRedactor(configuration: .init(kinds: [.ssn, .phone])).redact(text)
        #expect(numbersOnly.text == "jane@example.com [PHONE] [SSN]")
        #expect(PIIRedactor(configuration: .init(kinds: [])).redact(text).text == text)
    }

    @Test("Non-ASCII text around matches is preserved byte for byte")
    func unicodePreserved() {
        let input = "Café ☕️ — e\u{301}cole 👩🏽‍💻 jane@example.com 日本語 202-555-0143 ok"
        let result = PIIRedactor().redact(input)
        #expect(result.text == "Café ☕️ — e\u{301}cole 👩🏽‍💻 [EMAIL] 日本語 [PHONE] ok")
    }

    @Test("Never crashes: random mixtures of digits, separators, letters, emoji and combining marks")
    func randomInputs() {
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet: [String] = [
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "-", ".", " ", "(", ")", "+", "@", "#", ",", "/",
            "a", "e", "x", "S", "t", "St", "Ave", "Apt", "ssn", "call", ".com", "😀", "\u{301}", "é", "\u{0}",
            "\n", "日", "👩🏽‍💻", "_", "Main", " N ", "[", "]",
        ]
        let redactor = PIIRedactor()
        for _ in 0..<3000 {
            let length = Int(generator.next() % 60)
            var text = ""
            for _ in 0..<length {
                text += alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            let result = redactor.redact(text)
            #expect(result.text.utf8.count <= text.utf8.count + 9 * result.counts.total)
            // Placeholders never create new matches.
            #expect(redactor.redact(result.text).counts.total == 0, "\(text)")
        }
    }

    @Test("Never crashes: arbitrary bytes (repaired to UTF-8)")
    func randomBytes() {
        var generator = SeededGenerator(seed: 42)
        let redactor = PIIRedactor()
        for _ in 0..<1000 {
            let bytes = (0..<Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = redactor.redact(text)
        }
    }

    @Test("Huge inputs are handled in linear time")
    func hugeInput() {
        let redactor = PIIRedactor()
        let unit = "Thanks! Call 202-555-0143 or write jane@example.com. 😀 e\u{301} "
        let big = String(repeating: unit, count: 20_000)  // ~1.3 MB
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let result = redactor.redact(big)
            #expect(result.counts.phone == 20_000)
            #expect(result.counts.email == 20_000)
        }
        #expect(elapsed < .seconds(20))
        let digits = String(repeating: "9", count: 1_000_000)
        #expect(redactor.redact(digits).text == digits)
        let ats = String(repeating: "a@", count: 200_000)
        #expect(redactor.redact(ats).counts.total == 0)
        let words = String(repeating: "1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ", count: 30_000)
        #expect(redactor.redact(words).counts.total == 0)
    }

    @Test("Luhn: a valid number becomes invalid when one digit changes")
    func luhn() {
        let redactor = PIIRedactor()
        #expect(redactor.redact("4111 1111 1111 1111").counts.card == 1)
        #expect(redactor.redact("4111 1111 1111 1112").counts.card == 0)
        #expect(redactor.redact("3782 822463 10005").counts.card == 1)
        #expect(redactor.redact("3782 822463 10006").counts.card == 0)
    }
}
