import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTesting
import CivicTime
import Foundation
import Logging
import ServiceLifecycle
import SurveyIntake
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// survey-intake's throughput, in one run on one machine:
/// (a) a bare Hummingbird handler answering 202 to a POST (the baseline),
/// (b) `POST /v1/responses` of single valid responses through the real service (Tansu + PostgreSQL),
/// (e) the same route with arrays of 100 responses, beside the bare handler given the same bodies,
/// (c) topic ingest: responses already on `cx.feedback.submitted.v1`, consumed, stored and forwarded.
///
///     IntakeBench [seconds-per-HTTP-case] [topic-events]
@main
struct IntakeBench {
    static let adminToken = "intake-bench-admin-token"

    static func main() async throws {
        let arguments = CommandLine.arguments
        let seconds = arguments.count > 1 ? Int(arguments[1]) ?? 10 : 10
        let topicEvents = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
        let environment = ProcessInfo.processInfo.environment
        let connections = environment["BENCH_CONNECTIONS"].flatMap(Int.init) ?? 32
        let threads = environment["BENCH_THREADS"].flatMap(Int.init) ?? 2
        let batchSize = environment["BENCH_BATCH"].flatMap(Int.init) ?? RuntimeConfiguration(serviceName: "x").batchSize
        let rounds = max(1, environment["BENCH_ROUNDS"].flatMap(Int.init) ?? 3)
        let cases = Set((environment["BENCH_CASES"] ?? "http,batch,topic").split(separator: ",").map(String.init))
        var logger = Logger(label: "intake-bench")
        logger.logLevel = .error

        say(
            "IntakeBench: \(ProcessInfo.processInfo.activeProcessorCount) cores, wrk -t\(threads) -c\(connections) -d\(seconds)s, "
                + "\(rounds) rounds per case (figures are medians; every round is printed)"
        )

        if cases.contains("http") {
            try await httpCases(
                seconds: seconds,
                connections: connections,
                threads: threads,
                batchSize: batchSize,
                rounds: rounds,
                logger: logger
            )
        }
        if cases.contains("batch") {
            try await batchCase(seconds: seconds, connections: connections, threads: threads, batchSize: batchSize, rounds: rounds, logger: logger)
        }
        if cases.contains("topic") {
            // The cases alternate, so a slow spell of this shared machine does not land on one of them only.
            var topic: [Double] = []
            var baseline: [Double] = []
            for round in 1...rounds {
                say("(c) round \(round): publishing \(topicEvents) responses, then starting survey-intake")
                let ingest = try await topicIngest(events: topicEvents, batchSize: batchSize, logger: logger)
                say(String(format: "(c) round %d: %10.0f events/s steady (%.0f including start-up)", round, ingest.steady, ingest.overall))
                topic.append(ingest.steady)
                say("(d) round \(round): the same events through a pass-through stream processor (no validation, no database)")
                let pass = try await passThrough(events: topicEvents, batchSize: batchSize, logger: logger)
                say(String(format: "(d) round %d: %10.0f events/s steady (%.0f including start-up)", round, pass.steady, pass.overall))
                baseline.append(pass.steady)
            }
            say(
                String(
                    format: "(c) topic ingest, %d events, batch %d:  %10.0f events/s",
                    topicEvents,
                    batchSize,
                    median(topic)
                ) + "  (\(range(topic)))  (target >= 20000)"
            )
            say(
                String(
                    format: "(d) pass-through, %d events, batch %d:   %10.0f events/s",
                    topicEvents,
                    batchSize,
                    median(baseline)
                ) + "  (\(range(baseline)))"
            )
            say(String(format: "    ratio topic ingest / pass-through:     %10.1f %%", 100 * median(topic) / median(baseline)))
        }
    }

