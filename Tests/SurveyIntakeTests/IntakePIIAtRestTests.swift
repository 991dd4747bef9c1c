import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Crypto
import Foundation
import Logging
import Testing

@testable import SurveyIntake

/// No identity token and no unredacted free text in intake's tables: a stored response's comment is redacted
/// (the forwarded one is not: identity-verify needs it), and a stored rejection keeps code, reason, field, size,
/// digest and a redacted excerpt, never the bytes; the rejected topic keeps the input minus its token.
@Suite(.hangGuard)
struct IntakePIIAtRestTests {
    static let logger = Logger(label: "pii-at-rest-tests")
    static let comment = "My SSN is 123-45-6789, write to jane.doe@example.com or call (202) 555-0143."
    static let markers = ["123-45-6789", "jane.doe@example.com", "555-0143"]
    static let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJTVUJKRUNULU1BUktFUiJ9.c2lnbmF0dXJlLWJ5dGVz"

    private func handler() async throws -> (IntakeHandler, PostgresClient) {
        let client = try await TestPostgres.shared().migratedClient(prefix: "piirest", IntakeStore.migrations, logger: Self.logger)
        let registry = AgencyRegistry(client: client)
        try await registry.register([.init(code: "IRS", name: "Internal Revenue Service", services: [.init(code: "free-file", name: "Free File")])])
        let handler = IntakeHandler(
            validator: SubmissionValidator(),
            admission: SubmissionAdmission(agencies: registry, instruments: InstrumentRegistry(client: client)),
            store: IntakeStore(client: client),
            logger: Self.logger,
            clock: { ResponseValidatorTests.now }
        )
        return (handler, client)
    }

