import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// reporting as operators run it (the real executable, a real broker and PostgreSQL), fed a seeded data set
/// on cx.feedback.scored.v1 and cx.operations.v1: every figure of GET /v1/reports equals the test's own
/// recomputation; a replay changes nothing; `reporting rebuild` gives the same figures, also after the
/// aggregates are deleted.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct ReportingRecomputationTests {
    static let logger: Logger = {
        var logger = Logger(label: "reporting-recomputation")
        logger.logLevel = .warning
        return logger
    }()

    /// The queries checked, with the expectation each must equal.
    static let variants: [(path: String, expectation: ReportingExpectation)] = [
        ("/v1/reports", ReportingExpectation()),
        ("/v1/reports?groupBy=service,channel", ReportingExpectation(byService: true, byChannel: true)),
        ("/v1/reports?groupBy=service&agency=IRS", ReportingExpectation(byService: true, agency: "IRS")),
        (
            "/v1/reports?agency=IRS&fiscalYear=2027&quarter=2&groupBy=channel",
            ReportingExpectation(byChannel: true, agency: "IRS", fiscalYear: 2027, quarter: 2)
        ),
        ("/v1/reports?groupBy=channel&trend=false&level=transaction", ReportingExpectation(byChannel: true, trend: false)),
    ]

    @Test func everyFigureMatchesAnIndependentRecomputationThroughReplayAndRebuild() async throws {
        let harness = try await PipelineHarness()
        try await harness.start("reporting")
        let data = ReportingDataSet(seed: 2026_11_22)
        let producer = try makeProducer(harness)
        var published = 0
        try await publish(data, with: producer)
        let markers = ReportingDataSet.markers(round: 1)
        try await publish(markers, with: producer)
        published += data.responses.count + data.contacts.count + markers.responses.count + markers.contacts.count
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        try await waitUntilStored(published, database: database, harness: harness)

        let responses = (data.responses + markers.responses).map(\.event)
        let contacts = (data.contacts + markers.contacts).map(\.event)
        // The data set has what the test is about: suppressed cells, trends, spam, both forms.
        #expect(responses.contains { $0.spam?.flagged == true })
        #expect(responses.contains { $0.form == .a11v1 } && responses.contains { $0.form == .a11v2 })
        var rounds: [[String: [String: [String: Any]]]] = []
        rounds.append(try await checkEveryVariant(harness, responses: responses, contacts: contacts))
        let overall = try #require(rounds[0]["/v1/reports"])
        #expect(overall.values.contains { $0["suppressed"] as? Bool == true }, "VA's cells are under the minimum")
        #expect(overall.values.contains { $0["trend"] != nil }, "Q2 rows carry a trend")

        // A replay of part of the data (an upstream crash before its offset commit) changes nothing.
        var replay = ReportingDataSet.markers(round: 2)
        replay.responses = Array(data.responses.prefix(400)) + replay.responses
        replay.contacts = Array(data.contacts.prefix(150)) + replay.contacts
        try await publish(replay, with: producer)
        await producer.close()
        try await waitUntilStored(published + 2 * ReportingDataSet.keys.count, database: database, harness: harness)
        let withSecondMarkers = responses + ReportingDataSet.markers(round: 2).responses.map(\.event)
        let contactsWithSecondMarkers = contacts + ReportingDataSet.markers(round: 2).contacts.map(\.event)
        rounds.append(try await checkEveryVariant(harness, responses: withSecondMarkers, contacts: contactsWithSecondMarkers))
        for (path, rows) in rounds[1] {
            // Only the MARKER rows may differ from before the replay (they gained the second round's markers).
            let before = rounds[0][path] ?? [:]
            for (label, row) in rows where !label.hasPrefix("MARKER") {
                #expect(JSONComparison.differences(before[label] as Any, row).isEmpty, "\(path) \(label) changed after a replay")
            }
        }

        // `reporting rebuild` while the service runs: the same figures.
        let summary = try runRebuild(harness)
        #expect(summary.contains("read \(withSecondMarkers.count) responses"), "\(summary)")
        _ = try await checkEveryVariant(harness, responses: withSecondMarkers, contacts: contactsWithSecondMarkers)
        // And after the aggregates are deleted by hand, with the versions the kept bodies rest on moved, as every
        // change made outside the service must (docs/services/reporting.md).
        try await database.withTransaction { connection in
            _ = try await connection.query("DELETE FROM reporting.cell_measures")
            _ = try await connection.query("UPDATE reporting.cell_versions SET version = version + 1")
        }
        let (_, emptied) = try await harness.get("reporting", path: "/v1/reports")
        #expect(try rows(emptied).isEmpty)
        _ = try runRebuild(harness)
        _ = try await checkEveryVariant(harness, responses: withSecondMarkers, contacts: contactsWithSecondMarkers)

        // A bad parameter is refused with the parameter named.
        let (status, body) = try await harness.get("reporting", path: "/v1/reports?quarter=5")
        #expect(status == 400)
        let error = try JSONSerialization.jsonObject(with: body) as? [String: String]
        #expect(error?["field"] == "quarter")
        #expect(error?["reason"] == "quarter: \"5\" is not a whole number in 1...4")
        _ = await harness.stopAll()
    }

    // MARK: - Steps

    private func makeProducer(_ harness: PipelineHarness) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "reporting-recomputation")
        )
        configuration.flushTimeoutMilliseconds = 5_000
        return try KafkaProducer(configuration: configuration, logger: Self.logger)
    }

    private func publish(_ data: ReportingDataSet, with producer: KafkaProducer) async throws {
        let encoder = CivicJSON.makeEncoder()
        var messages = try data.responses.map {
            KafkaOutboundMessage(topic: CivicTopic.scored, key: $0.key, value: Array(try encoder.encode($0.event)))
        }
        messages += try data.contacts.map {
            KafkaOutboundMessage(topic: CivicTopic.operations, key: $0.key, value: Array(try encoder.encode($0.event)))
        }
        for start in stride(from: 0, to: messages.count, by: 200) {
            try await producer.send(Array(messages[start..<min(start + 200, messages.count)]))
        }
    }

    /// Waits until reporting has stored `count` distinct events (rows and aggregates commit together).
    private func waitUntilStored(_ count: Int, database: PostgresClient, harness: PipelineHarness) async throws {
        let deadline = ContinuousClock.now + TestPatience.hang
        var stored = 0
        while ContinuousClock.now < deadline {
            let rows = try await database.query(
                "SELECT (SELECT count(*) FROM reporting.feedback) + (SELECT count(*) FROM reporting.operations) AS n"
            )
            stored = try rows.first?.require("n", as: Int.self) ?? 0
            if stored >= count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(stored == count, "reporting stored \(stored) of \(count) events\n\(harness.logTail("reporting"))")
    }

    /// GETs every variant and compares it with the recomputation; returns the rows by variant and label.
    private func checkEveryVariant(
        _ harness: PipelineHarness,
        responses: [FeedbackEvent],
        contacts: [OperationsEvent]
    ) async throws -> [String: [String: [String: Any]]] {
        var result: [String: [String: [String: Any]]] = [:]
        var (complements, figures) = (0, 0)
        defer {
            // Complements withhold a minority of what the recomputation would show.
            #expect(complements * 4 < figures, "\(complements) of \(figures) figures withheld as complements")
        }
        for (path, expectation) in Self.variants {
            let (status, body) = try await harness.get("reporting", path: path)
            #expect(status == 200, "\(path): \(String(decoding: body, as: UTF8.self))")
            let actual = try rows(body)
            var labelled: [String: [String: Any]] = [:]
            for row in actual {
                let cell = ReportingExpectation.Cell(
                    agency: row["agency"] as? String ?? "?",
                    service: row["service"] as? String,
                    channel: row["channel"] as? String,
                    fiscalYear: (row["fiscalYear"] as? NSNumber)?.intValue ?? 0,
                    quarter: (row["quarter"] as? NSNumber)?.intValue ?? 0
                )
                #expect(labelled[cell.label] == nil, "\(path): \(cell.label) appears twice")
                labelled[cell.label] = row
            }
            let expected = expectation.rows(responses: responses, contacts: contacts)
            #expect(Set(labelled.keys) == Set(expected.keys), "\(path): rows differ")
            // Every figure shown is exactly the recomputed one, and nothing is shown that its own n would
            // withhold; a figure the recomputation shows may be withheld as a complement (complementary
            // suppression, whose safety ComplementarySuppressionTests proves), counted here.
            for (label, row) in expected {
                var withheld: [String] = []
                let differences = JSONComparison.differences(row, labelled[label] as Any, withheld: &withheld)
                #expect(differences.isEmpty, "\(path) \(label):\n\(differences.prefix(10).joined(separator: "\n"))")
                complements += withheld.count
                figures += JSONComparison.leaves(row)
            }
            result[path] = labelled
        }
        return result
    }

    private func rows(_ body: Data) throws -> [[String: Any]] {
        let payload = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect((payload["minimumCellSize"] as? NSNumber)?.intValue == ReportingDataSet.minimumCellSize)
        return try #require(payload["reports"] as? [[String: Any]])
    }

    /// Runs `reporting rebuild` against the test database and returns what it printed.
    private func runRebuild(_ harness: PipelineHarness) throws -> String {
        let (status, text) = try harness.runTool("reporting", ["rebuild"])
        #expect(status == 0, "reporting rebuild failed: \(text)")
        return text
    }
}

