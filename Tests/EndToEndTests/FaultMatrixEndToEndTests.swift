import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The fault matrix: the four real services on a real broker and a durable PostgreSQL of their own, one
/// fault after another mid-stream (a service killed, the database stopped at once, the broker frozen, a
/// stage frozen past its session timeout). For each fault: every valid response sent around it reaches
/// reporting exactly once, every stage is ready again, and the time to recover is printed as a table row
/// (BENCHMARKS.md's reliability table). At the end the published figures equal the sample's.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct FaultMatrixEndToEndTests {
    static let logger: Logger = {
        var logger = Logger(label: "fault-matrix")
        logger.logLevel = .warning
        return logger
    }()

    /// One fault: how it starts, how long it holds, how it ends.
    struct Fault: Sendable {
        var name: String
        var start: @Sendable (PipelineHarness) async throws -> Void
        var hold: Duration
        var end: @Sendable (PipelineHarness) async throws -> Void
        /// Whether responses can be published while it holds (not while the broker itself is frozen).
        var publishesDuring = true
    }

    static let faults: [Fault] = [
        Fault(
            name: "survey-intake SIGKILL, restarted",
            start: { await $0.crash("survey-intake") },
            hold: .seconds(2),
            end: { try await $0.start("survey-intake") }
        ),
        Fault(
            name: "sentiment-scorer SIGKILL, restarted",
            start: { await $0.crash("sentiment-scorer") },
            hold: .seconds(2),
            end: { try await $0.start("sentiment-scorer") }
        ),
        Fault(
            name: "PostgreSQL immediate stop, 5 s down",
            start: { try $0.postgres.stopImmediately() },
            hold: .seconds(5),
            end: { try $0.postgres.start() }
        ),
        Fault(
            name: "broker frozen (SIGSTOP) 8 s",
            start: { $0.broker.pause() },
            hold: .seconds(8),
            end: { $0.broker.resume() },
            publishesDuring: false
        ),
        Fault(
            name: "reporting frozen (SIGSTOP) 10 s",
            start: { $0.signal("reporting", SIGSTOP) },
            hold: .seconds(10),
            end: { $0.signal("reporting", SIGCONT) }
        ),
        Fault(
            name: "identity-verify SIGTERM mid-stream, restarted",
            start: { _ = await $0.processes["identity-verify"]?.stop() },
            hold: .seconds(1),
            end: { try await $0.start("identity-verify") }
        ),
    ]

    @Test func everyValidResponseArrivesOnceThroughEachFault() async throws {
        let harness = try await PipelineHarness(ownPostgres: true)
        try await harness.startAll()
        let sample = SampleResponses(count: 1_400, now: Date()) { _ in nil }
        let windows = Self.faults.count
        let perWindow = sample.items.count / windows
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "fault-matrix")
        )
        configuration.flushTimeoutMilliseconds = 30_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }

        var table = ["| fault | responses sent | valid | arrived | duplicated | recovered in |", "|---|---|---|---|---|---|"]
        for (index, fault) in Self.faults.enumerated() {
            let items = Array(sample.items[(index * perWindow)..<(index == windows - 1 ? sample.items.count : (index + 1) * perWindow)])
            let messages = items.map { $0.message() }
            let half = messages.count / 2
            _ = try await producer.send(Array(messages[..<half]))
            try await fault.start(harness)
            if fault.publishesDuring { _ = try await producer.send(Array(messages[half...])) }
            try await Task.sleep(for: fault.hold)
            try await fault.end(harness)
            let ended = ContinuousClock.now
            if !fault.publishesDuring { _ = try await producer.send(Array(messages[half...])) }

            let valid = items.filter { $0.expectedRejection == nil && !$0.isDuplicate }
            let ids = valid.map(\.eventId)
            var arrived = 0
            var ready = false
            let deadline = ContinuousClock.now + TestPatience.hang
            while ContinuousClock.now < deadline {
                let rows = try? await database.query(
                    "SELECT count(*) AS n FROM reporting.feedback WHERE event_id = ANY($1)",
                    [PostgresTextArray(ids)]
                )
                arrived = (try? rows?.first?.require("n", as: Int.self)) ?? arrived
                if arrived >= ids.count {
                    ready = try await harness.allReady()
                    if ready { break }
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            let recovery = ContinuousClock.now - ended
            let stored = try await database.query(
                "SELECT count(*) AS n, count(DISTINCT (agency, event_id)) AS d FROM intake.responses WHERE event_id = ANY($1)",
                [PostgresTextArray(ids)]
            )
            let duplicated = try (stored.first?.require("n", as: Int.self) ?? 0) - (stored.first?.require("d", as: Int.self) ?? 0)
            #expect(arrived == ids.count, "\(fault.name): \(arrived) of \(ids.count) arrived\n\(harness.logTail("reporting"))")
            #expect(duplicated == 0, "\(fault.name)")
            #expect(ready, "\(fault.name): not every stage is ready again")
            table.append(
                "| \(fault.name) | \(items.count) | \(ids.count) | \(arrived) | \(duplicated) | "
                    + String(format: "%.1f s |", Double(recovery.components.seconds) + Double(recovery.components.attoseconds) / 1e18)
            )
        }
        await producer.close()
        print("fault-matrix:\n" + table.joined(separator: "\n"))

        // The published figures count each valid response once.
        try await harness.expectPublishedFigures(of: sample)
        _ = await harness.stopAll()
        await harness.broker.kill()
        try? harness.postgres.stopImmediately()
    }
}

