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

/// identity-verify's feedback stage against a real PostgreSQL: refused identities continue anonymously
/// or go to the rejected topic by agency policy, comments are redacted, and nothing identifying is stored.
@Suite(.hangGuard)
struct VerificationHandlerTests {
    static let logger = Logger(label: "verification-tests")

    struct JWKSDown: Error {}

    private func handler(
        keys keySource: JWKSSource = .custom(label: "empty") { Array(#"{"keys":[]}"#.utf8) }
    ) async throws -> (VerificationHandler, PostgresClient) {
        let server = try await TestPostgres.shared()
        let client = PostgresClient(
            configuration: PostgresConfiguration(
                connectionString: try await server.makeDatabase(prefix: "identity", migrations: [VerificationStore.migrations])
            ),
            logger: Self.logger
        )
        let configuration = IdentityVerifierConfiguration(
            trustedIssuers: [
                TrustedIssuer(
                    issuer: "https://idp.test.example/",
                    audiences: ["civicpulse"],
                    keySource: keySource
                )
            ],
            agencyPolicies: ["IRS": AgencyIdentityPolicy(onRefusal: .reject)]
        )
        let keys = try PseudonymKeyRing(keys: [1: (0..<32).map { UInt8($0 * 5 + 1) }], currentVersion: 1)
        let verifier = try IdentityVerifier(configuration: configuration, pseudonymizer: Pseudonymizer(keyRing: keys), logger: Self.logger)
        return (
            VerificationHandler(verifier: verifier, redactor: PIIRedactor(), store: VerificationStore(client: client), logger: Self.logger), client
        )
    }

    private func accepted(_ id: String, agency: String, token: String?, comment: String) throws -> KafkaConsumerMessage {
        var event = FeedbackEvent(
            schema: SchemaVersion.accepted,
            eventId: id,
            occurredAt: Date(),
            agency: agency,
            service: "svc",
            channel: .web,
            form: .a11v2,
            answers: Answers(trust: .thumbs(1)),
            comment: comment,
            identity: token.map(IdentityAssertion.init)
        )
        event.receivedAt = Date()
        return KafkaConsumerMessage(
            topic: CivicTopic.accepted,
            partition: 0,
            offset: 0,
            key: nil,
            value: Array(try CivicJSON.makeEncoder().encode(event))
        )
    }

    @Test func refusedIdentityFollowsTheAgencyPolicyAndPIIIsRedacted() async throws {
        let (handler, client) = try await handler()
        let forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJqYW5lQGV4YW1wbGUuY29tIn0."
        let outputs = try await handler.handle([
            try accepted("irs-1", agency: "IRS", token: forged, comment: "Call me at (202) 555-0143"),
            try accepted("ssa-1", agency: "SSA", token: forged, comment: "My email is jane.doe@example.com"),
            try accepted("va-1", agency: "VA", token: nil, comment: "Fine."),
        ])
        #expect(outputs.map(\.topic) == [CivicTopic.rejected, CivicTopic.verified, CivicTopic.verified])
        let decoder = CivicJSON.makeDecoder()
        let rejection = try decoder.decode(RejectedFeedback.self, from: Data(outputs[0].value))
        #expect(rejection.code.rawValue == "identity_refused")
        #expect(rejection.reason.contains("algorithm_none"))
        let ssa = try decoder.decode(FeedbackEvent.self, from: Data(outputs[1].value))
        #expect(ssa.respondent?.status.rawValue == "refused")
        #expect(ssa.respondent?.refusal == "algorithm_none")
        #expect(ssa.identity == nil)
        #expect(ssa.comment == "My email is [EMAIL]")
        #expect(ssa.redactions == ["email": 1])
        let va = try decoder.decode(FeedbackEvent.self, from: Data(outputs[2].value))
        #expect(va.respondent?.status.rawValue == "anonymous")
        // Nothing downstream carries the token or the PII.
        for output in outputs {
            let text = String(decoding: output.value, as: UTF8.self)
            #expect(!text.contains("jane.doe@example.com"))
            #expect(!text.contains("555-0143") || output.topic == CivicTopic.rejected)
        }
        #expect(!String(decoding: outputs[1].value, as: UTF8.self).contains(forged))
        // The audit records verdicts, never tokens.
        let audit = try await client.query("SELECT event_id, verdict, refusal FROM identity.verifications ORDER BY event_id")
        #expect(
            audit.values.map { $0.compactMap { $0 } } == [
                ["irs-1", "rejected", "algorithm_none"], ["ssa-1", "refused", "algorithm_none"], ["va-1", "anonymous"],
            ]
        )
        // A replay adds no audit rows and gives the same outputs.
        let replay = try await handler.handle([try accepted("va-1", agency: "VA", token: nil, comment: "Fine.")])
        #expect(replay.count == 1)
        let count = try await client.query("SELECT count(*) AS n FROM identity.verifications")
        #expect(try count.first?.require("n", as: Int.self) == 3)
    }

    /// A JWKS outage is transient: no verdict is given (nothing is refused, nothing is audited), the batch
    /// fails and is retried by the stream processor until the keys load.
    @Test func aJWKSOutageGivesNoVerdictAndTheBatchIsRetried() async throws {
        let (handler, client) = try await handler(keys: .custom(label: "down") { throw JWKSDown() })
        defer { client.close() }
        func part(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let token = [
            part(#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#),
            part(#"{"iss":"https://idp.test.example/","aud":"civicpulse","sub":"x","iat":1,"exp":4102444800}"#),
            "c2lnbmF0dXJl",
        ].joined(separator: ".")
        await #expect(throws: VerificationHandler.IssuerKeysUnavailable.self) {
            _ = try await handler.handle([try accepted("irs-2", agency: "IRS", token: token, comment: "Fine.")])
        }
        let count = try await client.query("SELECT count(*) AS n FROM identity.verifications")
        #expect(try count.first?.require("n", as: Int.self) == 0)
        #expect(FailurePolicy().decide(VerificationHandler.IssuerKeysUnavailable(reason: "down")) == .retry)
    }
}