    private func message(_ bytes: [UInt8], offset: Int64) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: CivicTopic.submitted(carrying: bytes), partition: 0, offset: offset, key: nil, value: bytes)
    }

    /// Every text column of every row of the `intake` schema, as text.
    private func everyStoredText(_ client: PostgresClient) async throws -> String {
        let rows = try await client.query(
            """
            SELECT string_agg(t::text, E'\\n') AS dump FROM (
                SELECT r::text AS t FROM intake.responses r UNION ALL SELECT j::text FROM intake.rejections j
                UNION ALL SELECT encode(j.original_sha256, 'hex') FROM intake.rejections j
            ) rows
            """
        )
        return try rows.first?.decode("dump", as: String.self) ?? ""
    }

    @Test func anAcceptedResponseIsStoredRedactedAndWithoutItsTokenButForwardedWhole() async throws {
        let (handler, client) = try await handler()
        defer { client.close() }
        let bytes = ResponseValidatorTests.valid {
            $0["comment"] = Self.comment
            $0["identity"] = ["idToken": Self.token]
        }
        let outputs = try await handler.handle([message(bytes, offset: 1)])
        #expect(outputs.map(\.topic) == [CivicTopic.accepted])
        let forwarded = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(outputs[0].value))
        #expect(forwarded.comment == Self.comment, "identity-verify gets the comment as submitted")
        #expect(forwarded.identity?.idToken == Self.token)

        let stored = try await everyStoredText(client)
        for marker in Self.markers + [Self.token, "eyJ"] { #expect(!stored.contains(marker), "\(marker) stored in clear") }
        let payload = try await client.query("SELECT payload::text AS p FROM intake.responses").first?.decode("p", as: String.self)
        let event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data((payload ?? "").utf8))
        #expect(event.comment == "My SSN is [SSN], write to [EMAIL] or call [PHONE].")
        #expect(event.identity == nil)
        // A replay forwards the same bytes and stores nothing new.
        #expect(try await handler.handle([message(bytes, offset: 1)]).map(\.value) == outputs.map(\.value))
    }

    @Test func aRejectionIsStoredAsDigestAndRedactedExcerptAndPublishedWithoutItsToken() async throws {
        let (handler, client) = try await handler()
        defer { client.close() }
        let bytes = ResponseValidatorTests.valid {
            $0["comment"] = Self.comment
            $0["identity"] = ["idToken": Self.token]
            $0["answers"] = ["trust": ["scale": "likert5", "value": 9]]
        }
        // Not JSON at all, with a token pasted in: nothing to parse, the token still goes.
        let garbage = Array("garbage \(Self.token) and 123-45-6789".utf8)
        // A reason that quotes the input (an unknown channel) is stored redacted too.
        let quoting = ResponseValidatorTests.valid {
            $0["eventId"] = "evt-quoting"
            $0["channel"] = "jane.doe@example.com"
        }
        let outputs = try await handler.handle([message(bytes, offset: 1), message(garbage, offset: 2), message(quoting, offset: 3)])
        #expect(outputs.map(\.topic) == [CivicTopic.rejected, CivicTopic.rejected, CivicTopic.rejected])
        let quotedReason = try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data(outputs[2].value)).reason
        #expect(quotedReason.contains("jane.doe@example.com"), "the integrator is told what was wrong")
        let storedReason = try await client.query("SELECT reason FROM intake.rejections WHERE source_offset = 3").first?.decode(
            "reason",
            as: String.self
        )
        #expect(storedReason == "channel: '[EMAIL]' is not one of web, mobile, phone, in-person, email, chat, mail, kiosk")

        let columns = try await client.query(
            "SELECT string_agg(column_name, ',' ORDER BY column_name) AS c FROM information_schema.columns WHERE table_schema = 'intake' AND table_name = 'rejections'"
        )
        let names = try columns.first?.decode("c", as: String.self) ?? ""
        #expect(!names.split(separator: ",").contains("original"), "no raw bytes column: \(names)")

        let rows = try await client.query(
            "SELECT code, field, reason, original_size, original_sha256, excerpt FROM intake.rejections ORDER BY source_offset"
        ).rows
        #expect(rows.count == 3)
        for (row, input) in zip(rows, [bytes, garbage, quoting]) {
            #expect(try row.require("original_size", as: Int.self) == input.count)
            #expect(try row.require("original_sha256", as: [UInt8].self) == Array(SHA256.hash(data: input)))
        }
        #expect(try rows.first?.require("code", as: String.self) == "out_of_range")
        #expect(try rows.first?.decode("field", as: String.self) == "answers.trust.value")
        let excerpt = try rows.first?.require("excerpt", as: String.self) ?? ""
        #expect(excerpt.contains("[SSN]") && excerpt.contains("[EMAIL]") && excerpt.contains("\"identity\":\"[REMOVED]\""), "\(excerpt)")
        #expect(try rows[1].require("excerpt", as: String.self) == "garbage [TOKEN] and [SSN]")
        let stored = try await everyStoredText(client)
        for marker in Self.markers + [Self.token, "eyJ"] { #expect(!stored.contains(marker), "\(marker) stored in clear") }

        // The topic: what the integrator sent, to fix and resend, without the token.
        let decoder = CivicJSON.makeDecoder()
        let records = try outputs.prefix(2).map { try decoder.decode(RejectedFeedback.self, from: Data($0.value)) }
        let published = records.map { String(decoding: Data(base64Encoded: $0.original) ?? Data(), as: UTF8.self) }
        #expect(published[0] == String(decoding: CredentialScrubber.scrub(bytes), as: UTF8.self))
        #expect(published[0].contains(Self.comment.replacingOccurrences(of: "/", with: "\\/")) || published[0].contains(Self.comment))
        #expect(published[1] == "garbage [TOKEN] and 123-45-6789")
        for output in outputs { #expect(!String(decoding: output.value, as: UTF8.self).contains(Self.token)) }
        for text in published { #expect(!text.contains(Self.token) && !text.contains("eyJ")) }
    }

    @Test func migrationSevenKeepsSizeAndDigestOfEarlierRejectionsAndDropsTheirBytes() async throws {
        let earlier = PostgresMigrations(schema: "intake", migrations: Array(IntakeStore.migrations.migrations.prefix(6)))
        let client = try await TestPostgres.shared().migratedClient(prefix: "piimigrate", earlier, logger: Self.logger)
        defer { client.close() }
        let original = Array(#"{"identity":{"idToken":"\#(Self.token)"},"comment":"\#(Self.comment)"}"#.utf8)
        try await client.query(
            """
            INSERT INTO intake.rejections (source_topic, source_partition, source_offset, code, reason, original, rejected_at)
                VALUES ('t', 0, 1, 'not_json', 'x', $1, now())
            """,
            [original]
        )
        #expect(try await IntakeStore.migrations.apply(using: client, logger: Self.logger) == [7, 8, 9, 10, 11, 12])
        let row = try #require(try await client.query("SELECT original_size, original_sha256, excerpt FROM intake.rejections").first)
        #expect(try row.require("original_size", as: Int.self) == original.count)
        #expect(try row.require("original_sha256", as: [UInt8].self) == Array(SHA256.hash(data: original)))
        #expect(try row.decode("excerpt", as: String.self) == nil)
        let stored = try await everyStoredText(client)
        for marker in Self.markers + [Self.token] { #expect(!stored.contains(marker)) }
    }

    @Test func responsesStoredBeforeRedactionAtIntakeAreRedactedAtStartUp() async throws {
        let earlier = PostgresMigrations(schema: "intake", migrations: Array(IntakeStore.migrations.migrations.prefix(7)))
        let client = try await TestPostgres.shared().migratedClient(prefix: "piibackfill", earlier, logger: Self.logger)
        defer { client.close() }
        let withComment = ResponseValidatorTests.valid {
            $0["eventId"] = "old-1"
            $0["comment"] = Self.comment
            $0["identity"] = ["idToken": Self.token]
        }
        let withoutComment = ResponseValidatorTests.valid {
            $0["eventId"] = "old-2"
            $0["comment"] = nil
        }
        let rows = [
            ("old-1", String(decoding: withComment, as: UTF8.self)),
            ("old-2", String(decoding: withoutComment, as: UTF8.self)),
            ("old-3", #"{"comment":"SSN 123-45-6789","odd":true}"#),  // not a readable event
        ]
        for (id, json) in rows {
            try await client.query(
                """
                INSERT INTO intake.responses (event_id, agency, service, channel, occurred_at, received_at, source_topic,
                    source_partition, source_offset, payload) VALUES ($1, 'IRS', 'free-file', 'web', now(), now(), 't', 0, 1, $2::json)
                """,
                [id, json]
            )
        }
        #expect(try await IntakeStore.migrations.apply(using: client, logger: Self.logger) == [8, 9, 10, 11, 12])
        let listed = try await client.query("SELECT event_id FROM intake.unredacted_responses ORDER BY event_id").rows
        #expect(try listed.map { try $0.require("event_id", as: String.self) } == ["old-1", "old-3"], "only payloads with a comment or identity")
        let store = IntakeStore(client: client)
        #expect(try await store.redactStoredComments(batchSize: 1) == 2)
        #expect(try await store.redactStoredComments() == 0, "done once")
        let stored = try await everyStoredText(client)
        for marker in Self.markers + [Self.token] { #expect(!stored.contains(marker), "\(marker) still stored") }
        let payload = try await client.query("SELECT payload::text AS p FROM intake.responses WHERE event_id = 'old-1'").first?.decode(
            "p",
            as: String.self
        )
        let event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data((payload ?? "").utf8))
        #expect(event.comment == "My SSN is [SSN], write to [EMAIL] or call [PHONE].")
        #expect(event.identity == nil && event.eventId == "old-1")
        let odd = try await client.query("SELECT payload::text AS p FROM intake.responses WHERE event_id = 'old-3'").first?.decode(
            "p",
            as: String.self
        )
        #expect(odd == #"{"comment":"SSN [SSN]","odd":true}"#)
    }
}