extension PipelineHarness {
    /// Sends `signal` to a running service.
    func signal(_ service: String, _ signal: Int32) {
        processes[service]?.kill(signal: signal)
    }

    /// Whether every service answers `/ready` with 200.
    func allReady() async throws -> Bool {
        for service in Self.services {
            guard (try? await get(service, path: "/ready"))?.0 == 200 else { return false }
        }
        return true
    }
}

/// A network partition between one service and everything else (network namespaces and veth, iproute2).
@Suite(.startsPipeline, .serialized, .hangGuard)
struct NetworkPartitionEndToEndTests {
    @Test(arguments: ["sentiment-scorer", "survey-intake"])
    func aServiceCutOffFromTheBrokerAndTheDatabaseCatchesUpWithoutLossOrDuplicates(_ service: String) async throws {
        let harness = try await PipelineHarness(partitioned: service)
        let namespace = try #require(harness.namespace)
        try await harness.startAll()
        let sample = SampleResponses(count: 400, now: Date()) { _ in nil }
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "partition")
        )
        configuration.flushTimeoutMilliseconds = 30_000
        let producer = try KafkaProducer(configuration: configuration, logger: FaultMatrixEndToEndTests.logger)
        let messages = sample.items.map { $0.message() }
        _ = try await producer.send(Array(messages[..<200]))
        try namespace.partition()
        _ = try await producer.send(Array(messages[200...]))
        // Cut off long enough for its broker session to expire.
        try await Task.sleep(for: .seconds(10))
        // Meanwhile the rest of the pipeline goes on, and the cut-off stage's /ready cannot be reached (no answer
        // comes, however long one waits: 5 s says so as well as any longer time).
        #expect((try? await harness.get(service, path: "/ready", timeout: 5)) == nil)
        try namespace.heal()
        let healed = ContinuousClock.now

        let database = PostgresClient(
            configuration: PostgresConfiguration(connectionString: harness.databaseURL),
            logger: FaultMatrixEndToEndTests.logger
        )
        defer { database.close() }
        let ids = sample.valid.map(\.eventId)
        var arrived = 0
        var ready = false
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            let rows = try? await database.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id = ANY($1)", [PostgresTextArray(ids)])
            arrived = (try? rows?.first?.require("n", as: Int.self)) ?? arrived
            if arrived >= ids.count, try await harness.allReady() {
                ready = true
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let recovery = ContinuousClock.now - healed
        let stored = try await database.query("SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM intake.responses")
        #expect(arrived == ids.count, "\(arrived) of \(ids.count)\n\(harness.logTail(service))")
        #expect(ready)
        #expect(try stored.first?.require("n", as: Int.self) == stored.first?.require("d", as: Int.self))
        print(
            "fault-matrix: | \(service) cut off from the broker and PostgreSQL (network namespace) 10 s | \(sample.items.count) | "
                + "\(ids.count) | \(arrived) | 0 | "
                + String(format: "%.1f s |", Double(recovery.components.seconds) + Double(recovery.components.attoseconds) / 1e18)
        )
        await producer.close()
        _ = await harness.stopAll()
        await harness.broker.kill()
        try? harness.postgres.stopImmediately()
    }
}
