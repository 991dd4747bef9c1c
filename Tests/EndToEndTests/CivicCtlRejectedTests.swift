import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// `civicctl rejected` as an integrator runs it against the real four services: list the rejections of an
/// agency and code, fix them with a JSON Patch and replay them; they arrive in reporting counted once, a
/// second replay is refused by the ledger (and, past the ledger, de-duplicated by intake), and a replay that
/// is still wrong says it was rejected again.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct CivicCtlRejectedTests {
    static let logger = Logger(label: "civicctl-rejected-e2e")

    @Test func aRejectedBatchFixedAndReplayedArrivesCountedOnce() async throws {
        let harness = try await PipelineHarness()
        try await harness.startAll()
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "rejected-e2e")
        )
        configuration.flushTimeoutMilliseconds = 5_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        let wrong: (String) -> [UInt8] = { id in
            HostileInputEndToEndTests.response(id) { $0["answers"] = ["trust": ["scale": "thumbs", "value": 7]] }
        }
        try await producer.send([
            KafkaOutboundMessage.submission(key: "fix-1", value: wrong("fix-1")),
            KafkaOutboundMessage.submission(key: "fix-2", value: wrong("fix-2")),
            KafkaOutboundMessage.submission(key: "other", value: Array("not json".utf8)),
        ])
        await producer.close()
        _ = try await harness.readTopic(CivicTopic.rejected, as: RejectedFeedback.self, atLeast: 3)

        let work = harness.workDirectory
        let (listed, list) = try civicctl(harness, ["rejected", "list", "--agency", "SSA", "--code", "out_of_range"])
        #expect(listed == 0, "\(list)")
        let lines = list.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(list)")
        let ids = lines.compactMap { $0.split(separator: "\t").first.map(String.init) }
        let (shown, show) = try civicctl(harness, ["rejected", "show", ids[0]])
        #expect(shown == 0 && show.contains("answers.trust.value") && show.contains("\"value\":7"), "\(show)")

        let patch = work.appendingPathComponent("fix.json")
        try Data(#"[{"op": "test", "path": "/answers/trust/value", "value": 7}, {"op": "replace", "path": "/answers/trust/value", "value": 1}]"#.utf8)
            .write(to: patch)
        let ledger = work.appendingPathComponent("ledger").path
        let (replayed, replay) = try civicctl(harness, ["rejected", "replay"] + ids + ["--patch", patch.path, "--ledger", ledger, "--wait", "4"])
        #expect(replayed == 0, "\(replay)")
        #expect(replay.components(separatedBy: "resubmitted as event").count == 3, "\(replay)")

        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        func counted() async throws -> Int64 {
            try await database.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id IN ('fix-1', 'fix-2')").first?.require("n") ?? -1
        }
        let deadline = ContinuousClock.now + TestPatience.hang
        while try await counted() < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(250)) }
        #expect(try await counted() == 2)

        // Again with the same ledger: refused. Past the ledger: intake takes them for duplicates.
        let (_, again) = try civicctl(harness, ["rejected", "replay"] + ids + ["--patch", patch.path, "--ledger", ledger, "--wait", "0"])
        #expect(again.components(separatedBy: "already replayed").count == 3, "\(again)")
        _ = try civicctl(harness, ["rejected", "replay", ids[0], "--patch", patch.path, "--ledger", ledger + "-2", "--wait", "0"])
        // Unpatched, it is rejected again, and says so.
        let (_, still) = try civicctl(harness, ["rejected", "replay", ids[1], "--ledger", ledger + "-3", "--wait", "4"])
        #expect(still.contains("rejected again") && still.contains("out_of_range"), "\(still)")
        try await Task.sleep(for: .seconds(3))
        #expect(try await counted() == 2, "a replay was counted twice")
        _ = await harness.stopAll()
    }

    private func civicctl(_ harness: PipelineHarness, _ arguments: [String]) throws -> (Int32, String) {
        try harness.runTool("civicctl", arguments + ["--bootstrap", harness.broker.bootstrapServers])
    }
}
