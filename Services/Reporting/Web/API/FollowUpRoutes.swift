import CivicRuntime
import Hummingbird
import ReportingCore

/// `GET /v1/followups?agency&fiscalYear&quarter` (analyst role in `agency`): follow-ups opened, acknowledged,
/// resolved, resolved within the agency's target, and the median time to resolution, per service
/// (``ReportingStore/FollowUpFigures``). These are the agency's own case counts, not published figures.
package struct FollowUpRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let store: ReportingStore

    package init(store: ReportingStore) {
        self.store = store
    }

    /// The body of `GET /v1/followups`.
    struct FollowUpsBody: Codable, Sendable, Equatable {
        var agency: String
        var services: [ReportingStore.FollowUpFigures]
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("v1/followups") { request, context -> Response in
            let parameters = try QueryParameters(request, options: .init(accepted: ["agency", "fiscalYear", "quarter"]))
            let agency = try parameters.requiredText("agency")
            let quarter = try parameters.requiredQuarter()
            try context.requirePrincipal().require(.analyst, in: agency)
            let figures = try await store.followUpFigures(agency: agency, fiscalYear: quarter.fiscalYear, quarter: quarter.quarter)
            return try Response.json(FollowUpsBody(agency: agency, services: figures))
        }
    }
}
