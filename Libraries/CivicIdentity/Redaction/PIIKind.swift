/// A kind of personally identifiable information the redactor replaces.
public enum PIIKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
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

    /// The typed placeholder written in place of a match, e.g. `[EMAIL]`.
    public var placeholder: String {
        switch self {
        case .email: "[EMAIL]"
        case .phone: "[PHONE]"
        case .ssn: "[SSN]"
        case .card: "[CARD]"
        case .address: "[ADDRESS]"
        }
    }

    public var description: String { self.rawValue }
}

/// How many matches of each kind were replaced.
public struct RedactionCounts: Sendable, Hashable, CustomStringConvertible {
    /// E-mail addresses replaced.
    public var email = 0
    /// Telephone numbers replaced.
    public var phone = 0
    /// Social Security numbers replaced.
    public var ssn = 0
    /// Payment card numbers replaced.
    public var card = 0
    /// Street addresses replaced.
    public var address = 0

    /// Creates zero counts.
    public init() {}

    /// All replacements.
    public var total: Int { self.email + self.phone + self.ssn + self.card + self.address }

    /// The count for one kind.
    public subscript(kind: PIIKind) -> Int {
        get {
            switch kind {
            case .email: self.email
            case .phone: self.phone
            case .ssn: self.ssn
            case .card: self.card
            case .address: self.address
            }
        }
        set {
            switch kind {
            case .email: self.email = newValue
            case .phone: self.phone = newValue
            case .ssn: self.ssn = newValue
            case .card: self.card = newValue
            case .address: self.address = newValue
            }
        }
    }

    public var description: String {
        "email=\(self.email) phone=\(self.phone) ssn=\(self.ssn) card=\(self.card) address=\(self.address)"
    }
}

/// A redacted text and what was taken out of it.
public struct RedactionResult: Sendable, Hashable {
    /// The text with every match replaced by its kind's placeholder.
    public let text: String
    /// Replacements per kind.
    public let counts: RedactionCounts

    /// Whether anything was replaced.
    public var didRedact: Bool { self.counts.total > 0 }

    /// Creates a result.
    public init(text: String, counts: RedactionCounts) {
        self.text = text
        self.counts = counts
    }
}
