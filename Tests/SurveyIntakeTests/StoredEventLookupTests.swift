import CivicKafka
import CivicPostgres
import CivicTestTraits
import Foundation
import Testing

@testable import SurveyIntake

/// The HTTP front door's shared duplicate look-up against a real PostgreSQL: many concurrent requests, with
/// overlapping ids and their own arrival times, each get exactly their own ids stored before they arrived,
/// whether they share a query or not; a database that cannot answer fails every waiting request instead of
/// leaving it hanging.
@Suite(.hangGuard)
struct StoredEventLookupTests {
    typealias Fixture = IntakeFixture

    @Test func concurrentRequestsEachGetTheirOwnAnswer() async throws {
        let fixture = try await Fixture()
        let stored = (0..<40).map { "stored-\($0)" }
        _ = try await fixture.handler().handle(
            stored.enumerated().map { Fixture.message(Fixture.response($1, comment: "Clear, thanks \($0)."), offset: Int64($0)) }
        )
        let receivedAt = try #require(
            try await fixture.client.query("SELECT max(received_at) AS t, min(received_at) AS f FROM intake.responses").first.map {
                (first: try $0.require("f", as: Date.self), last: try $0.require("t", as: Date.self))
            }
        )
        let lookup = StoredEventLookup(client: fixture.client, table: .responses)
        let answers = try await withThrowingTaskGroup(of: (Int, Set<String>).self) { group in
            for request in 0..<200 {
                group.addTask {
                    // Two stored ids (shared with other requests), one new id, one id stored in the other table;
                    // every third request arrived before they were stored (its own submissions, stored while it
                    // was publishing, are not earlier ones).
                    // Every fifth asks as another agency, whose ids these are not.
                    let ids = ["stored-\(request % 40)", "stored-\((request * 7) % 40)", "new-\(request)", "op-\(request)"]
                    let arrived = request % 3 == 0 ? receivedAt.first : receivedAt.last.addingTimeInterval(0.001)
                    let agency = request % 5 == 0 ? "SSA" : "IRS"
                    return (request, try await lookup.existing(ids, agency: agency, receivedBefore: arrived))
                }
            }
            var answers: [Int: Set<String>] = [:]
            for try await (request, found) in group { answers[request] = found }
            return answers
        }
        #expect(answers.count == 200)
        for (request, found) in answers {
            let expected: Set<String> =
                request % 3 == 0 || request % 5 == 0 ? [] : ["stored-\(request % 40)", "stored-\((request * 7) % 40)"]
            #expect(found == expected, "request \(request)")
        }
        #expect(try await lookup.existing([], agency: "IRS", receivedBefore: .distantFuture) == [])
        #expect(
            try await StoredEventLookup(client: fixture.client, table: .operations).existing(
                ["stored-1"],
                agency: "IRS",
                receivedBefore: .distantFuture
            ) == []
        )
    }

    @Test func aDatabaseThatCannotAnswerFailsEveryWaitingRequest() async throws {
        let unreachable = PostgresClient(
            configuration: PostgresConfiguration(connectionString: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"),
            logger: Fixture.logger
        )
        let lookup = StoredEventLookup(client: unreachable, table: .responses)
        let failures = await withTaskGroup(of: Bool.self) { group in
            for request in 0..<20 {
                group.addTask { (try? await lookup.existing(["id-\(request)"], agency: "IRS", receivedBefore: .distantFuture)) == nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 20)
    }
}
