import ReportingCore

/// The agencies a role is held in: one agency, or every agency (the cross-agency role, needed for the
/// relationship level across agencies). Stored and written as the agency code, or `*` for every agency.
enum AgencyScope: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One agency, by its code.
    case agency(String)
    /// Every agency.
    case allAgencies

    /// The stored form of ``allAgencies``.
    static let allAgenciesCode = "*"

    /// Reads the stored form.
    init(code: String) {
        self = code == Self.allAgenciesCode ? .allAgencies : .agency(code)
    }

    /// The stored form: the agency code or `*`.
    var code: String {
        switch self {
        case .agency(let code): code
        case .allAgencies: Self.allAgenciesCode
        }
    }

    var description: String { code }

    /// Whether the scope covers `agency`.
    func covers(_ agency: String) -> Bool {
        switch self {
        case .agency(let code): code == agency
        case .allAgencies: true
        }
    }

    init(from decoder: any Decoder) throws {
        self.init(code: try decoder.singleValueContainer().decode(String.self))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// A role held in an agency scope.
struct RoleGrant: Codable, Sendable, Hashable {
    /// Where the role holds.
    var agency: AgencyScope
    /// The role.
    var role: AccessRole

    /// Creates a grant.
    init(agency: AgencyScope, role: AccessRole) {
        self.agency = agency
        self.role = role
    }
}
