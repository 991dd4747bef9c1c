import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import ReportingCore

/// The HISP's quarterly cycle of collections, each needing a role in `agency` (403 otherwise):
///
/// - `GET /v1/collections?agency&fiscalYear[&quarter]` (analyst): every collection with its volumes, response
///   rate, state, reflection, rating, deadline and history (``CollectionStore/Status``).
/// - `POST /v1/collections/transitions?agency=X` with `{"service", "channel", "fiscalYear", "quarter",
///   "action", "reflection"?, "rating"?}`: `edit` and `submit` need the analyst role, `publish`,
///   `request_change`, `mark_not_reported` and `reopen` the admin role; an action the state does not allow is
///   answered 409, a collection the agency does not have 404. Each change is kept with who and when, and in
///   the audit trail, in one transaction.
/// - `GET /v1/collections/deadlines?agency[&asOf=YYYY-MM-DD]` (analyst): the collections of ended quarters
///   still in draft or returned, due (within 30 days of the quarter's end) or overdue.
package struct CollectionRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let store: CollectionStore
    let minimumCellSize: Int

    package init(store: CollectionStore, minimumCellSize: Int) {
        self.store = store
        self.minimumCellSize = minimumCellSize
    }

    /// The body of `GET /v1/collections`.
    struct CollectionsStatusBody: Codable, Sendable, Equatable {
        var agency: String
        var minimumCellSize: Int
        var collections: [CollectionStore.Status]
    }

    /// The body of a transition.
    struct TransitionRequest: Codable, Sendable, Equatable {
        var service: String
        var channel: String
        var fiscalYear: Int
        var quarter: Int
        var action: CollectionAction
        /// The agency's reflection on the quarter (at most 5,000 characters; line breaks allowed).
        var reflection: String?
        var rating: CollectionRating?
    }

    /// The answer to a transition.
    struct TransitionBody: Codable, Sendable, Equatable {
        var state: CollectionState
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("v1/collections") { request, context -> Response in
            let parameters = try QueryParameters(request, options: .init(accepted: ["agency", "fiscalYear", "quarter"]))
            let agency = try parameters.requiredText("agency")
            let fiscalYear = try parameters.requiredInteger("fiscalYear", in: QueryParameters.fiscalYears)
            let quarter = try parameters.quarter()
            try context.requirePrincipal().require(.analyst, in: agency)
            let collections = try await store.list(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
            return try Response.json(CollectionsStatusBody(agency: agency, minimumCellSize: minimumCellSize, collections: collections))
        }
        router.post("v1/collections/transitions") { request, context -> Response in
            let principal = try context.requirePrincipal()
            let parameters = try QueryParameters(request, options: .init(accepted: ["agency"]))
            let agency = try parameters.requiredText("agency")
            try principal.require(.analyst, in: agency)
            let body = try await request.decodeJSON(TransitionRequest.self, limit: 32 * 1024)
            try Self.validate(body)
            try principal.require(CollectionLifecycle.role(for: body.action), in: agency)
            let requestId = HTTPRequestID.make()
            let key = CollectionStore.Key(service: body.service, channel: body.channel, fiscalYear: body.fiscalYear, quarter: body.quarter)
            let change = CollectionStore.Change(action: body.action, reflection: body.reflection, rating: body.rating)
            switch try await store.apply(change, to: key, agency: agency, actor: principal.actor, requestId: requestId) {
            case .success(let state):
                return try Response.json(TransitionBody(state: state)).with(requestId: requestId)
            case .failure(.unknownCollection):
                throw APIError.notFound("agency \(agency) has no collection \(body.service)/\(body.channel) in FY\(body.fiscalYear) Q\(body.quarter)")
                    .with(requestId: requestId)
            case .failure(.illegal(let refusal)):
                throw APIError(.conflict, code: .illegalTransition, reason: "\(refusal)").with(requestId: requestId)
            }
        }
        router.get("v1/collections/deadlines") { request, context -> Response in
            let parameters = try QueryParameters(request, options: .init(accepted: ["agency", "asOf"]))
            let agency = try parameters.requiredText("agency")
            let asOf = try parameters.text("asOf").map(Self.day) ?? Date()
            try context.requirePrincipal().require(.analyst, in: agency)
            return try Response.json(try await store.deadlines(agency: agency, asOf: asOf))
        }
    }

    /// `YYYY-MM-DD` as the start of that day (UTC).
    static func day(_ text: String) throws(APIError) -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (2000...2100).contains(year), (1...12).contains(month), (1...31).contains(day),
            let date = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: .gmt, year: year, month: month, day: day).date,
            Calendar(identifier: .gregorian).dateComponents(in: .gmt, from: date).day == day
        else {
            throw APIError(.badRequest, code: .invalidParameter, reason: "asOf: a date YYYY-MM-DD is expected", field: "asOf")
        }
        return date
    }

    /// Names are plain text of bounded length, the period a fiscal year and quarter, the reflection bounded text.
    static func validate(_ body: TransitionRequest) throws(APIError) {
        for (field, value) in [("service", body.service), ("channel", body.channel)] {
            guard !value.isEmpty, value.utf8.count <= 100, !value.containsControlCharacters else {
                throw APIError(.badRequest, code: .invalidBody, reason: "\(field): 1 to 100 bytes without control characters", field: field)
            }
        }
        guard QueryParameters.fiscalYears.contains(body.fiscalYear) else {
            throw APIError(.badRequest, code: .invalidBody, reason: "fiscalYear: out of range", field: "fiscalYear")
        }
        guard (1...4).contains(body.quarter) else {
            throw APIError(.badRequest, code: .invalidBody, reason: "quarter: 1 to 4", field: "quarter")
        }
        if let reflection = body.reflection {
            let allowed: Set<Unicode.Scalar> = ["\n", "\t"]
            guard reflection.count <= 5_000,
                !reflection.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) })
            else {
                throw APIError(
                    .badRequest,
                    code: .invalidBody,
                    reason: "reflection: at most 5000 characters, no control characters but line breaks and tabs",
                    field: "reflection"
                )
            }
        }
    }
}

extension APIError.Code {
    /// An action the collection's state does not allow.
    static let illegalTransition: APIError.Code = "illegal_transition"
}
