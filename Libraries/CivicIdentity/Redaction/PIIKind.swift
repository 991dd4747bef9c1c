/// A kind of personally identifiable information the redactor replaces.
package enum PIIKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// An e-mail address.
    case email
    /// A US (NANP) telephone number.
    case phone
    /// A US Social Security number in a valid SSA range.
    case ssn
    /// A payment card number (13-19 digits, Luhn-valid).
    case card
    /// A US street address line (number, street name, street suffix, optional unit).
    case address
    /// A date of birth: a date after a birth cue (`born`, `DOB`, `date of birth`, `birthday`).
    case dateOfBirth = "dob"
    /// An IRS Individual Taxpayer Identification Number (9XX-[50-65|70-88|90-92|94-99]-XXXX).
    case itin
    /// An IRS Employer Identification Number (XX-XXXXXXX or 9 digits) after an EIN cue.
    case ein
    /// A USCIS alien registration number (A-number): `A` and 8 or 9 digits, or the digits after a cue.
    case aNumber = "a_number"
    /// A Medicare Beneficiary Identifier (11 characters in CMS's fixed letter and digit pattern).
    case mbi
    /// A VA claim (file) number: 8 or 9 digits, optionally `C-` prefixed, after a VA claim cue.
    case vaClaim = "va_claim"
    /// An IPv4 or IPv6 address.
    case ipAddress = "ip"
    /// A person's name after a cue (`my name is`, `Mr.`, `Ms.`, `named`, `signed`).
    case name

    /// The typed placeholder written in place of a match, e.g. `[EMAIL]`.
    package var placeholder: String {
        switch self {
        case .email: "[EMAIL]"
        case .phone: "[PHONE]"
        case .ssn: "[SSN]"
        case .card: "[CARD]"
        case .address: "[ADDRESS]"
        case .dateOfBirth: "[DOB]"
        case .itin: "[ITIN]"
        case .ein: "[EIN]"
        case .aNumber: "[A_NUMBER]"
        case .mbi: "[MBI]"
        case .vaClaim: "[VA_CLAIM]"
        case .ipAddress: "[IP]"
        case .name: "[NAME]"
        }
    }

    /// How many kinds there are.
    static let count = 13

    /// The kind's position in ``allCases``.
    var index: Int {
        switch self {
        case .email: 0
        case .phone: 1
        case .ssn: 2
        case .card: 3
        case .address: 4
        case .dateOfBirth: 5
        case .itin: 6
        case .ein: 7
        case .aNumber: 8
        case .mbi: 9
        case .vaClaim: 10
        case .ipAddress: 11
        case .name: 12
        }
    }

    package var description: String { self.rawValue }
}

/// How many matches of each kind were replaced.
package struct RedactionCounts: Sendable, Hashable, CustomStringConvertible {
    /// Counts by ``PIIKind/index``; empty until something is counted, so a text without PII costs no allocation.
    private var counts: [Int] = []

    /// Creates zero counts.
    package init() {}

    /// E-mail addresses replaced.
    package var email: Int {
        get { self[.email] }
        set { self[.email] = newValue }
    }
    /// Telephone numbers replaced.
    package var phone: Int {
        get { self[.phone] }
        set { self[.phone] = newValue }
    }
    /// Social Security numbers replaced.
    package var ssn: Int {
        get { self[.ssn] }
        set { self[.ssn] = newValue }
    }
    /// Payment card numbers replaced.
    package var card: Int {
        get { self[.card] }
        set { self[.card] = newValue }
    }
    /// Street addresses replaced.
    package var address: Int {
        get { self[.address] }
        set { self[.address] = newValue }
    }

    /// All replacements.
    package var total: Int { self.counts.reduce(0, +) }

    /// The count for one kind.
    package subscript(kind: PIIKind) -> Int {
        get { self.counts.isEmpty ? 0 : self.counts[kind.index] }
        set {
            if self.counts.isEmpty { self.counts = [Int](repeating: 0, count: PIIKind.count) }
            self.counts[kind.index] = newValue
        }
    }

    package static func == (lhs: RedactionCounts, rhs: RedactionCounts) -> Bool {
        PIIKind.allCases.allSatisfy { lhs[$0] == rhs[$0] }
    }

    package func hash(into hasher: inout Hasher) {
        for kind in PIIKind.allCases { hasher.combine(self[kind]) }
    }

    package var description: String {
        PIIKind.allCases.map { "\($0.rawValue)=\(self[$0])" }.joined(separator: " ")
    }
}

/// A redacted text and what was taken out of it.
package struct RedactionResult: Sendable, Hashable {
    /// The text with every match replaced by its kind's placeholder.
    package let text: String
    /// Replacements per kind.
    package let counts: RedactionCounts

    /// Whether anything was replaced.
    package var didRedact: Bool { self.counts.total > 0 }

    /// Creates a result.
    package init(text: String, counts: RedactionCounts) {
        self.text = text
        self.counts = counts
    }
}
