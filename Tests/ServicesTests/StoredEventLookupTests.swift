import CivicKafka
import CivicPostgres
import Testing

@testable import SurveyIntake

/// The HTTP front door's shared duplicate look-up against a real PostgreSQL: many concurrent requests, with
/// overlapping ids, each get exactly their own stored ids, whether they share a query or not; a database
/// that cannot answer fails every waiting request instead of leaving it hanging.
@Suite(.timeLimit(.minutes(2)))
struct StoredEventLookupTests {
    typealias Fixture = IntakeFixture

    @Test func concurrentRequestsEachGetTheirOwnAnswer() async throws {
        let fixture = try await Fixture()
        let stored = (0..<40).map { "stored-\($0)" }
        _ = try await fixture.handler().handle(
            stored.enumerated().map { Fixture.message(Fixture.response($1, comment: "Clear, thanks \($0)."), offset: Int64($0)) }
        )
        let lookup = StoredEventLookup(client: fixture.client, table: .responses)
        let answers = try await withThrowingTaskGroup(of: (Int, Set<String>).self) { group in
            for request in 0..<200 {
                group.addTask {
                    // Two stored ids (shared with other requests), one new id, one id stored in the other table.
                    let ids = ["stored-\(request % 40)", "stored-\((request * 7) % 40)", "new-\(request)", "op-\(request)"]
                    return (request, try await lookup.existing(ids))
                }
            }
            var answers: [Int: Set<String>] = [:]
            for try await (request, found) in group { answers[request] = found }
            return answers
        }
        #expect(answers.count == 200)
        for (request, found) in answers {
            #expect(found == ["stored-\(request % 40)", "stored-\((request * 7) % 40)"], "request \(request)")
        }
        #expect(try await lookup.existing([]) == [])
        #expect(try await StoredEventLookup(client: fixture.client, table: .operations).existing(["stored-1"]) == [])
    }

    @Test func aDatabaseThatCannotAnswerFailsEveryWaitingRequest() async throws {
        let unreachable = PostgresClient(
            configuration: PostgresConfiguration(connectionString: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"),
            logger: Fixture.logger
        )
        let lookup = StoredEventLookup(client: unreachable, table: .responses)
        let failures = await withTaskGroup(of: Bool.self) { group in
            for request in 0..<20 {
                group.addTask { (try? await lookup.existing(["id-\(request)"])) == nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 20)
    }
}