/// Compares JSON values (as JSONSerialization reads them) with an expectation built from Swift values:
/// same keys, same strings and booleans, numbers equal within 1e-9 (relative).
enum JSONComparison {
    static func differences(_ expected: Any, _ actual: Any, at path: String = "") -> [String] {
        var withheld: [String]?
        return differences(expected, actual, at: path, withheld: &withheld)
    }

    /// The same, tolerating what complementary suppression withholds: a member missing from `actual`, or a
    /// row or its operations marked suppressed; each goes into `withheld` instead.
    static func differences(_ expected: Any, _ actual: Any, at path: String = "", withheld: inout [String]) -> [String] {
        var tolerated: [String]? = withheld
        defer { withheld = tolerated ?? [] }
        return differences(expected, actual, at: path, withheld: &tolerated)
    }

    /// How many numbers `value` holds.
    static func leaves(_ value: Any) -> Int {
        switch value {
        case let object as [String: Any]: object.values.map(leaves).reduce(0, +)
        case let array as [Any]: array.map(leaves).reduce(0, +)
        case is Int, is Double: 1
        default: 0
        }
    }

    private static func differences(_ expected: Any, _ actual: Any, at path: String, withheld: inout [String]?) -> [String] {
        switch expected {
        case let object as [String: Any]:
            guard let other = actual as? [String: Any] else { return ["\(path): expected an object, got \(actual)"] }
            var found: [String] = []
            for key in Set(object.keys).union(other.keys).sorted() {
                if withheld != nil, ["suppressed", "operationsSuppressed"].contains(key), object[key] as? Bool == false,
                    other[key] as? Bool == true
                {
                    withheld?.append("\(path).\(key)")
                    continue
                }
                switch (object[key], other[key]) {
                case (let value?, let otherValue?): found += differences(value, otherValue, at: "\(path).\(key)", withheld: &withheld)
                case (let value?, nil) where withheld != nil: withheld?.append("\(path).\(key): \(value)")
                case (let value?, nil): found.append("\(path).\(key): missing, expected \(value)")
                case (nil, let otherValue?): found.append("\(path).\(key): unexpected \(otherValue)")
                case (nil, nil): break
                }
            }
            return found
        case let string as String:
            return actual as? String == string ? [] : ["\(path): expected \(string), got \(actual)"]
        case let flag as Bool:
            return actual as? Bool == flag ? [] : ["\(path): expected \(flag), got \(actual)"]
        case let number as Int:
            return (actual as? NSNumber)?.doubleValue == Double(number) ? [] : ["\(path): expected \(number), got \(actual)"]
        case let number as Double:
            guard let other = (actual as? NSNumber)?.doubleValue else { return ["\(path): expected \(number), got \(actual)"] }
            return abs(other - number) <= 1e-9 * max(1, abs(number)) ? [] : ["\(path): expected \(number), got \(other)"]
        default:
            return ["\(path): cannot compare \(expected)"]
        }
    }
}
