import CivicJSON
import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import ReportingCore

/// The answer columns of migration 19 against a real PostgreSQL: for hostile answers (missing, null, of the wrong
/// type, out of range, a huge comment) each column holds what the analyses read from `payload`, and what they read
/// before the columns existed, except where that read failed (a number outside the integer range: now NULL);
/// responses stored before the migration are read from `payload` until the backfill fills them, in small batches,
/// and the themes and key drivers are the same before, during and after, and the same as over a database that had
/// the columns from the start.
@Suite(.startsProcesses, .hangGuard) struct AnswerColumnsTests {
    static let logger = Logger(label: "answer-columns-tests")
    static let quarter = FiscalQuarter(fiscalYear: 2027, quarter: 2)

    /// A response's payload with `answers` and `rest` (raw JSON members), and whether the analyses' read before
    /// migration 19 failed on it.
    struct Hostile {
        var id: String
        var answers: String?
        var rest: String = ""
        var oldReadFails = false
    }

    static let hugeComment = String(repeating: "the wait, on hold \"was\" long; ünïcödé 😀 [EMAIL]\n", count: 20_000)

    static let hostile: [Hostile] = [
        Hostile(id: "h-none", answers: nil),
        Hostile(id: "h-null", answers: "null", rest: #","comment": null, "touchpoint": null"#),
        Hostile(id: "h-array", answers: "[1, 2]", rest: #","comment": 12"#),
        Hostile(id: "h-string", answers: #""trust""#, rest: #","comment": {"text": "an object"}"#),
        Hostile(id: "h-empty", answers: "{}", rest: #","comment": """#),
        Hostile(id: "h-trust-string", answers: #"{"trust": "5", "ease": "3"}"#, rest: #","comment": "   ""#),
        Hostile(id: "h-trust-bool", answers: #"{"trust": true, "ease": false}"#, rest: #","touchpoint": 5"#),
        Hostile(id: "h-trust-null", answers: #"{"trust": null, "satisfaction": null}"#),
        Hostile(id: "h-trust-array", answers: #"{"trust": [4], "employee": [5]}"#),
        Hostile(id: "h-trust-object-string", answers: #"{"trust": {"scale": "likert5", "value": "3"}}"#),
        Hostile(id: "h-trust-object-no-value", answers: #"{"trust": {"scale": "thumbs"}}"#),
        Hostile(id: "h-trust-object-nested", answers: #"{"trust": {"value": {"value": 1}}}"#),
        Hostile(id: "h-fractions", answers: #"{"trust": 3.5, "satisfaction": 2.5, "ease": 1.49, "efficiency": -0.5, "transparency": 1e-30}"#),
        Hostile(id: "h-out-of-scale", answers: #"{"trust": 99, "satisfaction": 0, "effectiveness": 6, "ease": -1, "employee": 2147483647}"#),
        Hostile(id: "h-int-edges", answers: #"{"trust": {"value": -2147483648}, "ease": 2147483647.4, "employee": -2147483648.4}"#),
        Hostile(id: "h-huge-trust", answers: #"{"trust": 1e30}"#, oldReadFails: true),
        Hostile(id: "h-huge-likert", answers: #"{"trust": 4, "ease": 100000000000000000000}"#, oldReadFails: true),
        Hostile(id: "h-rounds-over", answers: #"{"trust": {"value": 2147483647.5}}"#, oldReadFails: true),
        Hostile(id: "h-rounds-under", answers: #"{"satisfaction": -2147483648.5}"#, oldReadFails: true),
        Hostile(
            id: "h-options",
            answers:
                #"{"trust": {"scale": "thumbs", "value": 1}, "wentWell": [null, 1, "ease", ["x"], {"y": 2}, "trans,parency", ""], "didNotGoWell": []}"#
        ),
        Hostile(id: "h-options-types", answers: #"{"wentWell": "ease", "didNotGoWell": {"ease": true}}"#),
        Hostile(id: "h-options-null", answers: #"{"wentWell": null, "didNotGoWell": [null]}"#),
        Hostile(id: "h-duplicate-keys", answers: #"{"trust": 1, "trust": 5}"#, rest: #","comment": "first", "comment": "second""#),
        Hostile(id: "h-huge-comment", answers: #"{"trust": {"scale": "thumbs", "value": 0}}"#, rest: ",\"comment\": \(jsonString(hugeComment))"),
        Hostile(id: "h-unicode-escapes", answers: "{}", rest: #","comment": "caf\u00e9 \ud83d\ude00 \"quoted\"", "touchpoint": "k\u0069osk""#),
    ]

    static func jsonString(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// Stores `rows` out of band (as an operator's or an older service's INSERT would), as A-11 v1 responses of VA.
    static func insert(_ rows: [Hostile], on client: PostgresClient) async throws {
        for row in rows {
            let payload = "{\"eventId\": \"\(row.id)\"\(row.answers.map { ", \"answers\": \($0)" } ?? "")\(row.rest)}"
            try await client.query(
                """
                INSERT INTO reporting.feedback (event_id, agency, service, channel, level, form, fiscal_year, fiscal_quarter,
                    occurred_at, spam_flagged, payload)
                VALUES ($1, 'VA', 'hostile', 'web', 'transaction', 'a11-v1', 2027, 2, now(), false, $2::jsonb)
                """,
                [row.id, payload]
            )
        }
    }

    /// The analyses' read before migration 19, as it was.
    static let oldAnswers: [(alias: String, expression: String)] =
        [
            ("comment", "f.payload->>'comment'"),
            (
                "trust_value",
                """
                CASE jsonb_typeof(f.payload->'answers'->'trust')
                    WHEN 'number' THEN (f.payload->'answers'->>'trust')::numeric::int
                    WHEN 'object' THEN CASE jsonb_typeof(f.payload->'answers'->'trust'->'value')
                        WHEN 'number' THEN (f.payload->'answers'->'trust'->>'value')::numeric::int END
                END
                """
            ),
        ]
        + InsightClasses.v1Items.map {
            ($0, "CASE jsonb_typeof(f.payload->'answers'->'\($0)') WHEN 'number' THEN (f.payload->'answers'->>'\($0)')::numeric::int END")
        }
        + [("wentWell", "went_well"), ("didNotGoWell", "did_not_go_well")].map { name, alias in
            (
                alias,
                """
                array_to_string(ARRAY(SELECT jsonb_array_elements_text(CASE jsonb_typeof(f.payload->'answers'->'\(name)')
                    WHEN 'array' THEN f.payload->'answers'->'\(name)' ELSE '[]'::jsonb END)), ',')
                """
            )
        } + [("touchpoint", "f.payload->>'touchpoint'")]

    /// Each answer of each response with `id` as the column holds it, as read from `payload`, and (`old`) as the
    /// analyses read it before migration 19.
    static func answers(
        of id: String,
        on client: PostgresClient,
        old: Bool
    ) async throws -> [(alias: String, column: String?, payload: String?, old: String?)] {
        var expressions = InsightRow.answers.flatMap { answer in
            ["f.\(answer.column)::text AS \"column:\(answer.alias)\"", "(\(answer.fromPayload))::text AS \"payload:\(answer.alias)\""]
        }
        if old { expressions += oldAnswers.map { "(\($0.expression))::text AS \"old:\($0.alias)\"" } }
        let rows = try await client.query(
            "SELECT f.answers_extracted, \(expressions.joined(separator: ", ")) FROM reporting.feedback f WHERE f.event_id = $1",
            [id]
        )
        let row = try #require(rows.first)
        #expect(try row.require("answers_extracted", as: Bool.self), "\(id) not filled")
        return try InsightRow.answers.map { answer in
            (
                answer.alias,
                try row.decode("column:\(answer.alias)", as: String.self),
                try row.decode("payload:\(answer.alias)", as: String.self),
                old ? try row.decode("old:\(answer.alias)", as: String.self) : nil
            )
        }
    }

    /// The rows the analyses read, decoded, from the columns and from `payload`.
    static func insightRows(on client: PostgresClient) async throws -> (columns: [String], payload: [String]) {
        func read(_ source: InsightRow.Source) async throws -> [String] {
            let rows = try await client.query(InsightRow.select(commentsOnly: false, from: source), ["VA", 2027, 2, 2027, 1])
            return try rows.rows.map { describe(try InsightRow($0)) }
        }
        return (try await read(.columns), try await read(.payload))
    }

    /// `row` with its Likert answers in a fixed order.
    static func describe(_ row: InsightRow) -> String {
        var fixed = row
        fixed.likert = [:]
        return "\(fixed) likert: \(row.likert.sorted { $0.key < $1.key })"
    }

    @Test func columnsHoldWhatTheAnalysesReadFromPayloadForHostileAnswers() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "answers", ReportingStore.migrations, logger: Self.logger)
        defer { client.close() }
        try await Self.insert(Self.hostile, on: client)
        for row in Self.hostile {
            for answer in try await Self.answers(of: row.id, on: client, old: !row.oldReadFails) {
                #expect(answer.column == answer.payload, "\(row.id) \(answer.alias)")
                if !row.oldReadFails { #expect(answer.column == answer.old, "\(row.id) \(answer.alias): as read before migration 19") }
            }
        }
        // Where the read before migration 19 failed (a number outside the integer range), the column is NULL.
        for row in Self.hostile where row.oldReadFails {
            await #expect(throws: PostgresError.self, "\(row.id)") {
                try await client.query(
                    "SELECT \(Self.oldAnswers.map(\.expression).joined(separator: ", ")) FROM reporting.feedback f WHERE f.event_id = $1",
                    [row.id]
                )
            }
        }
        let huge = try await Self.answers(of: "h-huge-trust", on: client, old: false)
        #expect(huge.first { $0.alias == "trust_value" }?.column == nil)
        let comment = try await Self.answers(of: "h-huge-comment", on: client, old: true).first { $0.alias == "comment" }
        #expect(comment?.column == Self.hugeComment)
        // The rows as the analyses decode them are the same either way.
        let read = try await Self.insightRows(on: client)
        #expect(read.columns.count == Self.hostile.count)
        #expect(read.columns == read.payload)
    }

    /// The themes and key drivers of VA's quarter, by service and channel.
    static func insights(on client: PostgresClient) async throws -> (themes: [ThemesReport], drivers: [DriversReport]) {
        let query = InsightsQuery(client: client, minimumCellSize: InsightRoutesTests.Fixture.minimumCellSize)
        var filter = ReportQuery.Filter()
        filter.agency = "VA"
        filter.byService = true
        filter.byChannel = true
        return (
            try await query.themes(filter, quarter: Self.quarter, examples: { _ in true }),
            try await query.drivers(filter, quarter: Self.quarter)
        )
    }

    static func store(_ events: [FeedbackEvent], on client: PostgresClient) async throws {
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        let encoder = CivicJSON.makeEncoder()
        for (index, batch) in stride(from: 0, to: events.count, by: 500).map({ Array(events[$0..<min($0 + 500, events.count)]) }).enumerated() {
            let messages = try batch.enumerated().map { offset, event in
                KafkaConsumerMessage(
                    topic: CivicTopic.scored,
                    partition: 0,
                    offset: Int64(index * 500 + offset),
                    key: nil,
                    value: Array(try encoder.encode(event))
                )
            }
            _ = try await handler.handle(messages)
        }
    }

    @Test func responsesStoredBeforeTheColumnsGiveTheSameInsightsBeforeDuringAndAfterTheBackfill() async throws {
        let events = InsightRoutesTests.Fixture.events()
        // A database that had the columns from the start.
        let current = try await TestPostgres.shared().migratedClient(prefix: "answers_new", ReportingStore.migrations, logger: Self.logger)
        defer { current.close() }
        let readable = Self.hostile.filter { !$0.oldReadFails }
        try await Self.store(events, on: current)
        try await Self.insert(readable, on: current)
        let expected = try await Self.insights(on: current)
        #expect(expected.themes.contains { !$0.themes.isEmpty })
        #expect(expected.drivers.contains { $0.analyses.contains { !$0.suppressed } })

        // The same responses (and the hostile ones) stored by the service before migration 19, then migrated.
        var before = ReportingStore.migrations
        before.migrations = before.migrations.filter { $0.version <= 18 }
        let url = try await TestPostgres.shared().makeDatabase(prefix: "answers_old", migrations: [before])
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: url), logger: Self.logger)
        defer { client.close() }
        try await Self.store(events, on: client)
        try await Self.insert(readable, on: client)
        #expect(try await ReportingStore.migrations.apply(using: client, logger: Self.logger) == [19, 20])
        let stored = events.count + readable.count
        func unfilled() async throws -> Int {
            try #require(try await client.query("SELECT count(*) AS n FROM reporting.feedback WHERE NOT answers_extracted").first).require("n")
        }
        #expect(try await unfilled() == stored)
        #expect(try await Self.insights(on: client) == expected)

        // Part filled: some rows read from their columns, the others from payload.
        let store = ReportingStore(client: client)
        #expect(try await store.fillAnswerColumns(limit: 1_000) == 1_000)
        #expect(try await unfilled() == stored - 1_000)
        #expect(try await Self.insights(on: client) == expected)
        let partly = try await Self.insightRows(on: client)
        #expect(partly.columns == partly.payload)

        var filled = 1_000
        while true {
            let count = try await store.fillAnswerColumns(limit: 700)
            #expect(count <= 700)
            if count == 0 { break }
            filled += count
        }
        #expect(filled == stored)
        #expect(try await unfilled() == 0)
        #expect(try await Self.insights(on: client) == expected)
        let read = try await Self.insightRows(on: client)
        #expect(read.columns == read.payload)
        for row in readable {
            for answer in try await Self.answers(of: row.id, on: client, old: true) {
                #expect(answer.column == answer.payload && answer.column == answer.old, "\(row.id) \(answer.alias)")
            }
        }
    }
}
