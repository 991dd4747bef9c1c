import CivicKafka
import CivicModels
import CivicPostgres
import CivicTesting
import Foundation
import Logging
import Synchronization

@testable import SurveyIntake

/// A survey-intake handler on a fresh, migrated PostgreSQL database with IRS and SSA registered, and a clock
/// the test moves.
struct IntakeFixture {
    static let logger = Logger(label: "intake-tests")

    /// A clock a test can move forward.
    final class TestClock: Sendable {
        private let current: Mutex<Date>
        init(_ start: Date) { current = Mutex(start) }
        var now: Date { current.withLock { $0 } }
        func advance(seconds: Double) { current.withLock { $0 += seconds } }
    }

    let databaseURL: String
    let client: PostgresClient
    let clock = TestClock(ResponseValidatorTests.now)

    init() async throws {
        let server = try await TestPostgres.shared()
        databaseURL = try await server.makeDatabase(prefix: "intake", migrations: [IntakeStore.migrations])
        client = PostgresClient(configuration: PostgresConfiguration(connectionString: databaseURL), logger: Self.logger)
        try await AgencyRegistry(client: client).register([
            .init(code: "IRS", name: "Internal Revenue Service", services: [.init(code: "free-file", name: "Free File")]),
            .init(code: "SSA", name: "Social Security Administration", services: [.init(code: "free-file", name: "Test")]),
        ])
    }

    /// A handler as survey-intake builds it. `fresh` opens a new database client, as a restarted process would.
    func handler(spam: SpamDetector.Configuration = .init(), fresh: Bool = false) -> IntakeHandler {
        let client =
            fresh ? PostgresClient(configuration: PostgresConfiguration(connectionString: databaseURL), logger: Self.logger) : client
        let clock = clock
        return IntakeHandler(
            validator: SubmissionValidator(),
            admission: SubmissionAdmission(agencies: AgencyRegistry(client: client), instruments: InstrumentRegistry(client: client)),
            store: IntakeStore(client: client),
            spam: SpamDetector(configuration: spam),
            logger: Self.logger,
            clock: { clock.now }
        )
    }

    static func message(_ bytes: [UInt8], offset: Int64, partition: Int32 = 0) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: CivicTopic.submitted(carrying: bytes), partition: partition, offset: offset, key: nil, value: bytes)
    }

    /// A valid a11-v2 response (occurred an hour before ``ResponseValidatorTests/now``).
    static func response(
        _ id: String,
        comment: String? = "Quick and clear.",
        submitter: String? = nil,
        honeypot: String? = nil,
        agency: String = "IRS"
    ) -> [UInt8] {
        ResponseValidatorTests.valid {
            $0["eventId"] = id
            $0["agency"] = agency
            $0["comment"] = comment
            $0["submitter"] = submitter
            $0["honeypot"] = honeypot
        }
    }

    /// A valid operations event.
    static func operations(_ id: String, _ changes: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
        var object: [String: Any] = [
            "schema": "cx.operations/1", "eventId": id, "occurredAt": "2026-11-20T11:00:00Z", "agency": "SSA",
            "service": "free-file", "channel": "phone", "contactId": "c-123", "handleSeconds": 312,
            "resolvedFirstContact": true,
        ]
        changes(&object)
        return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    /// The accepted responses among `outputs`, decoded.
    static func accepted(_ outputs: [KafkaOutboundMessage]) throws -> [FeedbackEvent] {
        let decoder = CivicJSON.makeDecoder()
        return try outputs.filter { $0.topic == CivicTopic.accepted }.map { try decoder.decode(FeedbackEvent.self, from: Data($0.value)) }
    }

    /// The spam reasons forwarded for each accepted response, by event id.
    static func reasons(_ outputs: [KafkaOutboundMessage]) throws -> [String: [String]] {
        var reasons: [String: [String]] = [:]
        for event in try accepted(outputs) { reasons[event.eventId] = event.spam?.reasons.map(\.rawValue) }
        return reasons
    }

    func count(_ sql: String) async throws -> Int {
        try await client.query(sql).first?.require("n", as: Int.self) ?? -1
    }
}
