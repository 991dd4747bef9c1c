import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import SurveyIntake

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// survey-intake running in-process (its real ServiceGroup: producer, stream processor, HTTP server) against
/// a real Tansu broker and a real PostgreSQL database, with an HTTP client and topic readers for the tests.
final class IntakeHTTPHarness: Sendable {
    static let adminToken = "admin-token-for-tests-0123456789"
    /// The instrument of IRS free-file on kiosks (other channels have none): thumbs, four went-well options.
    static let kioskInstrument = InstrumentDefinition(
        form: .a11v2Thumbs,
        ombControlNumber: "1545-2278",
        expiresOn: "2099-12-31",
        trustQuestion: "I trust the IRS to fulfil our country's commitment to the people it serves.",
        wentWellOptions: [.effectiveness, .ease, .efficiency, .transparency],
        didNotGoWellOptions: [.ease, .efficiency],
        languages: ["en", "es"]
    )
    static let logger: Logger = {
        var logger = Logger(label: "intake-http-tests")
        logger.logLevel = .warning
        return logger
    }()

    let broker: TestBroker
    let databaseURL: String
    let port: Int
    let postgres: PostgresClient
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts the service; `adjust` changes the HTTP settings (admin token set by default).
    init(_ adjust: (inout IntakeHTTPConfiguration) -> Void = { _ in }) async throws {
        broker = try await TestBroker()
        databaseURL = try await TestPostgres.shared().makeDatabase(prefix: "intakehttp", migrations: [IntakeStore.migrations])
        var runtime = RuntimeConfiguration(serviceName: "survey-intake", broker: broker)
        runtime.kafkaMessageTimeoutMilliseconds = 5_000
        runtime.postgresURL = databaseURL
        runtime.httpPort = 0
        var configuration = SurveyIntakeConfiguration(runtime: runtime)
        configuration.http.adminToken = Self.adminToken
        configuration.http.burst = 10_000
        configuration.http.requestsPerSecond = 10_000
        adjust(&configuration.http)
        configuration.registry = RegistryFile(agencies: [
            .init(
                code: "IRS",
                name: "Internal Revenue Service",
                services: [.init(code: "free-file", name: "IRS Free File", instruments: ["kiosk": Self.kioskInstrument])]
            ),
            .init(code: "SSA", name: "Social Security Administration", services: [.init(code: "retirement", name: "Retirement")]),
        ])
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let services = try await buildSurveyIntake(configuration: configuration, registry: nil, logger: Self.logger) { port in
            continuation.yield(port)
        }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [], logger: Self.logger)
        self.group = group
        task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestEnvironmentError("survey-intake did not start listening") }
        self.port = port
        postgres = PostgresClient(configuration: PostgresConfiguration(connectionString: databaseURL), logger: Self.logger)
    }

    /// Runs `body` against a fresh service and stops the service afterwards, also when `body` throws.
    static func run(
        adjusting adjust: (inout IntakeHTTPConfiguration) -> Void = { _ in },
        _ body: (IntakeHTTPHarness) async throws -> Void
    ) async throws {
        let harness = try await IntakeHTTPHarness(adjust)
        do {
            try await body(harness)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    /// Stops the service gracefully (as on SIGTERM), then the broker.
    func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        await broker.kill()
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data

        var requestId: String? { headers["x-request-id"] }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: body)
        }
    }

    /// Sends a request to the service.
    func send(
        _ method: String,
        _ path: String,
        body: [UInt8] = [],
        bearer: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws
        -> Reply
    {
        let answer = try await TestHTTP.send(
            method,
            "http://127.0.0.1:\(port)\(path)",
            bearer: bearer,
            json: !body.isEmpty || method != "GET" ? Data(body) : nil,
            headers: ["Content-Type": "application/json"].merging(extra) { _, new in new }
        )
        return Reply(status: answer.status, headers: answer.headers, body: answer.body)
    }

    /// POSTs to `/v1/responses`.
    func submit(_ body: [UInt8], key: String?, headers: [String: String] = [:]) async throws -> Reply {
        try await send("POST", "/v1/responses", body: body, bearer: key, headers: headers)
    }

    /// Mints an API key for `agency` through the admin endpoint.
    func mintKey(_ agency: String) async throws -> String {
        let reply = try await send("POST", "/v1/admin/agencies/\(agency)/keys", bearer: Self.adminToken)
        guard reply.status == 201 else {
            throw TestEnvironmentError("minting failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return try reply.decode(MintedAPIKey.self).key
    }

    /// A reader of `topic` from its beginning, in a fresh consumer group.
    func reader(_ topic: String) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "intake-http-tests"),
            groupID: "reader-\(UUID().uuidString.prefix(8))",
            topics: [topic]
        )
        configuration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        configuration.heartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        return try KafkaConsumer(configuration: configuration, logger: Self.logger)
    }

    /// Reads from `consumer` until `done` holds for what was read, or until `limit` passes (then the caller's
    /// expectations fail on what arrived).
    static func read(
        _ consumer: KafkaConsumer,
        limit: Duration = .seconds(60),
        until done: ([KafkaConsumerMessage]) -> Bool
    ) async throws -> [KafkaConsumerMessage] {
        var received: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + limit
        while !done(received), ContinuousClock.now < deadline {
            guard let batch = try await consumer.poll(maxMessages: 500, maxWait: .milliseconds(200)) else { break }
            received += batch
        }
        return received
    }

    /// A valid A-11 v2 response that happened an hour ago.
    static func response(_ eventId: String, _ changes: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
        ResponseValidatorTests.valid {
            $0["eventId"] = eventId
            $0["occurredAt"] = Timestamp.format(Date().addingTimeInterval(-3600))
            changes(&$0)
        }
    }

    /// A JSON array of `items`, bytes kept as they are.
    static func batch(_ items: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, item) in items.enumerated() {
            if index > 0 { bytes += Array(",\n ".utf8) }
            bytes += item
        }
        return bytes + [UInt8(ascii: "]")]
    }
}
