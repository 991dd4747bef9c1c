import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Configuration
import Foundation
import Logging
import ReportingCore
import Testing

@testable import Reporting

/// reporting's stage against a real PostgreSQL: an agency with follow-up rules but no case system key has
/// every case update refused (the secure default), an update may be up to the clock-skew allowance ahead of
/// now but not further; and the erasure signing key is refused when others can read its file, when it is set
/// twice, and `reporting delete` publishes nothing without it.
@Suite(.hangGuard) struct CaseUpdateAuthenticationTests {
    static let logger = Logger(label: "case-update-tests")

    @Test func anAgencyWithoutAKeyHasEveryUpdateRefusedAndTheSkewAllowanceHolds() async throws {
        let irsKey = EventSigningKey()
        let rulesFile = FileManager.default.temporaryDirectory.appendingPathComponent("civic-case-rules-\(UUID().uuidString.prefix(8)).json")
        try Data(
            #"""
            {"agencies": {
              "IRS": {"targetDays": 5, "caseSystemKeys": ["\#(irsKey.publicKeyBase64)"], "rules": [{"name": "low", "trust": "low"}]},
              "VA": {"targetDays": 5, "rules": [{"name": "low", "trust": "low"}]}}}
            """#.utf8
        ).write(to: rulesFile)
        defer { try? FileManager.default.removeItem(at: rulesFile) }
        let rules = try FollowUpRules(contentsOf: rulesFile)
        let client = try await TestPostgres.shared().migratedClient(prefix: "cases", ReportingStore.migrations, logger: Self.logger)
        defer { client.close() }
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, rules: rules, logger: Self.logger)
        let encoder = CivicJSON.makeEncoder()
        func message(_ topic: String, _ value: some Encodable, offset: Int64) throws -> KafkaConsumerMessage {
            KafkaConsumerMessage(topic: topic, partition: 0, offset: offset, key: nil, value: Array(try encoder.encode(value)))
        }
        let scored = try ["IRS", "VA"].enumerated().map { index, agency in
            try message(
                CivicTopic.scored,
                FeedbackEvent(
                    schema: SchemaVersion.scored,
                    eventId: "low-\(agency)",
                    occurredAt: Date().addingTimeInterval(-60),
                    agency: agency,
                    service: "service",
                    channel: .web,
                    form: .a11v2,
                    answers: Answers(trust: .thumbs(0))
                ),
                offset: Int64(index)
            )
        }
        let opened = try await handler.handle(scored).filter { $0.topic == CivicTopic.followUps }
            .map { try CivicJSON.makeDecoder().decode(FollowUpOpened.self, from: Data($0.value)) }
        let irs = try #require(opened.first { $0.agency == "IRS" })
        let va = try #require(opened.first { $0.agency == "VA" })
        let now = Date()
        // VA lists no key: even a signed update is refused. IRS: 60 s ahead is within the allowance, 10 minutes is not.
        let updates = try [
            message(
                CivicTopic.caseUpdates,
                try irsKey.sign(CaseUpdate(caseId: va.caseId, agency: "VA", state: .resolved, actor: "a", at: now)),
                offset: 10
            ),
            message(
                CivicTopic.caseUpdates,
                try irsKey.sign(CaseUpdate(caseId: irs.caseId, agency: "IRS", state: .resolved, actor: "a", at: now.addingTimeInterval(600))),
                offset: 11
            ),
            message(
                CivicTopic.caseUpdates,
                try irsKey.sign(CaseUpdate(caseId: irs.caseId, agency: "IRS", state: .acknowledged, actor: "a", at: now.addingTimeInterval(60))),
                offset: 12
            ),
        ]
        let rejections = try await handler.handle(updates).filter { $0.topic == CivicTopic.rejected }
            .map { try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data($0.value)) }
        #expect(rejections.map(\.code) == [.unauthenticatedRequest, .outOfRange])
        #expect(rejections.first?.reason.contains("agency VA has no case system key") == true)
        #expect(rejections.last?.field == "at")
        let rows = try await client.query(
            "SELECT agency, acknowledged_at IS NOT NULL AS acknowledged, resolved_at IS NOT NULL AS resolved FROM reporting.follow_ups ORDER BY agency"
        )
        #expect(try rows.rows.map { try $0.require("agency", as: String.self) } == ["IRS", "VA"])
        #expect(try rows.rows.map { try $0.require("acknowledged", as: Bool.self) } == [true, false])
        #expect(try rows.rows.map { try $0.require("resolved", as: Bool.self) } == [false, false])
    }

    static func configuration(_ environment: [String: String]) throws -> ReportingConfiguration {
        try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test func theErasureSigningKeyIsRefusedWhenOthersCanReadItOrItIsSetTwiceAndDeleteNeedsIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-erasure-key-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("erasure.key").path
        let key = EventSigningKey()
        try key.write(to: path)
        #expect(try Self.configuration(["CIVIC_ERASURE_SIGNING_KEY_FILE": path]).erasureSigningKey?.keyId == key.keyId)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let readable = try #require(throws: ConfigurationError.self) { try Self.configuration(["CIVIC_ERASURE_SIGNING_KEY_FILE": path]) }
        #expect(readable.environmentVariable == "CIVIC_ERASURE_SIGNING_KEY_FILE")
        #expect(readable.reason.contains("readable by others"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(throws: ConfigurationError.self) {
            try Self.configuration(["CIVIC_ERASURE_SIGNING_KEY_FILE": path, "CIVIC_ERASURE_SIGNING_KEY": "anything"])
        }
        #expect(throws: ConfigurationError.self) { try Self.configuration(["CIVIC_ERASURE_SIGNING_KEY": "not a key"]) }
        #expect(throws: ConfigurationError.self) { try Self.configuration(["CIVIC_ERASURE_VERIFY_KEYS": "not-a-key"]) }
        let verifying = try Self.configuration(["CIVIC_ERASURE_VERIFY_KEYS": "\(key.publicKeyBase64), \(EventSigningKey().publicKeyBase64)"])
        #expect(verifying.runtime.erasureVerifyKeys.keyIds.count == 2)
        // Without a key, `reporting delete` refuses before it connects to anything.
        await #expect(throws: ErasureRequestInvalid.self) {
            _ = try await eraseReportingResponses(
                configuration: try Self.configuration([:]),
                agency: "IRS",
                eventIds: ["e-1"],
                reason: "test",
                requestedBy: "test",
                logger: Self.logger
            )
        }
    }
}
