import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The metrics operators scale and alert on, from the four real services on a real broker (Tansu) and a
/// PostgreSQL of their own: every metric the dashboard and the alert rules name is exported; a stage that
/// cannot make progress (its database stopped) shows a consumer lag that rises with what is published, and
/// the lag of every stage returns to zero once it has caught up.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct OperationsMetricsEndToEndTests {
    static let logger: Logger = {
        var logger = Logger(label: "operations-metrics")
        logger.logLevel = .warning
        return logger
    }()

    /// The stream processors of each service, as the `stage` label names them.
    static let stages = [
        "survey-intake": ["intake"], "identity-verify": ["identity", "identity-requests"], "sentiment-scorer": ["scorer"],
        "reporting": ["reporting"],
    ]

    @Test func lagRisesWhileAStageIsStoppedAndReturnsToZeroAfterItCatchesUp() async throws {
        let harness = try await PipelineHarness(ownPostgres: true, extraEnvironment: ["CIVIC_LAG_INTERVAL_S": "1"])
        try await harness.startAll()
        let sample = SampleResponses(count: 300, now: Date()) { _ in nil }
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "operations-metrics")
        )
        configuration.flushTimeoutMilliseconds = 30_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        // The first half was received ten minutes ago (its messages say so); the latency of each stage counts
        // from then, as every stage carries the timestamp over to its outputs.
        let half = sample.items.count / 2
        let tenMinutesAgo = Int64(Date().timeIntervalSince1970 * 1000) - 600_000
        let messages = sample.items.enumerated().map { index, item in
            item.message(timestampMilliseconds: index < half ? tenMinutesAgo : nil)
        }

        // 1. The first half flows through; every stage's lag settles at zero.
        _ = try await producer.send(Array(messages[..<half]))
        let firstIds = sample.items[..<half].filter { $0.expectedRejection == nil && !$0.isDuplicate }.map(\.eventId)
        #expect(try await arrived(firstIds, in: database) == firstIds.count)
        let settled = try await waitForLag(harness, deadline: .seconds(60)) { lags in lags.values.allSatisfy { $0 == 0 } }
        #expect(settled.values.allSatisfy { $0 == 0 } && settled.count == 5, "lag per stage after the first half: \(settled)")

        // Every metric the dashboard, the alert rules and the adapter name is on some service's /metrics.
        var exported: Set<String> = []
        for service in PipelineHarness.services {
            let (status, body) = try await harness.get(service, path: "/metrics")
            #expect(status == 200)
            let text = String(decoding: body, as: UTF8.self)
            exported.formUnion(PrometheusSample.parse(text).map(\.name))
            // Histogram families appear by their family name in `# TYPE` lines.
            for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
                exported.insert(String(line.split(separator: " ")[2]))
            }
        }
        let referenced = try MonitoringFiles.referencedMetricNames()
        #expect(!referenced.isEmpty)
        #expect(
            referenced.subtracting(exported).isEmpty,
            "named in ops/monitoring but exported by no service: \(referenced.subtracting(exported).sorted())"
        )

        // Latency from receipt: every stage saw each of the first half's events as more than 5 minutes old.
        let latencyCounts = try await stageSums(harness, metric: "civic_event_latency_seconds_count")
        let withinFiveMinutes = try await stageSums(harness, metric: "civic_event_latency_seconds_bucket") { $0["le"].flatMap(Double.init) == 300 }
        for stage in ["intake", "identity", "scorer", "reporting"] {
            let older = (latencyCounts[stage] ?? 0) - (withinFiveMinutes[stage] ?? 0)
            let expected = stage == "intake" ? half : firstIds.count
            #expect(older >= Double(expected), "\(stage): \(older) events older than 5 minutes, expected \(expected)")
        }

        // 2. Stop the database: survey-intake cannot store, so it commits nothing while the second half arrives.
        try harness.postgres.stopImmediately()
        _ = try await producer.send(Array(messages[half...]))
        let stopped = try await waitForLag(harness, deadline: .seconds(60)) { ($0["intake"] ?? 0) >= Double(messages.count - half) }
        #expect(
            (stopped["intake"] ?? 0) >= Double(messages.count - half),
            "intake's lag while it is stopped: \(stopped), \(messages.count - half) messages published"
        )
        // The process is up and says why it does not move: /ready answers 503 (the batch is being retried).
        var readyStatus = 0
        let readyDeadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < readyDeadline {
            readyStatus = (try? await harness.get("survey-intake", path: "/ready"))?.0 ?? 0
            if readyStatus == 503 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(readyStatus == 503)

        // 3. The database is back: every stage catches up and its lag returns to zero.
        try harness.postgres.start()
        let allIds = sample.items.filter { $0.expectedRejection == nil && !$0.isDuplicate }.map(\.eventId)
        #expect(try await arrived(allIds, in: database) == allIds.count)
        let caughtUp = try await waitForLag(harness, deadline: .seconds(90)) { lags in lags.values.allSatisfy { $0 == 0 } }
        #expect(caughtUp.values.allSatisfy { $0 == 0 } && caughtUp.count == 5, "lag per stage after catching up: \(caughtUp)")

        await producer.close()
        _ = await harness.stopAll()
        await harness.broker.kill()
        try? harness.postgres.stopImmediately()
    }

    /// Waits until reporting has stored every one of `ids` (or 120 s pass); returns how many it has.
    private func arrived(_ ids: [String], in database: PostgresClient) async throws -> Int {
        var count = 0
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            let rows = try? await database.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id = ANY($1)", [PostgresTextArray(ids)])
            count = (try? rows?.first?.require("n", as: Int.self)) ?? count
            if count >= ids.count { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return count
    }

    /// Scrapes every service until `done` holds for the lag per stage (summed over partitions), or the
    /// deadline passes; returns the last reading.
    private func waitForLag(
        _ harness: PipelineHarness,
        deadline: Duration,
        until done: ([String: Double]) -> Bool
    ) async throws -> [String: Double] {
        let end = ContinuousClock.now + deadline
        var lags: [String: Double] = [:]
        while ContinuousClock.now < end {
            lags = try await stageSums(harness, metric: "civic_consumer_lag")
            if lags.count == 5, done(lags) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return lags
    }

    /// A metric summed per `stage` over every service's /metrics (the samples `including` accepts).
    private func stageSums(
        _ harness: PipelineHarness,
        metric: String,
        including: ([String: String]) -> Bool = { _ in true }
    ) async throws -> [String: Double] {
        var sums: [String: Double] = [:]
        for service in PipelineHarness.services {
            guard let (status, body) = try? await harness.get(service, path: "/metrics"), status == 200 else { continue }
            for sample in PrometheusSample.parse(String(decoding: body, as: UTF8.self)) where sample.name == metric {
                guard let stage = sample.labels["stage"], Self.stages[service]?.contains(stage) == true, including(sample.labels) else { continue }
                sums[stage, default: 0] += sample.value
            }
        }
        return sums
    }
}
