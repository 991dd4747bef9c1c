import CivicPostgres

/// A set of agency codes, or every agency: what a query is restricted to.
package enum AgencySet: Sendable, Hashable {
    /// Every agency.
    case all
    /// These agencies.
    case only(Set<String>)

    /// Whether `agency` is in the set.
    package func contains(_ agency: String) -> Bool {
        switch self {
        case .all: true
        case .only(let codes): codes.contains(agency)
        }
    }

    /// The set as a `text[]` parameter for `($n::text[] IS NULL OR agency = ANY($n))`; `nil` for every agency.
    package var parameter: PostgresTextArray? {
        switch self {
        case .all: nil
        case .only(let codes): PostgresTextArray(codes.sorted())
        }
    }
}
