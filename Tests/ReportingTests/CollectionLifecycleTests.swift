import CivicModels
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import ReportingCore
@testable import ReportingWeb

/// The HISP's quarterly cycle: the collection lifecycle as a value type (every state × every action), and
/// through the real service: transitions with their roles, history and audit, refusals, and the deadline view
/// on a fixed day.
@Suite(.startsProcesses, .hangGuard) struct CollectionLifecycleTests {
    @Test func everyStateAllowsExactlyItsActions() {
        let legal: [CollectionState: [CollectionAction: CollectionState]] = [
            .draft: [.edit: .draft, .submit: .submitted, .markNotReported: .notReported],
            .changeRequested: [.edit: .changeRequested, .submit: .submitted, .markNotReported: .notReported],
            .submitted: [.publish: .published, .requestChange: .changeRequested],
            .notReported: [.reopen: .draft],
            .published: [:],
        ]
        for state in CollectionState.allCases {
            for action in CollectionAction.allCases {
                let outcome = Result { () throws(CollectionLifecycle.IllegalTransition) in try CollectionLifecycle.next(from: state, by: action) }
                switch (outcome, legal[state]?[action]) {
                case (.success(let next), let expected?): #expect(next == expected, "\(state) \(action)")
                case (.failure(let refusal), nil): #expect(refusal == .init(state: state, action: action))
                case (.success(let next), nil): Issue.record("\(state) allowed \(action) to \(next)")
                case (.failure, let expected?): Issue.record("\(state) refused \(action), expected \(expected)")
                }
            }
        }
    }

    @Test func aCollectionGoesFromDraftToPublishedWithItsHistoryAndRefusals() async throws {
        let fixture = try await ReportingFixture.shared()
        let admin = try await TestHTTP.mintReportingToken(base: fixture.base, adminToken: fixture.adminToken, agency: "DOL", role: "admin")
        func transition(_ action: String, as token: String, service: String = "claims", extra: [String: Any] = [:]) async throws -> TestHTTP.Answer {
            var body: [String: Any] = ["service": service, "channel": "web", "fiscalYear": 2027, "quarter": 2, "action": action]
            body.merge(extra) { _, new in new }
            return try await TestHTTP.send(
                "POST",
                "\(fixture.base)/v1/collections/transitions?agency=DOL",
                bearer: token,
                json: try JSONSerialization.data(withJSONObject: body)
            )
        }
        let edited = try await transition(
            "edit",
            as: fixture.analystToken,
            extra: ["reflection": "Wait times fell.\nPhones next.", "rating": "PARTIAL"]
        )
        #expect(edited.status == 200 && edited.text.contains("\"draft\""), "\(edited.text)")
        #expect(try await transition("submit", as: fixture.analystToken).status == 200)
        // The analyst prepares and submits; publishing is the agency admin's.
        #expect(try await transition("publish", as: fixture.analystToken).status == 403)
        #expect(try await transition("publish", as: admin).status == 200)
        let late = try await transition("request_change", as: admin)
        #expect(late.status == 409 && late.text.contains("illegal_transition"), "\(late.text)")
        #expect(try await transition("submit", as: admin, service: "no-such-service").status == 404)
        let hostile = try await transition("edit", as: fixture.analystToken, service: "tiny", extra: ["reflection": "bell\u{7}"])
        #expect(hostile.status == 400 && hostile.text.contains("reflection"))

        let (status, data) = try await fixture.get("/v1/collections?agency=DOL&fiscalYear=2027&quarter=2")
        #expect(status == 200)
        let body = try CivicJSON.makeDecoder().decode(CollectionRoutes.CollectionsStatusBody.self, from: data)
        let claims = try #require(body.collections.first { $0.service == "claims" && $0.channel == "web" })
        #expect(claims.state == .published)
        #expect(claims.reflection == "Wait times fell.\nPhones next." && claims.rating == .partiallyMet)
        #expect(claims.history.map(\.action) == [.edit, .submit, .publish])
        #expect(claims.history.map(\.to) == [.draft, .submitted, .published])
        #expect(claims.history.last?.actor.hasPrefix("token:") == true)
        #expect(claims.customers == 40 && claims.offered == 30)
        #expect(claims.responseRate?.n == 30 && claims.responseRate?.favourable == claims.respondents)
        // Every collection is listed, small ones too, in draft until someone acts.
        #expect(body.collections.contains { $0.service == "tiny" && $0.belowMinimumCellSize && $0.state == .draft })
    }

    @Test func theDeadlineViewOnAFixedDay() async throws {
        let fixture = try await ReportingFixture.shared()
        func deadlines(_ day: String) async throws -> CollectionStore.Deadlines {
            let (status, data) = try await fixture.get("/v1/collections/deadlines?agency=DOL&asOf=\(day)")
            #expect(status == 200, "\(String(decoding: data, as: UTF8.self))")
            return try CivicJSON.makeDecoder().decode(CollectionStore.Deadlines.self, from: data)
        }
        // FY2027 Q2 ends on 1 April 2027; its collections are due until 1 May.
        let during = try await deadlines("2027-03-15")
        #expect(!(during.due + during.overdue).contains { $0.fiscalYear == 2027 && $0.quarter == 2 })
        let due = try await deadlines("2027-04-15")
        let tiny = try #require(due.due.first { $0.service == "tiny" && $0.channel == "mail" && $0.quarter == 2 })
        #expect(ISO8601DateFormatter().string(from: tiny.deadline) == "2027-05-01T00:00:00Z")
        #expect(!due.overdue.contains { $0.quarter == 2 && $0.fiscalYear == 2027 })
        let overdue = try await deadlines("2027-05-02")
        #expect(overdue.overdue.contains { $0.service == "tiny" && $0.channel == "mail" && $0.quarter == 2 })
        let (bad, _) = try await fixture.get("/v1/collections/deadlines?agency=DOL&asOf=2027-02-30")
        #expect(bad == 400)
    }
}
