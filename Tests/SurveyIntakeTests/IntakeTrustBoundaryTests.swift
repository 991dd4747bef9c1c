import CivicModels
import CivicTestTraits
import Foundation
import Testing

@testable import SurveyIntake

/// Fields a later stage owns never come from a submitter.
@Suite(.hangGuard) struct IntakeTrustBoundaryTests {
    /// A forged verdict, score, receipt time and pseudonym on a submitted response are all dropped.
    @Test func intakeDropsTheFieldsLaterStagesOwn() throws {
        let bytes = ResponseValidatorTests.valid {
            $0["comment"] = nil
            $0["sentiment"] = ["neg": 0, "neu": 0, "pos": 1, "compound": 4.4e303]
            $0["emotions"] = ["joy": 1e308]
            $0["scorer"] = ["version": "forged", "unscoredReason": "no_comment"]
            $0["spam"] = ["flagged": false, "reasons": []]
            $0["respondent"] = ["status": "verified", "pseudonym": "forged"]
            $0["redactions"] = ["email\u{0}": 3]
            $0["receivedAt"] = "2020-01-01T00:00:00Z"
        }
        let event = try ResponseValidatorTests.validate(bytes).get()
        #expect(event.sentiment == nil)
        #expect(event.emotions == nil)
        #expect(event.scorer == nil)
        #expect(event.spam == nil)
        #expect(event.respondent == nil)
        #expect(event.redactions == nil)
        #expect(event.receivedAt == nil)
        #expect(event.answers.recommend == 9, "the submitter's own fields are kept")
    }
}
