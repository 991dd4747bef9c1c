import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// No PII at rest, through the four real services: responses carrying known PII markers and a real id_token,
/// valid and invalid, go through the pipeline; then every row of every table of every schema is read as text
/// and none holds a marker or the token in clear. Topics may carry the raw submission to identity-verify (with
/// the broker's retention); the rejected topic carries the input without its token.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct PIIAtRestEndToEndTests {
    static let logger = Logger(label: "pii-e2e")

    /// What must never be stored in clear: the comment's PII, in every shape the redactor knows.
    static let comment =
        "My SSN is 123-45-6789 and my card 4111 1111 1111 1111; write to pii.marker@example.com, call (202) 555-0143, or visit 1600 Pennsylvania Ave NW."
    static let markers = ["123-45-6789", "4111 1111 1111 1111", "pii.marker@example.com", "555-0143", "1600 Pennsylvania"]

    @Test func noMarkerAndNoTokenIsStoredInAnyTable() async throws {
        let harness = try await PipelineHarness()
        try await harness.startAll()
        let token = try harness.mintToken(subject: "pii-subject-marker", agency: "SSA")
        let requestToken = try harness.mintToken(subject: "pii-subject-marker", agency: "IRS")
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "pii-e2e")
        )
        configuration.flushTimeoutMilliseconds = 5_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        let valid = HostileInputEndToEndTests.response("pii-valid") {
            $0["comment"] = Self.comment
            $0["identity"] = ["idToken": token]
        }
        let outOfRange = HostileInputEndToEndTests.response("pii-invalid") {
            $0["comment"] = Self.comment
            $0["identity"] = ["idToken": token]
            $0["answers"] = ["trust": ["scale": "thumbs", "value": 7]]
        }
        let notJSON = Array("{\"comment\": \"\(Self.comment)\", \"identity\": {\"idToken\": \"\(token)\"".utf8)
        try await producer.send([
            KafkaOutboundMessage.submission(key: "pii-valid", value: valid),
            KafkaOutboundMessage.submission(key: "pii-invalid", value: outOfRange),
            KafkaOutboundMessage.submission(key: "pii-not-json", value: notJSON),
            KafkaOutboundMessage(
                topic: CivicTopic.identityRequests,
                key: "r",
                value: Array(
                    try CivicJSON.makeEncoder().encode(
                        IdentityRequest(correlationId: "pii-req", idToken: requestToken, agency: "IRS", requestedAt: Date())
                    )
                )
            ),
        ])
        await producer.close()

        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        // The valid response reaches reporting; the identity request is answered.
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            let rows = try? await database.query(
                "SELECT (SELECT count(*) FROM reporting.feedback WHERE event_id = 'pii-valid') + (SELECT count(*) FROM identity.requests) AS n"
            )
            if (try? rows?.first?.require("n", as: Int.self)) == 2 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let rejected = try await harness.readTopic(CivicTopic.rejected, as: RejectedFeedback.self, atLeast: 2)

        // Every table of every schema, every row as text.
        let tables = try await database.query(
            """
            SELECT table_schema AS s, table_name AS t FROM information_schema.tables
                WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            """
        ).rows.map { (try $0.require("s", as: String.self), try $0.require("t", as: String.self)) }
        let schemas = Set(tables.map(\.0))
        #expect(schemas.isSuperset(of: ["intake", "identity", "scorer", "reporting"]), "\(schemas)")
        var scanned = 0
        var stored: [String: String] = [:]
        for (schema, table) in tables {
            let rows = try await database.query("SELECT t::text AS row FROM \"\(schema)\".\"\(table)\" t")
            for row in rows.rows {
                let text = try row.require("row", as: String.self)
                scanned += 1
                stored["\(schema).\(table)", default: ""] += text + "\n"
                for marker in Self.markers + [token, requestToken, "pii-subject-marker"] {
                    #expect(!text.contains(marker), "\(schema).\(table) holds \(marker.prefix(40)) in clear: \(text.prefix(300))")
                }
                #expect(!text.contains("eyJ"), "\(schema).\(table) holds something token-shaped: \(text.prefix(300))")
            }
        }
        // A bytea column prints as hex in a row's text: read each one with its printable bytes as they are.
        let binary = try await database.query(
            """
            SELECT table_schema AS s, table_name AS t, column_name AS c FROM information_schema.columns
                WHERE data_type = 'bytea' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            """
        ).rows.map { (try $0.require("s", as: String.self), try $0.require("t", as: String.self), try $0.require("c", as: String.self)) }
        for (schema, table, column) in binary {
            let rows = try await database.query("SELECT encode(\"\(column)\", 'escape') AS v FROM \"\(schema)\".\"\(table)\"")
            for row in rows.rows {
                let text = try row.decode("v", as: String.self) ?? ""
                for marker in Self.markers + [token, requestToken, "pii-subject-marker"] {
                    #expect(!text.contains(marker), "\(schema).\(table).\(column) holds \(marker.prefix(40)) in clear")
                }
            }
        }
        // The scan saw the rows it should have: the stored response (redacted), its verification, score and
        // figures, both stored rejections, and the identity request's audit row.
        #expect(stored["intake.responses"]?.contains("[SSN]") == true, "\(stored["intake.responses"] ?? "none")")
        #expect(stored["reporting.feedback"]?.contains("[EMAIL]") == true, "\(stored["reporting.feedback"] ?? "none")")
        #expect(stored["intake.rejections"]?.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 2)
        #expect(stored["identity.verifications"]?.contains("pii-valid") == true)
        #expect(stored["scorer.scores"]?.contains("pii-valid") == true)
        #expect(stored["identity.requests"]?.contains("pii-req") == true)
        #expect(scanned > 10)

        // The rejected topic: what the integrator sent, comment included, but never the token.
        let mine = rejected.filter { $0.eventId == "pii-invalid" || $0.code == .notJSON }
        #expect(mine.count == 2, "\(rejected.map { ($0.eventId, $0.code) })")
        for record in mine {
            let original = String(decoding: Data(base64Encoded: record.original) ?? Data(), as: UTF8.self)
            #expect(original.contains("123-45-6789"), "the integrator gets the input to fix and resend")
            #expect(!original.contains(token) && !original.contains("eyJ"), "\(original)")
            #expect(original.contains("\"identity\":\"[REMOVED]\"") || original.contains("\"identity\": \"[REMOVED]\""), "\(original)")
        }
        _ = await harness.stopAll()
        await harness.broker.kill()
    }
}
