import CivicIdentity
import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import IdentityVerify

/// Issue 29 in identity-verify's feedback stage against a real PostgreSQL, with tokens minted by the demo
/// issuer (`ops/sample/demo_issuer.py`): each token's jti serves one response, a redelivery keeps its verdict,
/// a token is bound to its agency by audience or to its event by nonce, and the ledger is purged after expiry.
@Suite(.hangGuard)
struct TokenReplayTests {
    static let logger = Logger(label: "token-replay-tests")

    /// The demo issuer's key, JWKS and issuers file in a directory of their own, and its `mint` command.
    final class DemoTokens: Sendable {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-issuer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Self.python(["setup", directory.path])
        }

        deinit {
            try? FileManager.default.removeItem(at: directory)
        }

        /// The issuers file `setup` wrote (shared audience, and one audience per demo agency).
        func issuers() throws -> IdentityIssuersFile {
            try JSONDecoder().decode(IdentityIssuersFile.self, from: Data(contentsOf: directory.appendingPathComponent("issuers.json")))
        }

        func mint(subject: String, agency: String, eventId: String? = nil, jti: Bool = true) throws -> String {
            var arguments = ["mint", directory.path, subject, "urn:acr.login.gov:verified", "--agency", agency]
            if let eventId { arguments += ["--event-id", eventId] }
            if !jti { arguments.append("--no-jti") }
            return try Self.python(arguments).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @discardableResult
        static func python(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = RepositoryLayout.python
            process.arguments = [RepositoryLayout.root.appendingPathComponent("ops/sample/demo_issuer.py").path] + arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw TestEnvironmentError("demo_issuer.py \(arguments.first ?? "") failed") }
            return String(decoding: data, as: UTF8.self)
        }
    }

    private func handler(_ tokens: DemoTokens) async throws -> (VerificationHandler, VerificationStore, PostgresClient) {
        let server = try await TestPostgres.shared()
        let client = PostgresClient(
            configuration: PostgresConfiguration(
                connectionString: try await server.makeDatabase(prefix: "identity", migrations: [VerificationStore.migrations])
            ),
            logger: Self.logger
        )
        var file = try tokens.issuers()
        file.agencyPolicies = ["IRS": .init(onRefusal: "reject")]
        let keys = try PseudonymKeyRing(keys: [1: (0..<32).map { UInt8($0 * 7 + 3) }], currentVersion: 1)
        let verifier = try IdentityVerifier(
            configuration: try file.verifierConfiguration(),
            pseudonymizer: Pseudonymizer(keyRing: keys),
            logger: Self.logger
        )
        let store = VerificationStore(client: client)
        return (VerificationHandler(verifier: verifier, redactor: PIIRedactor(), store: store, logger: Self.logger), store, client)
    }

    private func accepted(_ id: String, agency: String, token: String, offset: Int64 = 0) throws -> KafkaConsumerMessage {
        var event = FeedbackEvent(
            schema: SchemaVersion.accepted,
            eventId: id,
            occurredAt: Date(),
            agency: agency,
            service: "svc",
            channel: .web,
            form: .a11v2,
            answers: Answers(trust: .thumbs(1)),
            comment: "Fine.",
            identity: IdentityAssertion(idToken: token)
        )
        event.receivedAt = Date()
        return KafkaConsumerMessage(
            topic: CivicTopic.accepted,
            partition: 0,
            offset: offset,
            key: nil,
            value: Array(try CivicJSON.makeEncoder().encode(event))
        )
    }

    private func respondents(_ outputs: [KafkaOutboundMessage]) throws -> [Respondent?] {
        try outputs.map { output in
            output.topic == CivicTopic.verified ? try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(output.value)).respondent : nil
        }
    }

    @Test func aTokenReplayedOnASecondEventIsRefusedWhileTheFirstAndItsRedeliveryStayVerified() async throws {
        let tokens = try DemoTokens()
        let (handler, _, client) = try await handler(tokens)
        defer { client.close() }
        let ssa = try tokens.mint(subject: "respondent-1", agency: "SSA")
        let irs = try tokens.mint(subject: "respondent-2", agency: "IRS")

        // SSA continues a refused identity anonymously; IRS rejects the response.
        let outputs = try await handler.handle([
            try accepted("ssa-1", agency: "SSA", token: ssa),
            try accepted("ssa-2", agency: "SSA", token: ssa),
            try accepted("irs-1", agency: "IRS", token: irs),
            try accepted("irs-2", agency: "IRS", token: irs),
        ])
        #expect(outputs.map(\.topic) == [CivicTopic.verified, CivicTopic.verified, CivicTopic.verified, CivicTopic.rejected])
        let verdicts = try respondents(outputs)
        #expect(verdicts[0]?.status.rawValue == "verified")
        #expect(verdicts[1]?.status.rawValue == "refused")
        #expect(verdicts[1]?.refusal == "token_replayed")
        #expect(verdicts[1]?.pseudonym == nil)
        #expect(verdicts[2]?.status.rawValue == "verified")
        let rejection = try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data(outputs[3].value))
        #expect(rejection.code.rawValue == "identity_refused")
        #expect(rejection.reason.contains("token_replayed"))

        // The same events again (at-least-once): the first uses stay verified, with the same pseudonyms; the
        // replays stay refused; no audit row is added.
        let again = try await handler.handle([
            try accepted("ssa-1", agency: "SSA", token: ssa, offset: 1),
            try accepted("irs-2", agency: "IRS", token: irs, offset: 2),
            try accepted("irs-1", agency: "IRS", token: irs, offset: 3),
        ])
        #expect(again.map(\.topic) == [CivicTopic.verified, CivicTopic.rejected, CivicTopic.verified])
        let redelivered = try respondents(again)
        #expect(redelivered[0]?.status.rawValue == "verified")
        #expect(redelivered[0]?.pseudonym == verdicts[0]?.pseudonym)
        #expect(redelivered[2]?.pseudonym == verdicts[2]?.pseudonym)

        let audit = try await client.query("SELECT event_id, verdict, coalesce(refusal, '') AS refusal FROM identity.verifications ORDER BY event_id")
        #expect(
            audit.values.map { $0.compactMap { $0 } } == [
                ["irs-1", "verified", ""], ["irs-2", "rejected", "token_replayed"], ["ssa-1", "verified", ""],
                ["ssa-2", "refused", "token_replayed"],
            ]
        )
        // One ledger row per token, holding a 32-byte digest of the jti, never the token or the jti itself.
        let ledger = try await client.query("SELECT agency, use_id, length(jti_sha256) AS n FROM identity.token_uses ORDER BY use_id")
        #expect(ledger.values.map { $0.compactMap { $0 } } == [["IRS", "irs-1", "32"], ["SSA", "ssa-1", "32"]])
        let everything = try await client.query("SELECT t::text AS row FROM identity.token_uses t")
        for row in everything.values.compactMap({ $0.first ?? nil }) {
            #expect(!row.contains("eyJ") && !row.contains("respondent-"))
        }
    }

    @Test func aTokenIsVerifiedOnlyForTheAgencyOrEventItIsBoundTo() async throws {
        let tokens = try DemoTokens()
        let (handler, _, client) = try await handler(tokens)
        defer { client.close() }
        let outputs = try await handler.handle([
            // Bound to IRS by its audience, presented for SSA.
            try accepted("cross-1", agency: "SSA", token: try tokens.mint(subject: "s1", agency: "IRS")),
            // Bound by nonce to SSA's event bound-1: verified there, even without a jti, and again on redelivery ...
            try accepted("bound-1", agency: "SSA", token: try tokens.mint(subject: "s2", agency: "SSA", eventId: "bound-1", jti: false)),
            try accepted("bound-1", agency: "SSA", token: try tokens.mint(subject: "s2", agency: "SSA", eventId: "bound-1", jti: false)),
            // ... but not for another event, nor for the same event id of another agency.
            try accepted("bound-2", agency: "SSA", token: try tokens.mint(subject: "s2", agency: "SSA", eventId: "bound-1")),
            try accepted("bound-1", agency: "VA", token: try tokens.mint(subject: "s2", agency: "SSA", eventId: "bound-1")),
            // Bound by audience without a jti: the ledger could not hold it to one use, so it is refused.
            try accepted("no-jti", agency: "SSA", token: try tokens.mint(subject: "s3", agency: "SSA", jti: false)),
        ])
        let verdicts = try respondents(outputs).map { "\($0?.status.rawValue ?? "-") \($0?.refusal ?? "")" }
        #expect(
            verdicts == [
                "refused wrong_audience", "verified ", "verified ", "refused unbound_token", "refused unbound_token",
                "refused missing_claim",
            ]
        )
        let ledger = try await client.query("SELECT count(*) AS n FROM identity.token_uses")
        #expect(try ledger.first?.require("n", as: Int.self) == 0)
    }

    @Test func ledgerRowsArePurgedOnlyAfterTheirTokenAndItsMarginExpired() async throws {
        let tokens = try DemoTokens()
        let (handler, store, client) = try await handler(tokens)
        defer { client.close() }
        _ = try await handler.handle([try accepted("ssa-1", agency: "SSA", token: try tokens.mint(subject: "s1", agency: "SSA"))])
        let keepUntil: Date = try #require(try await client.query("SELECT keep_until FROM identity.token_uses").first?.require("keep_until"))
        var schedule = RetentionSchedule()
        schedule.responseDays = 0
        schedule.rejectionDays = 0
        schedule.auditDays = 0
        let early = try await VerificationStore.retention.run(schedule: schedule, client: client, now: keepUntil.addingTimeInterval(-60))
        #expect(early.deleted["identity.token_uses"] == 0)
        #expect(
            try await store.claim(issuer: "x", digest: [1], expiresAt: keepUntil, use: TokenUse(.event, agency: "A", id: "1"), now: Date())
                == .granted
        )
        let late = try await VerificationStore.retention.run(schedule: schedule, client: client, now: keepUntil.addingTimeInterval(1))
        #expect(late.deleted["identity.token_uses"] == 1)
        let left = try await client.query("SELECT issuer FROM identity.token_uses")
        #expect(left.values.map { $0.compactMap { $0 } } == [["x"]])
    }
}
