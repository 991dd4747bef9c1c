import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTesting
import CivicTime
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The product as users run it: the four service executables, Tansu and PostgreSQL on this machine, measured in
/// the configuration users deploy (``BenchSetup/deployed``: durable PostgreSQL, TLS to the broker) and beside it,
/// in the same run, the non-durable, plaintext ceiling (``BenchSetup/ceiling``). For each: publishes N realistic
/// responses (distinct submitters and comments, some with signed id_tokens) to the agencies' topics as fast as
/// the producer goes, times each stage until it has stored all of them, and reads every process's CPU from
/// /proc. Baselines measured in the same run: the producer alone, a plain consumer reading the same messages,
/// COPY of the same bytes into PostgreSQL, and a pass-through stage. Then the latency at a fixed rate, and the
/// two configurations side by side.
///
///   PipelineBench [events (50000)]
/// Environment: CIVIC_BIN_DIR (the services' folder; ops/bench/pipeline.sh passes the release build),
/// BENCH_SETUPS (`deployed,ceiling`; either alone), BENCH_BATCH (CIVIC_BATCH_SIZE for the services, 500),
/// BENCH_RATE and BENCH_RATE_SECONDS (the fixed-rate latency phase, 1000 events/s for 20 s; 0 skips it),
/// BENCH_PG_STATEMENTS=1 with
/// CIVIC_TEST_POSTGRES_OPTIONS='-c shared_preload_libraries=pg_stat_statements' (PostgreSQL's time per statement).
@main
struct PipelineBench {
    static let logger = Logger(label: "pipeline-bench")
    static let services = ["survey-intake", "identity-verify", "sentiment-scorer", "reporting"]
    /// What each stage stores once per response.
    static let stageTables = [
        ("survey-intake", "intake.responses"), ("identity-verify", "identity.verifications"), ("sentiment-scorer", "scorer.scores"),
        ("reporting", "reporting.feedback"),
    ]

