/// What a principal may do in an agency. Each role includes the ones before it.
package enum AccessRole: String, Codable, Sendable, CaseIterable, Comparable {
    /// Figures (`/v1/reports`, journey and relationship levels), collection volumes and the dashboard.
    case viewer
    /// Also the respondent-level exports (the Touchpoints rows, comments included).
    case analyst
    /// Also the agency's access: reporting tokens, users' roles, and its audit trail.
    case admin

    package static func < (lhs: AccessRole, rhs: AccessRole) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