    /// (a) the bare handler and (b) `POST /v1/responses`, each driven by wrk for `seconds`, `rounds` times.
    @MainActor static func httpCases(
        seconds: Int,
        connections: Int,
        threads: Int,
        batchSize: Int,
        rounds: Int,
        logger: Logger
    ) async throws {
        // (a) Bare Hummingbird.
        say("(a) starting the bare server")
        let bareServer: Maker = { port in [BareServer.make(logger: logger, onServerRunning: { await port($0) })] }
        let bare = try await withService(bareServer) { port in
            var rates: [Double] = []
            for round in 1...rounds {
                let result = try Wrk.post(
                    url: "http://127.0.0.1:\(port)/bare",
                    template: responseJSON(eventId: "bench-r\(round)-%ID%"),
                    bearer: nil,
                    seconds: seconds,
                    threads: threads,
                    connections: connections
                )
                say(String(format: "(a) round %d: %10.0f requests/s", round, result.requestsPerSecond))
                rates.append(result.requestsPerSecond)
            }
            return rates
        }
        say(String(format: "(a) bare Hummingbird POST -> 202:        %10.0f requests/s", median(bare)) + "  (\(range(bare)))")

        // (b) POST /v1/responses through the real service. Each round starts a new broker, database and
        // service: Tansu's in-memory log slows down as single-message batches pile up (its CPU grew from 26 %
        // to 72 % over five 6-second rounds on one broker), which would otherwise decide the later rounds.
        var http: [Double] = []
        for round in 1...rounds {
            say("(b) round \(round): starting Tansu, PostgreSQL and survey-intake")
            let broker = try await TestBroker()
            let database = try await TestPostgres.shared().makeDatabase(prefix: "intakebench")
            let configuration = serviceConfiguration(broker: broker, database: database, batchSize: batchSize)
            let intake: Maker = { port in
                try await buildSurveyIntake(configuration: configuration, registry: nil, logger: logger, onServerRunning: port)
            }
            let result = try await withService(intake) { port in
                try Wrk.post(
                    url: "http://127.0.0.1:\(port)/v1/responses",
                    template: responseJSON(eventId: "bench-r\(round)-%ID%"),
                    bearer: try await mintKey(port: port),
                    seconds: seconds,
                    threads: threads,
                    connections: connections
                )
            }
            await broker.kill()
            say(
                String(
                    format: "(b) round %d: %10.0f requests/s  (non-2xx: %d)",
                    round,
                    result.requestsPerSecond,
                    result.non2xx
                )
            )
            guard result.non2xx == 0 else { throw BenchError("(b) round \(round): \(result.non2xx) answers were not 2xx") }
            http.append(result.requestsPerSecond)
        }
        say(String(format: "(b) POST /v1/responses (real service):     %10.0f requests/s", median(http)) + "  (\(range(http)))")
        say(String(format: "    ratio HTTP intake / bare:              %10.1f %%  (target >= 50 %%)", 100 * median(http) / median(bare)))
    }

