import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Issue 29, through survey-intake and identity-verify as processes on the real broker and PostgreSQL: an
/// id_token serves one response (or one identity request) only, a redelivery of that response keeps its
/// verdict, and a token bound to one agency (by audience or by nonce) verifies nothing of another.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct IdentityReplayEndToEndTests {
    static let logger = Logger(label: "identity-replay-e2e")

    @Test func aTokenServesOneResponseAndIsBoundToItsAgency() async throws {
        let harness = try await PipelineHarness()
        try await harness.start("survey-intake")
        try await harness.start("identity-verify")
        let producer = try ErasureEndToEndTests.producer(harness)
        func submit(_ id: String, token: String) async throws {
            let bytes = HostileInputEndToEndTests.response(id) { $0["identity"] = ["idToken": token] }
            try await producer.send([KafkaOutboundMessage(topic: CivicTopic.submitted(carrying: bytes), key: id, value: bytes)])
        }
        func verified(_ ids: Set<String>, atLeast count: Int) async throws -> [FeedbackEvent] {
            try await harness.readTopic(CivicTopic.verified, as: FeedbackEvent.self, atLeast: count) { ids.contains($0.eventId) }
                .filter { ids.contains($0.eventId) }
        }

        // One token (bound to SSA by its audience) on two responses: the first is verified, the second refused.
        let token = try harness.mintToken(subject: "replay-subject", agency: "SSA")
        try await submit("replay-1", token: token)
        let first = try #require(try await verified(["replay-1"], atLeast: 1).first)
        #expect(first.respondent?.status.rawValue == "verified")
        let pseudonym = try #require(first.respondent?.pseudonym)
        try await submit("replay-2", token: token)
        let second = try #require(try await verified(["replay-2"], atLeast: 1).first)
        #expect(second.respondent?.status.rawValue == "refused")
        #expect(second.respondent?.refusal == "token_replayed")
        #expect(second.respondent?.pseudonym == nil)

        // The first response redelivered on the accepted topic (at-least-once) is verified again, once more.
        let accepted = try await harness.readTopic(CivicTopic.accepted, as: FeedbackEvent.self, atLeast: 1) { $0.eventId == "replay-1" }
        let original = try #require(accepted.first { $0.eventId == "replay-1" })
        try await producer.send([
            KafkaOutboundMessage(topic: CivicTopic.accepted, key: "replay-1", value: Array(try CivicJSON.makeEncoder().encode(original)))
        ])
        let both = try await verified(["replay-1"], atLeast: 2)
        #expect(both.count == 2)
        #expect(both.allSatisfy { $0.respondent?.status.rawValue == "verified" && $0.respondent?.pseudonym == pseudonym })

        // A token bound to IRS (its audience) presented for SSA; a token bound by nonce to one SSA response
        // presented for another: both refused, while the response it was bound to is verified.
        try await submit("cross-1", token: try harness.mintToken(subject: "cross-subject", agency: "IRS"))
        let nonceBound = try harness.mintToken(subject: "nonce-subject", agency: "SSA", eventId: "bound-1")
        try await submit("bound-1", token: nonceBound)
        let verdicts = try await verified(["cross-1", "bound-1"], atLeast: 2)
        #expect(verdicts.first { $0.eventId == "cross-1" }?.respondent?.refusal == "wrong_audience")
        #expect(verdicts.first { $0.eventId == "bound-1" }?.respondent?.status.rawValue == "verified")
        try await submit("bound-2", token: nonceBound)
        let moved = try #require(try await verified(["bound-2"], atLeast: 1).first)
        #expect(moved.respondent?.refusal == "unbound_token")

        // The same rules on the request/reply path: a second request with the token is refused, the same
        // request again (its redelivery) is answered verified again.
        let callerToken = try harness.mintToken(subject: "caller-subject", agency: "IRS")
        let requests = [
            IdentityRequest(correlationId: "req-1", idToken: callerToken, agency: "IRS", requestedAt: Date()),
            IdentityRequest(correlationId: "req-2", idToken: callerToken, agency: "IRS", requestedAt: Date()),
            IdentityRequest(correlationId: "req-1", idToken: callerToken, agency: "IRS", requestedAt: Date()),
            IdentityRequest(correlationId: "req-3", idToken: callerToken, agency: "SSA", requestedAt: Date()),
        ]
        for request in requests {
            try await producer.send([
                KafkaOutboundMessage(topic: CivicTopic.identityRequests, key: "r", value: Array(try CivicJSON.makeEncoder().encode(request)))
            ])
        }
        await producer.close()
        // Results are keyed by correlation id (partitions apart), so they are compared without their order.
        let results = try await harness.readTopic(CivicTopic.identityResults, as: IdentityResult.self, atLeast: 4)
        #expect(
            results.map { "\($0.correlationId) \($0.status.rawValue) \($0.refusal ?? "")" }.sorted() == [
                "req-1 verified ", "req-1 verified ", "req-2 refused token_replayed", "req-3 refused wrong_audience",
            ]
        )

        // The ledger holds digests of the jti, never a token or a jti in clear.
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        let uses = try await database.query("SELECT use_kind, agency, use_id, length(jti_sha256) AS n FROM identity.token_uses ORDER BY use_id")
        #expect(
            uses.values.map { $0.compactMap { $0 } } == [
                ["event", "SSA", "bound-1", "32"], ["event", "SSA", "replay-1", "32"], ["request", "IRS", "req-1", "32"],
            ]
        )
        let audit = try await database.query(
            "SELECT event_id, verdict, coalesce(refusal, '') AS refusal FROM identity.verifications ORDER BY event_id"
        )
        #expect(
            audit.values.map { $0.compactMap { $0 } } == [
                ["bound-1", "verified", ""], ["bound-2", "refused", "unbound_token"], ["cross-1", "refused", "wrong_audience"],
                ["replay-1", "verified", ""], ["replay-2", "refused", "token_replayed"],
            ]
        )
        _ = await harness.stopAll()
    }
}