    static func main() async {
        do {
            try await run(events: Int(CommandLine.arguments.dropFirst().first ?? "") ?? 50_000)
        } catch {
            FileHandle.standardError.write(Data("PipelineBench: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Measures each configuration of BENCH_SETUPS in turn, then prints them side by side.
    static func run(events: Int) async throws {
        let names = (ProcessInfo.processInfo.environment["BENCH_SETUPS"] ?? "deployed,ceiling").split(separator: ",")
        let setups = try names.map { name in
            guard let setup = BenchSetup(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw TestEnvironmentError("BENCH_SETUPS: \(name) is not one of \(BenchSetup.allCases.map(\.rawValue))")
            }
            return setup
        }
        var figures: [(BenchSetup, BenchFigures)] = []
        for setup in setups {
            print("\n=== \(setup.title) ===")
            figures.append((setup, try await measure(events: events, setup: setup)))
        }
        BenchFigures.printSideBySide(figures)
    }

    /// One configuration: its own broker and PostgreSQL, the four services, the baselines and the pipeline.
    static func measure(events: Int, setup: BenchSetup) async throws -> BenchFigures {
        let batch = ProcessInfo.processInfo.environment["BENCH_BATCH"] ?? "500"
        let broker = try await BenchBroker(tls: setup.usesTLS)
        let postgres = try await TestPostgres(durable: setup.isDurable)
        let database = try await postgres.makeDatabase(prefix: "pipelinebench")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("civic-pipelinebench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try python(["ops/sample/demo_issuer.py", "setup", work.path])
        var environment = broker.environment.merging([
            "CIVIC_KAFKA_SESSION_TIMEOUT_MS": "6000", "CIVIC_KAFKA_HEARTBEAT_MS": "500",
            "CIVIC_POSTGRES_URL": database, "CIVIC_BATCH_SIZE": batch, "CIVIC_LOG_LEVEL": "warning",
            "CIVIC_PSEUDONYM_KEYS": "v1:" + Data((0..<32).map { UInt8($0 &* 7 &+ 3) }).base64EncodedString(),
            "CIVIC_IDENTITY_ISSUERS_FILE": work.appendingPathComponent("issuers.json").path,
            "CIVIC_INTAKE_REGISTRY_FILE": RepositoryLayout.root.appendingPathComponent("ops/sample/agencies.json").path,
            "CIVIC_REPORTING_ADMIN_TOKEN": TestHTTP.randomSecret(),
        ]) { _, new in new }
        // Any other CIVIC_KAFKA_* or OTEL_* setting of the benchmark's own environment reaches the services (an A/B of a
        // setting, or tracing on: OTEL_EXPORTER_OTLP_ENDPOINT).
        for (name, value) in ProcessInfo.processInfo.environment
        where (name.hasPrefix("CIVIC_KAFKA_") || name.hasPrefix("OTEL_")) && environment[name] == nil {
            environment[name] = value
        }
        var processes: [String: ManagedProcess] = [:]
        for service in services {
            environment["CIVIC_HTTP_PORT"] = String(try freeLoopbackPort())
            processes[service] = try ManagedProcess(
                executable: RepositoryLayout.binaries.appendingPathComponent(service),
                arguments: [],
                environment: environment,
                logFile: work.appendingPathComponent("\(service).log")
            )
            try await waitUntilReady(port: environment["CIVIC_HTTP_PORT"] ?? "", process: processes[service])
        }
        let messages = try responses(events, tokens: try tokens(work: work, events: events))
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: database), logger: logger)
        defer { client.close() }
        print("PipelineBench: \(events) responses, \(ProcessInfo.processInfo.activeProcessorCount) cores, batch \(batch)")

        // Baseline 1: the producer alone, to a topic no one reads.
        let producerAlone = try await publish(messages, topic: "bench.scratch", broker: broker)

        // The pipeline.
        let statistics = StatementStatistics.isRequested ? StatementStatistics(postgres: client) : nil
        try await statistics?.reset()
        let cpuBefore = cpuSeconds(processes: processes, broker: broker, postgres: postgres)
        let start = ContinuousClock.now
        let published = try await publish(messages, topic: nil, broker: broker)
        var done: [String: Duration] = [:]
        // A stage never holds more than the stage before it forwarded, so only the first unfinished one is counted
        // (counting all four tables ten times a second took PostgreSQL about 14 µs of execution per event, pg_stat_statements).
        while done.count < stageTables.count {
            if let (stage, table) = stageTables.first(where: { done[$0.0] == nil }) {
                let rows = try await client.query("SELECT count(*) AS n FROM \(table)")
                if try rows.first?.require("n", as: Int64.self) ?? 0 >= Int64(events) {
                    done[stage] = ContinuousClock.now - start
                    continue
                }
            }
            guard ContinuousClock.now - start < .seconds(1_800) else { throw TestEnvironmentError("the pipeline did not finish in 30 minutes") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let cpuAfter = cpuSeconds(processes: processes, broker: broker, postgres: postgres)
        // The figures are only the deployed path's when every token was verified (a refused one costs less).
        let verdicts = try await client.query(
            "SELECT verdict, coalesce(refusal, '') AS refusal, count(*) AS n FROM identity.verifications GROUP BY 1, 2"
        )
        let verified = try verdicts.rows.first { try $0.require("verdict", as: String.self) == "verified" }?.require("n", as: Int64.self) ?? 0
        let tokened = (0..<events).filter(carriesToken).count
        guard verified == tokened else {
            let summary = try verdicts.rows.map {
                "\(try $0.require("verdict", as: String.self)) \(try $0.require("refusal", as: String.self)): \(try $0.require("n", as: Int64.self))"
            }
            throw TestEnvironmentError("\(verified) of \(tokened) id_tokens were verified: \(summary.joined(separator: ", "))")
        }

        // Baseline 2: a plain consumer reading the agencies' submitted topics (no work, no database).
        let consumer = try await consume(events, topic: CivicTopic.agencySubmittedPattern, broker: broker)
        // Baseline 3: COPY of the same bytes into a table.
        let copy = try await copyBytes(messages, client: client)
        // Baseline 4: a pass-through stage in this process (the services' consumer, producer, stream processor and
        // batch size; no work, no database), with this process's CPU (idle otherwise) and the broker's.
        let passCPUBefore = (ownCPUSeconds(), cpuSeconds(processes: [:], broker: broker, postgres: postgres)["tansu"] ?? 0)
        let passThrough = try await passThroughStage(events, batch: Int(batch) ?? 500, broker: broker)
        let passCPU = (
            stage: (ownCPUSeconds() - passCPUBefore.0) / Double(events) * 1e6,
            tansu: ((cpuSeconds(processes: [:], broker: broker, postgres: postgres)["tansu"] ?? 0) - passCPUBefore.1) / Double(events) * 1e6
        )

        func rate(_ duration: Duration) -> String {
            let seconds = duration.timeInterval
            return String(format: "%8.0f events/s  (%6.2f s)", Double(events) / seconds, seconds)
        }
        print("\nbaselines (same run)")
        print("  producer alone            \(rate(producerAlone))")
        print("  plain consumer            \(rate(consumer))")
        print("  COPY of the same bytes    \(rate(copy))")
        print("  pass-through stage        \(rate(passThrough))" + String(format: "  %.1f µs/event, Tansu %.1f", passCPU.stage, passCPU.tansu))
        print("\npipeline (published in \(rate(published)); \(verified) id_tokens verified, one per response that carries one)")
        for (stage, _) in stageTables { print("  \(stage.padding(toLength: 24, withPad: " ", startingAt: 0))  \(rate(done[stage] ?? .zero))") }
        let endToEnd = done["reporting"] ?? .zero
        let endToEndSeconds = endToEnd.timeInterval
        print(String(format: "  end to end / producer alone: %.2f", producerAlone / endToEnd))
        print("\nCPU per event (µs), pipeline run")
        var ownTotal = 0.0
        for name in services + ["postgres", "tansu"] + (setup.usesTLS ? ["stunnel"] : []) {
            let micros = ((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) / Double(events) * 1e6
            if name != "tansu", name != "stunnel" { ownTotal += micros }
            let ratio = services.contains(name) && passCPU.stage > 0 ? String(format: "   %.1fx the pass-through stage", micros / passCPU.stage) : ""
            print("  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%7.1f", micros))\(ratio)")
        }
        print(
            String(
                format: "  project's own processes (services + PostgreSQL): %.1f µs/event; end to end %.0f events/s",
                ownTotal,
                Double(events) / endToEndSeconds
            )
        )
        // Latency at a fixed rate: responses published at BENCH_RATE per second for BENCH_RATE_SECONDS, each timed
        // from its acknowledgement by the broker to its row in reporting.feedback (stored_at, the storing
        // transaction's start).
        let fixedRate = Int(ProcessInfo.processInfo.environment["BENCH_RATE"] ?? "") ?? 1_000
        let fixedSeconds = Int(ProcessInfo.processInfo.environment["BENCH_RATE_SECONDS"] ?? "") ?? 20
        var p99: Double?
        if fixedRate > 0, fixedSeconds > 0 {
            let latency = try await latencyAtFixedRate(
                rate: fixedRate,
                seconds: fixedSeconds,
                messages: try responses(fixedRate * fixedSeconds, tokens: [:], prefix: "rate"),
                broker: broker,
                client: client
            )
            print("\nlatency at a fixed rate: \(fixedRate) events/s for \(fixedSeconds) s (achieved \(Int(latency.achievedRate)) events/s)")
            print(
                String(
                    format: "  broker ack -> stored in reporting: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms",
                    latency.p50 * 1000,
                    latency.p90 * 1000,
                    latency.p99 * 1000,
                    latency.max * 1000
                )
            )
            p99 = latency.p99
        }
        if let statistics {
            print("\nPostgreSQL's statements by total time, pipeline run (pg_stat_statements)")
            for line in try await statistics.top(15) { print(line) }
        }
        for process in processes.values { _ = await process.stop() }
        await broker.stop()
        try? postgres.stopImmediately()
        try? FileManager.default.removeItem(at: work)
        return BenchFigures(
            endToEnd: Double(events) / endToEndSeconds,
            producerAlone: Double(events) / producerAlone.timeInterval,
            ownCPUMicroseconds: ownTotal,
            p99Seconds: p99,
            fixedRate: fixedRate
        )
    }

    /// CPU seconds so far of each service, the broker and PostgreSQL (postmaster, its live backends, and the
    /// exited ones it reaped), from /proc.
    static func cpuSeconds(processes: [String: ManagedProcess], broker: BenchBroker, postgres: TestPostgres) -> [String: Double] {
        var result: [String: Double] = [:]
        for (name, process) in processes { result[name] = ProcessCPU.stat(process.pid).map { $0.own } ?? 0 }
        result["tansu"] = ProcessCPU.stat(broker.tansu.pid).map { $0.own + $0.children } ?? 0
        if let stunnel = broker.tlsListener?.pid { result["stunnel"] = ProcessCPU.stat(stunnel).map { $0.own + $0.children } ?? 0 }
        result["postgres"] = ProcessCPU.postgres(postgres)
        return result
    }

    /// Publishes `messages` to `topic`, or each to its agency's own submitted topic when `topic` is `nil`.
    static func publish(_ messages: [[UInt8]], topic: String?, broker: BenchBroker) async throws -> Duration {
        var configuration = KafkaProducerConfiguration(client: broker.client("bench"))
        configuration.flushTimeoutMilliseconds = 60_000
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let start = ContinuousClock.now
        for chunk in stride(from: 0, to: messages.count, by: 5_000) {
            _ = try await producer.send(
                messages[chunk..<min(chunk + 5_000, messages.count)].enumerated().map {
                    KafkaOutboundMessage(
                        topic: topic ?? CivicTopic.submitted(carrying: $0.element),
                        key: "k\((chunk + $0.offset) % 97)",
                        value: $0.element
                    )
                }
            )
        }
        let elapsed = ContinuousClock.now - start
        await producer.close()
        return elapsed
    }

    /// The latency distribution of `messages` published at `rate` per second, in chunks every 10 ms.
    static func latencyAtFixedRate(
        rate: Int,
        seconds: Int,
        messages: [[UInt8]],
        broker: BenchBroker,
        client: PostgresClient
    ) async throws -> (p50: Double, p90: Double, p99: Double, max: Double, achievedRate: Double) {
        var configuration = KafkaProducerConfiguration(
            client: broker.client("bench-rate")
        )
        configuration.flushTimeoutMilliseconds = 60_000
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let perTick = max(1, rate / 100)
        var acknowledged: [String: Double] = [:]
        acknowledged.reserveCapacity(messages.count)
        let start = ContinuousClock.now
        var sent = 0
        var tick = 0
        while sent < messages.count {
            let due = start + .milliseconds(10 * tick)
            if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
            let chunk = sent..<min(sent + perTick, messages.count)
            _ = try await producer.send(
                chunk.map { KafkaOutboundMessage(topic: CivicTopic.submitted(carrying: messages[$0]), key: "k\($0 % 97)", value: messages[$0]) }
            )
            let now = Date().timeIntervalSince1970
            for index in chunk { acknowledged["rate-\(index)"] = now }
            sent = chunk.upperBound
            tick += 1
        }
        let elapsed = ContinuousClock.now - start
        await producer.close()
        let deadline = ContinuousClock.now + .seconds(600)
        while try await client.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id LIKE 'rate-%'").first?.require("n", as: Int64.self)
            ?? 0 < Int64(messages.count)
        {
            guard ContinuousClock.now < deadline else { throw TestEnvironmentError("the fixed-rate responses were not all stored in 10 minutes") }
            try await Task.sleep(for: .milliseconds(200))
        }
        let rows = try await client.query(
            "SELECT event_id, extract(epoch FROM stored_at)::float8 AS t FROM reporting.feedback WHERE event_id LIKE 'rate-%'"
        )
        var latencies: [Double] = []
        for row in rows.rows {
            let id: String = try row.require("event_id")
            let stored: Double = try row.require("t")
            if let sentAt = acknowledged[id] { latencies.append(max(0, stored - sentAt)) }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let elapsedSeconds = elapsed.timeInterval
        return (percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? 0, Double(messages.count) / elapsedSeconds)
    }

    /// This process's CPU seconds so far (user and system).
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// A stream processor reading the submitted topic from its start in a group of its own and forwarding every
    /// message unchanged (``PassThroughHandler``), timed until it has handled `count`.
    static func passThroughStage(_ count: Int, batch: Int, broker: BenchBroker) async throws -> Duration {
        var runtime = RuntimeConfiguration(serviceName: "bench-pass-through")
        runtime.kafkaBootstrapServers = broker.bootstrapServers
        runtime.kafkaSecurity = broker.security
        runtime.kafkaSessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        runtime.kafkaHeartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        let handler = PassThroughHandler(forwardingTo: "bench.scratch")
        let producer = try KafkaProducer(configuration: runtime.kafkaProducer, logger: logger)
        let consumer = try KafkaConsumer(configuration: runtime.kafkaConsumer(topics: [CivicTopic.agencySubmittedPattern]), logger: logger)
        let processor = StreamProcessor(
            name: "pass-through",
            consumer: consumer,
            producer: producer,
            handler: handler,
            configuration: StreamProcessorConfiguration(maxBatchSize: batch),
            readiness: ReadinessState(),
            logger: logger
        )
        let group = ServiceGroup(services: [ProducerService(producer: producer), processor], gracefulShutdownSignals: [], logger: logger)
        let task = Task { try await group.run() }
        // From the last look that found nothing handled yet (at most one look early), so a run that ends between
        // two looks still has a duration.
        var start = ContinuousClock.now
        while handler.handled.load(ordering: .relaxed) < count {
            if handler.handled.load(ordering: .relaxed) == 0 { start = ContinuousClock.now }
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = ContinuousClock.now - start
        await group.triggerGracefulShutdown()
        _ = await task.result
        return elapsed
    }

    static func consume(_ count: Int, topic: String, broker: BenchBroker) async throws -> Duration {
        var configuration = KafkaConsumerConfiguration(
            client: broker.client("bench-reader"),
            groupID: "bench-reader-\(UUID().uuidString.prefix(6))",
            topics: [topic]
        )
        configuration.sessionTimeoutMilliseconds = TestBroker.fastGroupSessionTimeoutMilliseconds
        configuration.heartbeatIntervalMilliseconds = TestBroker.fastGroupHeartbeatMilliseconds
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        var read = 0
        // From the last poll that found nothing yet: the first batch's reading counts.
        var start = ContinuousClock.now
        while read < count {
            let batch = try await consumer.poll(maxMessages: 1_000, maxWait: .milliseconds(200)) ?? []
            if read == 0, batch.isEmpty { start = ContinuousClock.now }
            read += batch.count
        }
        let elapsed = ContinuousClock.now - start
        await consumer.close()
        return elapsed
    }

    static func copyBytes(_ messages: [[UInt8]], client: PostgresClient) async throws -> Duration {
        try await client.withConnection { connection in
            try await connection.execute(script: "CREATE TABLE bench_copy (event_id text PRIMARY KEY, payload json NOT NULL)")
            let start = ContinuousClock.now
            _ = try await connection.copy(
                into: "bench_copy",
                columns: ["event_id", "payload"],
                rows: messages.enumerated().map { [String($0.offset), String(decoding: $0.element, as: UTF8.self)] }
            )
            return ContinuousClock.now - start
        }
    }

    /// The agencies responses go to, in turn, with a service each registers.
    static let agencies = [("IRS", "free-file"), ("SSA", "retirement-benefits"), ("VA", "health-care-enrollment")]

    /// Which responses carry an id_token: one in 50.
    static func carriesToken(_ index: Int) -> Bool { index % 50 == 0 }

    /// `count` A-11 v2 responses across three agencies, distinct submitters and comments, one in 50 with a
    /// signed id_token of its own (`tokens`, by index), as identity-verify requires: bound to that one response by
    /// nonce, and a `jti` used once.
    static func responses(_ count: Int, tokens: [Int: String], prefix: String = "bench") throws -> [[UInt8]] {
        let channels = ["web", "phone", "mobile", "email"]
        let words = ["wait", "helpful", "confusing", "quick", "lost", "form", "agent", "thanks", "slow", "clear", "website", "called"]
        let occurredAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-600))
        return try (0..<count).map { index in
            let (agency, service) = agencies[index % agencies.count]
            var event: [String: Any] = [
                "schema": SchemaVersion.submitted, "eventId": "\(prefix)-\(index)", "occurredAt": occurredAt, "agency": agency,
                "service": service, "channel": channels[index % channels.count], "level": "transaction", "form": "a11-v2",
                "answers": ["trust": ["scale": "thumbs", "value": index % 3 == 0 ? 0 : 1], "recommend": index % 11],
                "submitter": "bench-submitter-\(index)",
                "comment": (0..<12).map { words[($0 * 7 + index) % words.count] }.joined(separator: " ") + " \(index)",
            ]
            if let token = tokens[index] { event["identity"] = ["idToken": token] }
            return Array(try JSONSerialization.data(withJSONObject: event))
        }
    }

    /// One token for each response of the first `events` that carries one (``carriesToken(_:)``), bound to it by
    /// nonce, minted by the demo issuer in one process.
    static func tokens(work: URL, events: Int, prefix: String = "bench") throws -> [Int: String] {
        let indices = (0..<events).filter(carriesToken)
        let uses = indices.map { "bench-subject-\($0) \(agencies[$0 % agencies.count].0) \(prefix)-\($0)" }
        let output = try python(
            ["ops/sample/demo_issuer.py", "mint-many", work.path, "urn:acr.login.gov:verified"],
            input: uses.joined(separator: "\n")
        )
        let tokens = output.split(separator: "\n").map(String.init)
        guard tokens.count == indices.count else {
            throw TestEnvironmentError("the demo issuer minted \(tokens.count) tokens for \(indices.count) responses")
        }
        return Dictionary(uniqueKeysWithValues: zip(indices, tokens))
    }

    @discardableResult
    static func python(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = RepositoryLayout.python
        process.arguments = arguments
        process.currentDirectoryURL = RepositoryLayout.root
        if let input {
            // From a file, so a large input and the output never wait on each other's pipe (the open handle
            // outlives the name).
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-input-\(UUID().uuidString)")
            try Data(input.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            process.standardInput = try FileHandle(forReadingFrom: file)
        }
        let output = Pipe()
        process.standardOutput = output
        try ProcessLauncher.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestEnvironmentError("python \(arguments.joined(separator: " ")) failed") }
        return String(decoding: data, as: UTF8.self)
    }

    static func waitUntilReady(port: String, process: ManagedProcess?) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let url = URL(string: "http://127.0.0.1:\(port)/ready"), let (_, response) = try? await URLSession.shared.data(from: url),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestEnvironmentError("a service was not ready in 60 s: \(process?.logTail() ?? "")")
    }
}

extension Duration {
    static func / (lhs: Duration, rhs: Duration) -> Double {
        let seconds = { (duration: Duration) in duration.timeInterval }
        return seconds(lhs) / seconds(rhs)
    }
}