    /// (e) `POST /v1/responses` with arrays of 100 responses, beside the bare handler given the same bodies, in
    /// responses per second; each round on a new broker, database and service as in (b).
    @MainActor static func batchCase(seconds: Int, connections: Int, threads: Int, batchSize: Int, rounds: Int, logger: Logger) async throws {
        func body(_ round: Int) -> String {
            "[" + (0..<100).map { responseJSON(eventId: "bench-b\(round)-%ID%-\($0)") }.joined(separator: ",") + "]"
        }
        let bareServer: Maker = { port in [BareServer.make(logger: logger, onServerRunning: { await port($0) })] }
        let bare = try await withService(bareServer) { port in
            try (1...rounds).map { round in
                try Wrk.post(
                    url: "http://127.0.0.1:\(port)/bare",
                    template: body(round),
                    bearer: nil,
                    seconds: seconds,
                    threads: threads,
                    connections: connections
                ).requestsPerSecond * 100
            }
        }
        var batches: [Double] = []
        for round in 1...rounds {
            let broker = try await TestBroker()
            let database = try await TestPostgres.shared().makeDatabase(prefix: "intakebench")
            let configuration = serviceConfiguration(broker: broker, database: database, batchSize: batchSize)
            let intake: Maker = { port in
                try await buildSurveyIntake(configuration: configuration, registry: nil, logger: logger, onServerRunning: port)
            }
            let result = try await withService(intake) { port in
                try Wrk.post(
                    url: "http://127.0.0.1:\(port)/v1/responses",
                    template: body(round),
                    bearer: try await mintKey(port: port),
                    seconds: seconds,
                    threads: threads,
                    connections: connections
                )
            }
            await broker.kill()
            say(
                String(
                    format: "(e) round %d: %10.0f responses/s in batches of 100  (non-2xx: %d)",
                    round,
                    result.requestsPerSecond * 100,
                    result.non2xx
                )
            )
            guard result.non2xx == 0 else { throw BenchError("(e) round \(round): \(result.non2xx) answers were not 2xx") }
            batches.append(result.requestsPerSecond * 100)
        }
        say(String(format: "(e) bare handler, same bodies:             %10.0f responses/s", median(bare)) + "  (\(range(bare)))")
        say(
            String(format: "(e) POST /v1/responses, batches of 100:    %10.0f responses/s", median(batches))
                + "  (\(range(batches)))  (target >= 20000)"
        )
        say(String(format: "    ratio batch intake / bare:             %10.1f %%", 100 * median(batches) / median(bare)))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func range(_ values: [Double]) -> String {
        String(format: "rounds %.0f-%.0f", values.min() ?? 0, values.max() ?? 0)
    }

    /// A valid A-11 v2 response a minute old. Its comment names the event, as real comments differ, so that
    /// the spam signals count many texts instead of flagging one text repeated 100,000 times.
    static func responseJSON(eventId: String) -> String {
        let occurred = Timestamp.format(Date().addingTimeInterval(-60))
        return """
            {"schema":"cx.feedback.submitted/1","eventId":"\(eventId)","occurredAt":"\(occurred)","agency":"IRS",\
            "service":"free-file","channel":"web","level":"transaction","form":"a11-v2",\
            "answers":{"trust":{"scale":"thumbs","value":1},"wentWell":["ease"],"recommend":9},\
            "comment":"Filing was quick and the help text was clear (reference \(eventId)).","locale":"en-US"}
            """
    }

    static func serviceConfiguration(broker: TestBroker, database: String, batchSize: Int) -> SurveyIntakeConfiguration {
        var runtime = RuntimeConfiguration(serviceName: "survey-intake")
        runtime.kafkaBootstrapServers = broker.bootstrapServers
        runtime.kafkaSessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        runtime.kafkaHeartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        runtime.postgresURL = database
        runtime.httpPort = 0
        runtime.batchSize = batchSize
        var configuration = SurveyIntakeConfiguration(runtime: runtime)
        configuration.http.adminToken = adminToken
        configuration.http.requestsPerSecond = 10_000_000
        configuration.http.burst = 10_000_000
        configuration.registry = try? JSONDecoder().decode(
            RegistryFile.self,
            from: Data(#"{"agencies":[{"code":"IRS","name":"IRS","services":[{"code":"free-file","name":"Free File"}]}]}"#.utf8)
        )
        return configuration
    }

    /// Runs the services `make` returns in a ServiceGroup, calls `body` with the HTTP port, then shuts down gracefully.
    typealias Maker = (@escaping @Sendable (Int) async -> Void) async throws -> [any Service]

    @MainActor static func withService<T>(
        _ make: Maker,
        _ body: (Int) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let services = try await make { continuation.yield($0) }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [], logger: Logger(label: "bench-group"))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchError("the server did not start") }
        do {
            let result = try await body(port)
            await group.triggerGracefulShutdown()
            _ = await task.result
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw error
        }
    }

