import CivicPostgres
import Foundation

/// The collections of the HISP's quarterly cycle: each collection's volumes (from the stored events), its
/// state, reflection and rating (`reporting.collection_states`), its history, and its deadline (30 days after
/// its quarter ends, as A-11 Section 280 sets).
package struct CollectionStore: Sendable {
    let client: PostgresClient
    let exports: ExportQuery
    let fiscalYearStartMonth: Int

    package init(client: PostgresClient, exports: ExportQuery, fiscalYearStartMonth: Int) {
        self.client = client
        self.exports = exports
        self.fiscalYearStartMonth = fiscalYearStartMonth
    }

    /// Days after a quarter's end within which its collections are due.
    static let deadlineDays = 30

    /// One collection's coordinates.
    package struct Key: Codable, Sendable, Hashable {
        var service: String
        var channel: String
        var fiscalYear: Int
        var quarter: Int

        package init(service: String, channel: String, fiscalYear: Int, quarter: Int) {
            self.service = service
            self.channel = channel
            self.fiscalYear = fiscalYear
            self.quarter = quarter
        }
    }

    /// One change in a collection's history.
    struct Transition: Codable, Sendable, Equatable {
        var action: CollectionAction
        var from: CollectionState
        var to: CollectionState
        var actor: String
        var at: Date
    }

    /// One collection in the cycle (the body of `GET /v1/collections` lists them).
    package struct Status: Codable, Sendable, Equatable {
        var agency: String
        package var service: String
        package var channel: String
        var fiscalYear: Int
        var quarter: Int
        package var state: CollectionState
        var reflection: String?
        var rating: CollectionRating?
        /// Customers (operational transactions).
        package var customers: Int
        /// Customers offered the survey.
        package var offered: Int
        /// Respondents (responses counted, spam excluded).
        package var respondents: Int
        /// Respondents who answered after their instrument's PRA clearance expired.
        var praExpired: Int
        /// The collection's transaction points (Touchpoints collection details) with their volumes.
        var transactionPoints: [TransactionPoint]
        /// Respondents among the customers offered the survey, with its Wilson interval; `nil` when none were
        /// offered it or more responded than were offered (the agency's volumes do not add up).
        package var responseRate: Proportion?
        /// Whether the collection is under the minimum cell size (its figures are not published).
        var belowMinimumCellSize: Bool
        /// The last day to submit: 30 days after the quarter ends (UTC).
        var deadline: Date
        var history: [Transition]
    }

    /// The agency's collections in a fiscal year (optionally one quarter), with their state and history.
    package func list(agency: String, fiscalYear: Int, quarter: Int?) async throws -> [Status] {
        let volumes = try await exports.collections(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
        let states = try await client.query(
            """
            SELECT service, channel, fiscal_year, fiscal_quarter, state, reflection, rating FROM reporting.collection_states
            WHERE agency = $1 AND fiscal_year = $2 AND ($3::int IS NULL OR fiscal_quarter = $3)
            """,
            [agency, fiscalYear, quarter]
        )
        var stored: [Key: (CollectionState, String?, CollectionRating?)] = [:]
        for row in states.rows {
            let state = CollectionState(rawValue: try row.require("state")) ?? .draft
            let rating = try row.decode("rating", as: String.self).flatMap(CollectionRating.init(rawValue:))
            stored[try Self.key(row)] = (state, try row.decode("reflection"), rating)
        }
        let history = try await client.query(
            """
            SELECT service, channel, fiscal_year, fiscal_quarter, action, from_state, to_state, actor, at FROM reporting.collection_history
            WHERE agency = $1 AND fiscal_year = $2 AND ($3::int IS NULL OR fiscal_quarter = $3) ORDER BY id
            """,
            [agency, fiscalYear, quarter]
        )
        var transitions: [Key: [Transition]] = [:]
        for row in history.rows {
            guard let action = CollectionAction(rawValue: try row.require("action")),
                let from = CollectionState(rawValue: try row.require("from_state")),
                let to = CollectionState(rawValue: try row.require("to_state"))
            else { continue }
            transitions[try Self.key(row), default: []].append(
                Transition(action: action, from: from, to: to, actor: try row.require("actor"), at: try row.require("at"))
            )
        }
        return volumes.map { volume in
            let key = Key(service: volume.service, channel: volume.channel, fiscalYear: volume.fiscalYear, quarter: volume.quarter)
            let (customers, offered, respondents) = (volume.customers ?? 0, volume.offered ?? 0, volume.respondents ?? 0)
            return Status(
                agency: agency,
                service: volume.service,
                channel: volume.channel,
                fiscalYear: volume.fiscalYear,
                quarter: volume.quarter,
                state: stored[key]?.0 ?? .draft,
                reflection: stored[key]?.1,
                rating: stored[key]?.2,
                customers: customers,
                offered: offered,
                respondents: respondents,
                praExpired: volume.praExpired ?? 0,
                transactionPoints: volume.transactionPoints ?? [],
                responseRate: respondents <= offered ? Proportion(favourable: respondents, n: offered) : nil,
                belowMinimumCellSize: volume.suppressed,
                deadline: deadline(of: FiscalQuarter(fiscalYear: volume.fiscalYear, quarter: volume.quarter)),
                history: transitions[key] ?? []
            )
        }
    }

    /// The last day to submit a quarter's collections: 30 days after the quarter ends.
    package func deadline(of quarter: FiscalQuarter) -> Date {
        quarter.interval(startMonth: fiscalYearStartMonth).end.addingTimeInterval(Double(Self.deadlineDays) * 86_400)
    }

    /// What a transition asks, beyond the action.
    package struct Change: Sendable {
        var action: CollectionAction
        var reflection: String?
        var rating: CollectionRating?

        package init(action: CollectionAction, reflection: String? = nil, rating: CollectionRating? = nil) {
            self.action = action
            self.reflection = reflection
            self.rating = rating
        }
    }

    /// Why a transition was refused.
    package enum Refusal: Error, Equatable {
        /// The agency has no such collection (no response and no operational event in it).
        case unknownCollection
        /// The state does not allow the action.
        case illegal(CollectionLifecycle.IllegalTransition)
    }

    /// Applies `change` to the agency's collection, with its history row and audit entry, in one transaction.
    package func apply(
        _ change: Change,
        to key: Key,
        agency: String,
        actor: String,
        requestId: String,
        at time: Date = Date()
    ) async throws -> Result<
        CollectionState, Refusal
    > {
        try await client.withTransaction { connection in
            let exists = try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM reporting.feedback WHERE agency = $1 AND service = $2 AND channel = $3
                                   AND fiscal_year = $4 AND fiscal_quarter = $5)
                    OR EXISTS (SELECT 1 FROM reporting.operations WHERE agency = $1 AND service = $2 AND channel = $3
                                   AND fiscal_year = $4 AND fiscal_quarter = $5) AS found
                """,
                [agency, key.service, key.channel, key.fiscalYear, key.quarter]
            )
            guard try exists.first?.require("found", as: Bool.self) == true else { return .failure(.unknownCollection) }
            let current = try await connection.query(
                """
                SELECT state FROM reporting.collection_states
                WHERE agency = $1 AND service = $2 AND channel = $3 AND fiscal_year = $4 AND fiscal_quarter = $5 FOR UPDATE
                """,
                [agency, key.service, key.channel, key.fiscalYear, key.quarter]
            )
            let state = try current.first.flatMap { CollectionState(rawValue: try $0.require("state")) } ?? .draft
            let next: CollectionState
            do throws(CollectionLifecycle.IllegalTransition) {
                next = try CollectionLifecycle.next(from: state, by: change.action)
            } catch {
                return .failure(.illegal(error))
            }
            try await connection.query(
                """
                INSERT INTO reporting.collection_states
                    (agency, service, channel, fiscal_year, fiscal_quarter, state, reflection, rating, updated_at, updated_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (agency, fiscal_year, fiscal_quarter, service, channel) DO UPDATE SET
                    state = EXCLUDED.state,
                    reflection = coalesce(EXCLUDED.reflection, reporting.collection_states.reflection),
                    rating = coalesce(EXCLUDED.rating, reporting.collection_states.rating),
                    updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
                """,
                [
                    agency, key.service, key.channel, key.fiscalYear, key.quarter, next.rawValue, change.reflection,
                    change.rating?.rawValue, time, actor,
                ]
            )
            try await connection.query(
                """
                INSERT INTO reporting.collection_history
                    (agency, service, channel, fiscal_year, fiscal_quarter, action, from_state, to_state, actor, at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """,
                [agency, key.service, key.channel, key.fiscalYear, key.quarter, change.action.rawValue, state.rawValue, next.rawValue, actor, time]
            )
            try await AuditTrail.record(
                AuditTrail.Entry(
                    actor: actor,
                    action: .collectionTransition,
                    agency: agency,
                    target: "\(key.service)/\(key.channel)/FY\(key.fiscalYear)Q\(key.quarter)",
                    filter: ["action": change.action.rawValue, "from": state.rawValue, "to": next.rawValue],
                    rows: nil,
                    requestId: requestId
                ),
                on: connection
            )
            return .success(next)
        }
    }

    /// The collections still to submit as of `date`: those of every quarter that has ended, still in draft or
    /// returned for changes, each due (deadline not passed) or overdue.
    package struct Deadlines: Codable, Sendable, Equatable {
        var agency: String
        var asOf: Date
        var due: [Status]
        var overdue: [Status]
    }

    /// The agency's deadline view as of `date`.
    package func deadlines(agency: String, asOf date: Date) async throws -> Deadlines {
        let years = try await client.query(
            """
            SELECT DISTINCT fiscal_year FROM (
                SELECT fiscal_year FROM reporting.feedback WHERE agency = $1
                UNION SELECT fiscal_year FROM reporting.operations WHERE agency = $1
            ) y ORDER BY fiscal_year
            """,
            [agency]
        )
        var result = Deadlines(agency: agency, asOf: date, due: [], overdue: [])
        for row in years.rows {
            for status in try await list(agency: agency, fiscalYear: try row.require("fiscal_year"), quarter: nil) {
                let quarter = FiscalQuarter(fiscalYear: status.fiscalYear, quarter: status.quarter)
                guard quarter.interval(startMonth: fiscalYearStartMonth).end <= date, [.draft, .changeRequested].contains(status.state) else {
                    continue
                }
                if date < status.deadline { result.due.append(status) } else { result.overdue.append(status) }
            }
        }
        return result
    }

    private static func key(_ row: PostgresRow) throws -> Key {
        Key(
            service: try row.require("service"),
            channel: try row.require("channel"),
            fiscalYear: try row.require("fiscal_year"),
            quarter: try row.require("fiscal_quarter")
        )
    }
}
