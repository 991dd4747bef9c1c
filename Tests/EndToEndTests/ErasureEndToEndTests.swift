import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// An erasure reaches every stage through the four real services: `reporting delete` (by event id and by
/// respondent pseudonym) publishes an erasure request that survey-intake, identity-verify, sentiment-scorer
/// and reporting each apply to their own schema; the events' rows are gone from every table and every
/// figure, each schema keeps a tombstone, and no replay, from any topic, brings them back. A hostile erasure
/// request is set aside by every stage, which goes on applying the next; so is one that is unsigned, forged
/// (another key) or altered after signing, and it erases nothing.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct ErasureEndToEndTests {
    static let logger = Logger(label: "erasure-e2e")
    /// Every table that holds an event's rows, by stage.
    static let eventTables = ["intake.responses", "identity.verifications", "scorer.scores", "reporting.feedback"]
    static let schemas = ["intake", "identity", "scorer", "reporting"]

    @Test func anErasureReachesEveryStageAndNoReplayBringsItBack() async throws {
        let harness = try await PipelineHarness()
        try await harness.startAll()
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        let producer = try Self.producer(harness)

        // 10 responses to keep, one to erase by id, two of one signed-in respondent to erase by pseudonym.
        var submitted: [String: [UInt8]] = [:]
        for index in 0..<10 { submitted["keep-\(index)"] = HostileInputEndToEndTests.response("keep-\(index)") }
        submitted["gone-id"] = HostileInputEndToEndTests.response("gone-id") { $0["comment"] = "Erase me, please." }
        for id in ["gone-r1", "gone-r2"] {
            // One respondent, two sign-ins: each token serves one response (identity-verify refuses a replay).
            let token = try harness.mintToken(subject: "erase-me-subject", agency: "SSA")
            submitted[id] = HostileInputEndToEndTests.response(id) { $0["identity"] = ["idToken": token] }
        }
        let gone = ["gone-id", "gone-r1", "gone-r2"]
        try await producer.send(submitted.map { KafkaOutboundMessage.submission(key: $0.key, value: $0.value) })
        try await Self.waitFor("all 13 stored in reporting", harness) {
            try await Self.count(database, "SELECT count(*) AS n FROM reporting.feedback WHERE agency = 'SSA'") == 13
        }
        let respondent: String = try #require(
            try await database.query("SELECT respondent FROM reporting.feedback WHERE event_id = 'gone-r1'").first?.require("respondent")
        )
        // What the stages forwarded, to replay later from each internal topic.
        let accepted = try await harness.readTopic(CivicTopic.accepted, as: FeedbackEvent.self, atLeast: 13)
        let verified = try await harness.readTopic(CivicTopic.verified, as: FeedbackEvent.self, atLeast: 13)
        let scored = try await harness.readTopic(CivicTopic.scored, as: FeedbackEvent.self, atLeast: 13)

        let (status, output) = try harness.runTool(
            "reporting",
            ["delete", "--agency", "SSA", "--event-id", "gone-id", "--respondent", respondent, "--reason", "the respondent asked"]
        )
        #expect(status == 0, "\(output)")
        #expect(output.contains("deleted 3"), "\(output)")

        // Every stage deletes the rows and keeps a tombstone for each.
        try await Self.waitFor("the erasure applied by every stage", harness) {
            let rows = try await Self.rows(of: gone, in: database)
            let tombstones = try await Self.tombstones(of: gone, in: database)
            return rows == 0 && tombstones == 3 * Self.schemas.count
        }
        let figures = try await Self.responses(harness, agency: "SSA")
        #expect(figures == 10)

        // Replays from every topic: the submissions again, and each stage's input replayed, each followed by a
        // canary on the same key (so it is read after them) that must arrive.
        let encoder = CivicJSON.makeEncoder()
        try await producer.send(
            gone.compactMap { id in submitted[id].map { KafkaOutboundMessage.submission(key: "replay", value: $0) } }
        )
        try await producer.send([
            KafkaOutboundMessage.submission(key: "replay", value: HostileInputEndToEndTests.response("canary-submitted"))
        ])
        for (topic, events, table) in [
            (CivicTopic.accepted, accepted, "identity.verifications"), (CivicTopic.verified, verified, "scorer.scores"),
            (CivicTopic.scored, scored, "reporting.feedback"),
        ] {
            let replays = events.filter { gone.contains($0.eventId) }
            #expect(replays.count == 3, "\(topic)")
            var canary = try #require(events.first { $0.eventId == "keep-0" })
            canary.eventId = "canary-\(topic)"
            try await producer.send(
                try (replays + [canary]).map { KafkaOutboundMessage(topic: topic, key: "replay", value: Array(try encoder.encode($0))) }
            )
            try await Self.waitFor("the canary after the replays on \(topic)", harness) {
                try await Self.count(database, "SELECT count(*) AS n FROM \(table) WHERE event_id = 'canary-\(topic)'") == 1
            }
        }
        // Every canary flows on to reporting: 10 kept responses and 4 canaries are counted, the erased never.
        try await Self.waitFor("every canary in reporting", harness) {
            try await Self.count(database, "SELECT count(*) AS n FROM reporting.feedback WHERE event_id LIKE 'canary-%'") == 4
        }
        #expect(try await Self.rows(of: gone, in: database) == 0)
        #expect(try await Self.responses(harness, agency: "SSA") == 14)

        // The retention schedule: keep-2's rows are backdated past 3 years in every stage; each service's
        // `purge` command deletes them (tombstones kept), and reporting's figures do not change.
        for (table, column) in [
            ("intake.responses", "received_at"), ("identity.verifications", "verified_at"), ("scorer.scores", "scored_at"),
            ("reporting.feedback", "stored_at"),
        ] {
            try await database.query("UPDATE \(table) SET \(column) = now() - interval '4 years' WHERE agency = 'SSA' AND event_id = 'keep-2'")
        }
        for service in PipelineHarness.services {
            let (status, output) = try harness.runTool(service, ["purge"])
            #expect(status == 0, "\(service) purge: \(output)")
        }
        #expect(try await Self.rows(of: ["keep-2"], in: database) == 0)
        #expect(try await Self.tombstones(of: ["keep-2"], in: database) == Self.schemas.count)
        #expect(try await Self.responses(harness, agency: "SSA") == 14)

        // Hostile erasure requests are set aside by every stage, which then applies the next one. The last three
        // are well-formed but not reporting's: unsigned, signed by another key (forged), and signed by reporting's
        // key but altered afterwards (another event id). Every stage dead-letters them as unauthenticated and
        // erases nothing; the properly signed request after them still erases.
        let key = harness.erasureKey
        var altered = try key.sign(Self.unsigned(["keep-4"], agency: "SSA"))
        altered.eventIds = ["keep-5"]
        let unauthenticated: [[UInt8]] = [
            Array(try CivicJSON.makeEncoder().encode(Self.unsigned(["keep-3"], agency: "SSA"))),
            try Self.request(["keep-4"], agency: "SSA", signedBy: EventSigningKey()),
            Array(try CivicJSON.makeEncoder().encode(altered)),
        ]
        let hostile: [[UInt8]] = [
            Array("not json".utf8),
            try Self.request(["keep-1"], agency: "SSA\u{0}", signedBy: key),
            try Self.request([], agency: "SSA", signedBy: key),
            try Self.request(Array(repeating: "x", count: ErasureRequest.maxEventIds + 1), agency: "SSA", signedBy: key),
        ]
        try await producer.send((hostile + unauthenticated).map { KafkaOutboundMessage(topic: CivicTopic.erasures, key: "SSA", value: $0) })
        try await producer.send([
            KafkaOutboundMessage(topic: CivicTopic.erasures, key: "SSA", value: try Self.request(["keep-0"], agency: "SSA", signedBy: key))
        ])
        try await Self.waitFor("keep-0 erased after the hostile requests", harness) {
            let rows = try await Self.rows(of: ["keep-0"], in: database)
            let tombstones = try await Self.tombstones(of: ["keep-0"], in: database)
            return rows == 0 && tombstones == Self.schemas.count
        }
        let expectedRejections = (hostile.count + unauthenticated.count) * Self.schemas.count
        let rejected = try await harness.readTopic(CivicTopic.rejected, as: RejectedFeedback.self, atLeast: expectedRejections) {
            $0.source.topic == CivicTopic.erasures
        }
        let setAside = rejected.filter { $0.source.topic == CivicTopic.erasures }
        #expect(setAside.count == expectedRejections)
        let refused = setAside.filter { $0.code == .unauthenticatedRequest }
        #expect(refused.count == unauthenticated.count * Self.schemas.count, "\(refused.map(\.reason))")
        for service in PipelineHarness.services {
            #expect(refused.filter { $0.stage == "\(service)-erasure" }.count == unauthenticated.count, "\(service)")
        }
        #expect(refused.contains { $0.reason.contains("carries no signature") })
        #expect(refused.contains { $0.reason.contains("which is not trusted here") })
        #expect(refused.contains { $0.reason.contains("does not verify") })
        #expect(try await Self.rows(of: ["keep-1"], in: database) == Self.eventTables.count)
        for id in ["keep-3", "keep-4", "keep-5"] {
            #expect(try await Self.rows(of: [id], in: database) == Self.eventTables.count, "\(id) was erased by a request that is not reporting's")
            #expect(try await Self.tombstones(of: [id], in: database) == 0, "\(id)")
        }
        // keep-0 erased: 13 counted; the refused requests took nothing from the figures.
        #expect(try await Self.responses(harness, agency: "SSA") == 13)
        for service in PipelineHarness.services {
            #expect(try await harness.get(service, path: "/ready").0 == 200, "\(service)")
        }
        await producer.close()
        _ = await harness.stopAll()
    }

    @Test func topicsThatCarryIdentityTokensKeepThemOnlyHours() async throws {
        let harness = try await PipelineHarness()
        try await harness.start("survey-intake")  // creates every topic
        let script = """
            import sys
            from confluent_kafka.admin import AdminClient, ConfigResource
            admin = AdminClient({"bootstrap.servers": sys.argv[1]})
            for topic in sys.argv[2:]:
                for future in admin.describe_configs([ConfigResource("topic", topic)]).values():
                    entry = future.result().get("retention.ms")
                    print(topic, entry.value if entry is not None else "unset")
            """
        let output = try PipelineHarness.runPython(["-c", script, harness.broker.bootstrapServers] + CivicTopic.all)
        var retention: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { retention[String(parts[0])] = String(parts[1]) }
        }
        #expect(retention.count == CivicTopic.all.count, "\(output)")
        for topic in CivicTopic.all {
            if CivicTopic.carryingIdentityTokens.contains(topic) {
                #expect(retention[topic] == String(72 * 3_600_000), "\(topic): \(retention[topic] ?? "missing")")
            } else {
                #expect(retention[topic] != String(72 * 3_600_000), "\(topic) carries no token: the broker's retention applies")
            }
        }
        _ = await harness.stopAll()
    }

    static func producer(_ harness: PipelineHarness) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "erasure-e2e")
        )
        configuration.flushTimeoutMilliseconds = 5_000
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    /// An erasure request for SSA's `ids`, signed by `key`, as a message value.
    static func request(_ ids: [String], agency: String, signedBy key: EventSigningKey) throws -> [UInt8] {
        Array(try CivicJSON.makeEncoder().encode(try key.sign(unsigned(ids, agency: agency))))
    }

    /// An unsigned erasure request.
    static func unsigned(_ ids: [String], agency: String) -> ErasureRequest {
        ErasureRequest(requestId: UUID().uuidString, agency: agency, eventIds: ids, reason: "test", requestedBy: "erasure-e2e", requestedAt: Date())
    }

    static func count(_ database: PostgresClient, _ sql: String) async throws -> Int {
        Int(try await database.query(sql).first?.require("n", as: Int64.self) ?? -1)
    }

    /// Rows of SSA's `ids` in every stage's event tables.
    static func rows(of ids: [String], in database: PostgresClient) async throws -> Int {
        var total = 0
        for table in eventTables {
            let rows = try await database.query(
                "SELECT count(*) AS n FROM \(table) WHERE agency = 'SSA' AND event_id = ANY($1::text[])",
                [PostgresTextArray(ids)]
            )
            total += Int(try rows.first?.require("n", as: Int64.self) ?? 0)
        }
        return total
    }

    /// Tombstones of SSA's `ids` in every stage's schema.
    static func tombstones(of ids: [String], in database: PostgresClient) async throws -> Int {
        var total = 0
        for schema in schemas {
            let rows = try await database.query(
                "SELECT count(*) AS n FROM \(schema).erased_events WHERE agency = 'SSA' AND event_id = ANY($1::text[])",
                [PostgresTextArray(ids)]
            )
            total += Int(try rows.first?.require("n", as: Int64.self) ?? 0)
        }
        return total
    }

    /// The responses reporting's API counts for `agency`, over every cell.
    static func responses(_ harness: PipelineHarness, agency: String) async throws -> Int {
        let (status, body) = try await harness.get("reporting", path: "/v1/reports?agency=\(agency)")
        #expect(status == 200)
        let payload = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let reports = try #require(payload["reports"] as? [[String: Any]])
        return reports.compactMap { ($0["responses"] as? NSNumber)?.intValue }.reduce(0, +)
    }

    static func waitFor(_ what: String, _ harness: PipelineHarness, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("timed out waiting for \(what); reporting log: \(harness.logTail("reporting"))")
        throw TestEnvironmentError("timed out waiting for \(what)")
    }
}