    static func mintKey(port: Int) async throws -> String {
        guard let url = URL(string: "http://127.0.0.1:\(port)/v1/admin/agencies/IRS/keys") else { throw BenchError("bad URL") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("Bearer \(adminToken)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let key = object["key"] as? String else {
            throw BenchError("minting a key failed: \(String(decoding: data, as: UTF8.self))")
        }
        return key
    }

    /// Publishes `events` responses to a fresh broker and database, then runs `consume` and times it until
    /// `isDone` says all were handled.
    @MainActor static func timedIngest(
        events: Int,
        batchSize: Int,
        logger: Logger,
        consume: (SurveyIntakeConfiguration, String) async throws -> (steady: Double, overall: Double)
    ) async throws -> (steady: Double, overall: Double) {
        let broker = try await TestBroker()
        let database = try await TestPostgres.shared().makeDatabase(prefix: "intakebench")
        let configuration = serviceConfiguration(broker: broker, database: database, batchSize: batchSize)
        // Create the topics and schema (the service does it at start-up), then fill the input topic.
        _ = try await PipelineStage.prepare(
            configuration: configuration.runtime,
            migrations: PostgresMigrations(schema: "bench", migrations: []),
            logger: logger
        )
        var producerConfiguration = configuration.runtime.kafkaProducer
        producerConfiguration.lingerMilliseconds = 20
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var pending: [KafkaOutboundMessage] = []
        for index in 0..<events {
            let eventId = "topic-\(index)"
            pending.append(
                KafkaOutboundMessage(topic: CivicTopic.submitted(agency: "IRS"), key: eventId, value: Array(responseJSON(eventId: eventId).utf8))
            )
            if pending.count == 5_000 || index == events - 1 {
                try await producer.send(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        await producer.close()
        do {
            let figures = try await consume(configuration, database)
            await broker.kill()
            return figures
        } catch {
            await broker.kill()
            throw error
        }
    }

    /// (c) survey-intake consumes, validates, stores and forwards every response.
    @MainActor static func topicIngest(events: Int, batchSize: Int, logger: Logger) async throws -> (steady: Double, overall: Double) {
        try await timedIngest(events: events, batchSize: batchSize, logger: logger) { configuration, database in
            let postgres = PostgresClient(configuration: PostgresConfiguration(connectionString: database), logger: logger)
            defer { postgres.close() }
            let progress = StoredProgress(postgres: postgres, events: events)
            let statistics = StatementStatistics.isRequested ? StatementStatistics(postgres: postgres) : nil
            try await statistics?.reset()
            let start = ContinuousClock.now
            var first: (ContinuousClock.Instant, Int)?
            let intake: Maker = { port in
                try await buildSurveyIntake(configuration: configuration, registry: nil, logger: logger, onServerRunning: port)
            }
            let end: ContinuousClock.Instant = try await withService(intake) { _ in
                while true {
                    let stored = await progress.stored()
                    let now = ContinuousClock.now
                    if first == nil, stored > 0 { first = (now, stored) }
                    if stored >= events { return now }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            for line in try await statistics?.top() ?? [] { say(line) }
            let (firstAt, firstCount) = first ?? (start, 0)
            return (steady: Double(events - firstCount) / seconds(end - firstAt), overall: Double(events) / seconds(end - start))
        }
    }

    /// (d) the baseline for (c): the same stream processor, broker and batches, with a handler that forwards
    /// each message unchanged (no validation, no database). What the broker and client allow on this machine.
    @MainActor static func passThrough(events: Int, batchSize: Int, logger: Logger) async throws -> (steady: Double, overall: Double) {
        try await timedIngest(events: events, batchSize: batchSize, logger: logger) { configuration, _ in
            let handler = PassThroughHandler()
            let start = ContinuousClock.now
            var first: (ContinuousClock.Instant, Int)?
            let stage: Maker = { port in
                let producer = try KafkaProducer(configuration: configuration.runtime.kafkaProducer, logger: logger)
                let consumer = try KafkaConsumer(
                    configuration: configuration.runtime.kafkaConsumer(topics: [CivicTopic.submitted(agency: "IRS")], group: "bench-pass-through"),
                    logger: logger
                )
                let processor = StreamProcessor(
                    name: "pass-through",
                    consumer: consumer,
                    producer: producer,
                    handler: handler,
                    configuration: StreamProcessorConfiguration(maxBatchSize: batchSize),
                    readiness: ReadinessState(),
                    logger: logger
                )
                await port(0)
                return [ProducerService(producer: producer), processor]
            }
            let end: ContinuousClock.Instant = try await withService(stage) { _ in
                while true {
                    let handled = handler.handled.load(ordering: .relaxed)
                    let now = ContinuousClock.now
                    if first == nil, handled > 0 { first = (now, handled) }
                    if handled >= events { return now }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let (firstAt, firstCount) = first ?? (start, 0)
            return (steady: Double(events - firstCount) / seconds(end - firstAt), overall: Double(events) / seconds(end - start))
        }
    }

    static func seconds(_ duration: Duration) -> Double { duration.timeInterval }
}

/// Prints a line at once (unbuffered), so progress shows while the benchmark runs.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
