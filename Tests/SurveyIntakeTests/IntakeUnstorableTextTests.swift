import CivicKafka
import CivicModels
import CivicTestTraits
import Foundation
import Testing

@testable import SurveyIntake

/// A string PostgreSQL cannot store (U+0000) is a rejection on the topic path, not a database error: the
/// batch around it is stored and forwarded, and nothing holds up the partition.
@Suite(.hangGuard)
struct IntakeUnstorableTextTests {
    typealias Fixture = IntakeFixture

    @Test func aNULInTheCommentIsRejectedAndTheRestOfTheBatchIsStored() async throws {
        let fixture = try await Fixture()
        let outputs = try await fixture.handler().handle([
            Fixture.message(Fixture.response("nul-before", comment: "Quick and clear."), offset: 1),
            Fixture.message(Fixture.response("nul-1", comment: "Fine\u{0}then"), offset: 2),
            Fixture.message(Fixture.operations("nul-op") { $0["contactId"] = "c\u{0}" }, offset: 3),
            Fixture.message(Fixture.response("nul-after", comment: "Helpful staff."), offset: 4),
        ])
        #expect(try Fixture.accepted(outputs).map(\.eventId) == ["nul-before", "nul-after"])
        let rejected = try outputs.filter { $0.topic == CivicTopic.rejected }.map {
            try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data($0.value))
        }
        #expect(rejected.map(\.eventId) == ["nul-1", "nul-op"])
        #expect(rejected.map(\.field) == ["comment", "contactId"])
        #expect(rejected.allSatisfy { $0.code == .invalidValue })
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.responses") == 2)
        #expect(try await fixture.count("SELECT count(*) AS n FROM intake.rejections WHERE code = 'invalid_value'") == 2)
    }
}
