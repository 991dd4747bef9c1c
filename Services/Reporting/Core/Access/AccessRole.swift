/// What a principal may do in an agency. Each role includes the ones before it.
public enum AccessRole: String, Codable, Sendable, CaseIterable, Comparable {
    /// Figures (`/v1/reports`, journey and relationship levels), collection volumes and the dashboard.
    case viewer
    /// Also the respondent-level exports (the Touchpoints rows, comments included).
    case analyst
    /// Also the agency's access: reporting tokens, users' roles, and its audit trail.
    case admin

    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// The agencies a role is held in: one agency, or every agency (the cross-agency role, needed for the
/// relationship level across agencies). Stored and written as the agency code, or `*` for every agency.
public enum AgencyScope: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One agency, by its code.
    case agency(String)
    /// Every agency.
    case allAgencies

    /// The stored form of ``allAgencies``.
    public static let allAgenciesCode = "*"

    /// Reads the stored form.
    public init(code: String) {
        self = code == Self.allAgenciesCode ? .allAgencies : .agency(code)
    }

    /// The stored form: the agency code or `*`.
    public var code: String {
        switch self {
        case .agency(let code): code
        case .allAgencies: Self.allAgenciesCode
        }
    }

    public var description: String { code }

    /// Whether the scope covers `agency`.
    public func covers(_ agency: String) -> Bool {
        switch self {
        case .agency(let code): code == agency
        case .allAgencies: true
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(code: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// A role held in an agency scope.
public struct RoleGrant: Codable, Sendable, Hashable {
    /// Where the role holds.
    public var agency: AgencyScope
    /// The role.
    public var role: AccessRole

    /// Creates a grant.
    public init(agency: AgencyScope, role: AccessRole) {
        self.agency = agency
        self.role = role
    }
}
