import CivicModels
import Foundation

/// The instant the services' tests treat as "now", so fixtures built in different test targets agree.
package enum FixtureTime {
    /// 2026-11-20T12:00:00Z, inside fiscal year 2027's first quarter.
    package static let now = Timestamp.parse("2026-11-20T12:00:00Z") ?? Date()
}
