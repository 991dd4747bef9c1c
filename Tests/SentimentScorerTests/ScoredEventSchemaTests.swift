import CivicKafka
import CivicModels
import CivicPostgres
import CivicSentiment
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import SentimentScorer

/// The scorer stage's real output, against the committed scored-event schema (check-jsonschema from the venv).
@Suite(.hangGuard)
struct ScoredEventSchemaTests {
    static let logger = Logger(label: "scorer-schema-tests")

    private func verified(_ id: String, comment: String?, locale: String?) throws -> KafkaConsumerMessage {
        var event = FeedbackEvent(
            schema: SchemaVersion.verified,
            eventId: id,
            occurredAt: FixtureTime.now,
            agency: "IRS",
            service: "free-file",
            channel: .web,
            form: .a11v2,
            answers: Answers(trust: .thumbs(1), recommend: 9),
            comment: comment,
            locale: locale
        )
        event.receivedAt = FixtureTime.now
        event.respondent = Respondent(status: .verified, pseudonym: "p-\(id)", ial: "IAL2", aal: "AAL2")
        let bytes = Array(try CivicJSON.makeEncoder().encode(event))
        return KafkaConsumerMessage(topic: CivicTopic.verified, partition: 0, offset: 0, key: Array(id.utf8), value: bytes)
    }

    @Test func everyOutputValidatesAgainstTheScoredSchema() async throws {
        let server = try await TestPostgres.shared()
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: try await server.makeDatabase(prefix: "scorer")),
            logger: Self.logger
        )
        defer { client.close() }
        try await ScoreStore.migrations.apply(using: client, logger: Self.logger)
        let handler = ScoringHandler(scorer: try CommentScorer(), store: ScoreStore(client: client), logger: Self.logger)
        let outputs = try await handler.handle([
            try verified("en", comment: "Filing was quick and the help text was clear.", locale: "en-US"),
            try verified("none", comment: nil, locale: "en-US"),
            try verified("es", comment: "Muy buen servicio, gracias.", locale: "es-US"),
        ])
        #expect(outputs.map(\.topic) == [CivicTopic.scored, CivicTopic.scored, CivicTopic.scored])
        let events = try outputs.map { try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data($0.value)) }
        #expect(events.map { $0.sentiment != nil } == [true, false, false])
        #expect(events.map { $0.scorer?.unscoredReason } == [nil, .noComment, .nonEnglishLocale])
        let schema = RepositoryLayout.root.appendingPathComponent("contracts/schemas/cx.feedback.scored.v1.schema.json")
        let tool = RepositoryLayout.runtime.appendingPathComponent("venv/bin/check-jsonschema")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scorer-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, output) in outputs.enumerated() {
            let instance = folder.appendingPathComponent("event-\(index).json")
            try Data(output.value).write(to: instance)
            let log = folder.appendingPathComponent("output-\(index)")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            let process = Process()
            process.executableURL = tool
            process.arguments = ["--schemafile", schema.path, instance.path]
            process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            process.waitUntilExit()
            try handle.close()
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "output \(index) was refused:\n\(text)")
        }
    }
}
