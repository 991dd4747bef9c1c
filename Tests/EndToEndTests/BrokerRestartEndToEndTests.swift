import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The broker killed mid-stream and restarted without its state (Tansu's in-memory storage: the topics, the
/// producer ids, the groups and the committed offsets are gone). While it is down no stage can make progress,
/// and each one fails its liveness check (`/health` 503), never sooner than `CIVIC_HEAL_AFTER_S` +
/// `CIVIC_LIVENESS_TIMEOUT_S`. Once it is back, each stage heals on its own (rebuilds its Kafka producer and
/// recreates the topics, with no restart): every one is alive and ready again, and every response published
/// after the broker returned reaches reporting exactly once.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct BrokerRestartEndToEndTests {
    static let healAfterSeconds = 2
    static let livenessTimeoutSeconds = 3

    @Test func stagesFailTheirLivenessWhileTheBrokerIsGoneAndHealWhenItReturnsWithoutItsState() async throws {
        let harness = try await PipelineHarness(extraEnvironment: [
            "CIVIC_HEAL_AFTER_S": String(Self.healAfterSeconds),
            "CIVIC_LIVENESS_TIMEOUT_S": String(Self.livenessTimeoutSeconds),
            "CIVIC_KAFKA_MESSAGE_TIMEOUT_MS": "5000",
        ])
        try await harness.startAll()
        let sample = SampleResponses(count: 600, now: Date()) { _ in nil }
        let before = Array(sample.items[..<300])
        let after = Array(sample.items[300...])
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "broker-restart")
        )
        configuration.flushTimeoutMilliseconds = 2_000
        do {
            let early = try KafkaProducer(configuration: configuration, logger: FaultMatrixEndToEndTests.logger)
            _ = try await early.send(before.map { $0.message() })
            await early.close()
        }
        // Mid-stream: the stages are still carrying the first responses.
        await harness.broker.kill()
        let killed = ContinuousClock.now

        // No stage can move: each fails its liveness check.
        var dead: Set<String> = []
        var deadline = ContinuousClock.now + TestPatience.hang
        while dead.count < PipelineHarness.services.count, ContinuousClock.now < deadline {
            for service in PipelineHarness.services where !dead.contains(service) {
                if (try? await harness.get(service, path: "/health", timeout: 5))?.0 == 503 { dead.insert(service) }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let allDead = ContinuousClock.now - killed
        #expect(dead == Set(PipelineHarness.services), "alive: \(Set(PipelineHarness.services).subtracting(dead))")
        #expect(allDead >= .seconds(Self.healAfterSeconds + Self.livenessTimeoutSeconds))

        // The broker returns on the same address, empty. Nothing restarts the services: they heal.
        let broker = try await TestBroker(port: harness.broker.port)
        let returned = ContinuousClock.now
        deadline = ContinuousClock.now + TestPatience.hang
        var healed = false
        while !healed, ContinuousClock.now < deadline {
            healed = try await harness.allAlive()
            if healed { healed = try await harness.allReady() }
            if !healed { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(healed, "\(harness.logTail("survey-intake"))")
        let healedIn = ContinuousClock.now - returned

        let late = try KafkaProducer(configuration: configuration, logger: FaultMatrixEndToEndTests.logger)
        _ = try await late.send(after.map { $0.message() })
        await late.close()
        let database = PostgresClient(
            configuration: PostgresConfiguration(connectionString: harness.databaseURL),
            logger: FaultMatrixEndToEndTests.logger
        )
        defer { database.close() }
        let ids = after.filter { $0.expectedRejection == nil && !$0.isDuplicate }.map(\.eventId)
        var arrived = 0
        deadline = ContinuousClock.now + TestPatience.hang
        while arrived < ids.count, ContinuousClock.now < deadline {
            let rows = try? await database.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id = ANY($1)", [PostgresTextArray(ids)])
            arrived = (try? rows?.first?.require("n", as: Int.self)) ?? arrived
            if arrived < ids.count { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(arrived == ids.count, "\(arrived) of \(ids.count) arrived\n\(harness.logTail("reporting"))")
        // Nothing counted twice, before or after the restart.
        for table in ["reporting.feedback", "intake.responses"] {
            let counts = try await database.query("SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM \(table)")
            #expect(try counts.first?.require("n", as: Int.self) == counts.first?.require("d", as: Int.self), "\(table)")
        }
        #expect(try await harness.allAlive())
        print(
            "broker-restart: every stage dead \(allDead) after the kill; alive and ready \(healedIn) after the broker returned; "
                + "\(arrived) of \(ids.count) later responses arrived once"
        )
        _ = await harness.stopAll()
        await broker.kill()
    }
}

extension PipelineHarness {
    /// Whether every service answers `/health` with 200.
    func allAlive() async throws -> Bool {
        for service in Self.services {
            guard (try? await get(service, path: "/health", timeout: 5))?.0 == 200 else { return false }
        }
        return true
    }
}
