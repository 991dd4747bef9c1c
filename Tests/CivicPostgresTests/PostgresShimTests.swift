import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The PostgreSQL shim against a real server started by the test process.
@Suite(.hangGuard)
struct PostgresShimTests {
    static let logger = Logger(label: "civic-postgres-tests")

    private func client() async throws -> PostgresClient {
        let server = try await TestPostgres.shared()
        let url = try await server.makeDatabase(prefix: "shim")
        return PostgresClient(configuration: PostgresConfiguration(connectionString: url), logger: Self.logger)
    }

    static let hostile: [String] = [
        "'; DROP TABLE items; --",
        "Robert'); DELETE FROM items WHERE ('1'='1",
        "\\x00 back\\slash \\' quote",
        "line\nbreak\ttab\rreturn",
        "$1 $2 ::text",
        "emoji 👩🏽‍💻 and ünïcödé, 漢字, RTL עברית",
        "\"double\" 'single' `back`",
        String(repeating: "x", count: 100_000),
        "",
    ]

    @Test func hostileStringsRoundTripAsParameters() async throws {
        let client = try await client()
        try await client.query("CREATE TABLE items (id serial PRIMARY KEY, body text NOT NULL)")
        for value in Self.hostile {
            try await client.query("INSERT INTO items (body) VALUES ($1)", [value])
        }
        let rows = try await client.query("SELECT body FROM items ORDER BY id")
        #expect(try rows.rows.map { try $0.require("body", as: String.self) } == Self.hostile)
        // The table is still there and nothing else was deleted.
        let count = try await client.query("SELECT count(*) AS n FROM items")
        #expect(try count.first?.require("n", as: Int.self) == Self.hostile.count)
        // A value is never interpreted as SQL even where SQL would be valid.
        let lookup = try await client.query("SELECT count(*) AS n FROM items WHERE body = $1", ["' OR '1'='1"])
        #expect(try lookup.first?.require("n", as: Int.self) == 0)
    }

    @Test func nulBytesAreRefusedInsteadOfTruncated() async throws {
        let client = try await client()
        try await client.query("CREATE TABLE items (body text)")
        let error = await #expect(throws: PostgresError.self) {
            try await client.query("INSERT INTO items (body) VALUES ($1)", ["before\u{0}after"])
        }
        #expect(error?.reason.contains("NUL") == true)
        let count = try await client.query("SELECT count(*) AS n FROM items")
        #expect(try count.first?.require("n", as: Int.self) == 0)
    }

    @Test func typedValuesRoundTrip() async throws {
        let client = try await client()
        let date = Date(timeIntervalSince1970: 1_763_650_000.123456)
        let bytes: [UInt8] = [0, 1, 2, 255, 92, 39]
        let row = try await client.query(
            "SELECT $1::int8 AS i, $2::float8 AS d, $3::bool AS b, $4::timestamptz AS t, $5::bytea AS y, $6::text AS n",
            [Int64(-42), 0.1, true, date, bytes, nil]
        ).first
        #expect(try row?.require("i", as: Int64.self) == -42)
        #expect(try row?.require("d", as: Double.self) == 0.1)
        #expect(try row?.require("b", as: Bool.self) == true)
        let stored = try row?.require("t", as: Date.self)
        #expect(abs((stored?.timeIntervalSince1970 ?? 0) - date.timeIntervalSince1970) < 0.000_001)
        #expect(try row?.require("y", as: [UInt8].self) == bytes)
        #expect(try row?.decode("n", as: String.self) == nil)
    }

    /// Timestamps are written and read without `Calendar`: PostgreSQL must agree on the instant (its own
    /// epoch arithmetic) across leap days, centuries, the era boundary, negative epochs and rounding.
    @Test func timestampsAgreeWithPostgreSQLsOwnEpoch() async throws {
        let client = try await client()
        let instants: [Double] = [
            0, -0.5, 951_782_400, 951_868_799.999_999, 4_107_542_400, -2_208_988_800, 1_763_650_000.999_999_7,
            -62_135_596_800, -62_135_596_800.25, -62_198_755_200, 253_402_300_799, 1_709_164_800.000_001,
        ]
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            let row = try await client.query(
                "SELECT extract(epoch FROM $1::timestamptz)::float8 AS epoch, $1::timestamptz AS t",
                [date]
            ).first
            let epoch = try row?.require("epoch", as: Double.self) ?? .nan
            #expect(abs(epoch - instant) < 0.000_001, "\(date.postgresText) is \(epoch) to PostgreSQL, not \(instant)")
            if instant >= -62_135_596_800 {  // The reader takes the CE forms the server writes.
                let read = try row?.require("t", as: Date.self)
                #expect(abs((read?.timeIntervalSince1970 ?? .nan) - epoch) < 0.000_001, "read back \(String(describing: read))")
            }
        }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        let client = try await client()
        try await client.query("CREATE TABLE ledger (id int PRIMARY KEY)")
        await #expect(throws: Boom.self) {
            try await client.withTransaction { connection in
                try await connection.query("INSERT INTO ledger (id) VALUES (1)")
                try await connection.query("INSERT INTO ledger (id) VALUES (2)")
                throw Boom()
            }
        }
        let afterRollback = try await client.query("SELECT count(*) AS n FROM ledger")
        #expect(try afterRollback.first?.require("n", as: Int.self) == 0)

        try await client.withTransaction { connection in
            try await connection.query("INSERT INTO ledger (id) VALUES (1)")
        }
        // A failing statement inside a transaction rolls the whole transaction back.
        await #expect(throws: PostgresError.self) {
            try await client.withTransaction { connection in
                try await connection.query("INSERT INTO ledger (id) VALUES (3)")
                try await connection.query("INSERT INTO ledger (id) VALUES (1)")
            }
        }
        let ids = try await client.query("SELECT id FROM ledger ORDER BY id")
        #expect(try ids.rows.map { try $0.require("id", as: Int.self) } == [1])
    }

    /// `BEGIN` travels with a transaction's first statement, whatever kind it is: what the body did is
    /// rolled back when it throws (it would have committed on its own without the `BEGIN`), and a body
    /// that runs nothing sends nothing.
    @Test func deferredBeginOpensTheTransactionWithTheFirstStatement() async throws {
        struct Boom: Error {}
        let client = try await client()
        try await client.query("CREATE TABLE ledger (id int PRIMARY KEY)")
        await #expect(throws: Boom.self) {
            try await client.withTransaction { connection in
                _ = try await connection.pipeline([try PostgresStatement("INSERT INTO ledger (id) VALUES (1)")])
                throw Boom()
            }
        }
        await #expect(throws: Boom.self) {
            try await client.withTransaction { connection in
                try await connection.copy(into: "ledger", columns: ["id"], rows: [[2], [3]])
                throw Boom()
            }
        }
        await #expect(throws: Boom.self) {
            try await client.withTransaction { connection in
                try await connection.execute(script: "INSERT INTO ledger (id) VALUES (4); INSERT INTO ledger (id) VALUES (5)")
                throw Boom()
            }
        }
        #expect(try await client.query("SELECT count(*) AS n FROM ledger").first?.require("n", as: Int.self) == 0)
        // One transaction: now() is its start time in every statement, and the commit keeps all of them.
        let times = try await client.withTransaction { connection in
            let first = try await connection.query("INSERT INTO ledger (id) VALUES (6) RETURNING now()::text AS t")
            try await Task.sleep(for: .milliseconds(20))
            try await connection.copy(into: "ledger", columns: ["id"], rows: [[7]])
            let second = try await connection.query("SELECT now()::text AS t")
            return [try first.first?.require("t", as: String.self), try second.first?.require("t", as: String.self)]
        }
        #expect(times[0] != nil && times[0] == times[1])
        #expect(try await client.withTransaction { _ in 42 } == 42)
        let ids = try await client.query("SELECT id FROM ledger ORDER BY id")
        #expect(try ids.rows.map { try $0.require("id", as: Int.self) } == [6, 7])
    }

    /// A pipeline runs its statements in order in one round trip and returns each one's rows; a failing
    /// statement skips the rest, its error is thrown, and (outside a transaction, the statements form one
    /// implicit transaction) nothing of the pipeline stays. The connection stays usable.
    @Test func pipelineRunsStatementsInOrderAndFailsAsAWhole() async throws {
        let client = try await client()
        try await client.query("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)")
        let results = try await client.withConnection { connection in
            try await connection.pipeline(
                [try PostgresStatement("INSERT INTO notes (id, body) VALUES (1, $1) RETURNING id", [Self.hostile[0]])]
                    + Self.hostile.dropFirst().enumerated().map { index, body in
                        try PostgresStatement("INSERT INTO notes (id, body) VALUES ($1, $2)", [index + 2, body])
                    }
                    + [try PostgresStatement("SELECT body FROM notes ORDER BY id")]
            )
        }
        #expect(results.count == Self.hostile.count + 1)
        #expect(try results[0].first?.require("id", as: Int.self) == 1)
        #expect(results[1].affectedRows == 1)
        #expect(try results.last?.rows.map { try $0.require("body", as: String.self) } == Self.hostile)

        let error = await #expect(throws: PostgresError.self) {
            try await client.withConnection { connection in
                try await connection.pipeline([
                    try PostgresStatement("INSERT INTO notes (id, body) VALUES (100, 'kept?')"),
                    try PostgresStatement("INSERT INTO notes (id, body) VALUES (1, 'duplicate')"),
                    try PostgresStatement("INSERT INTO notes (id, body) VALUES (101, 'skipped')"),
                ])
            }
        }
        #expect(error?.isUniqueViolation == true)
        let after = try await client.withConnection { connection in
            (
                try await connection.query("SELECT count(*) AS n FROM notes WHERE id >= 100"),
                try await connection.pipeline([try PostgresStatement("SELECT count(*) AS n FROM notes")])
            )
        }
        #expect(try after.0.first?.require("n", as: Int.self) == 0)
        #expect(try after.1[0].first?.require("n", as: Int.self) == Self.hostile.count)
        #expect(throws: PostgresError.self) { try PostgresStatement("SELECT $1", ["nul\u{0}"]) }
    }

    @Test func uniqueConstraintMakesReplaysIdempotent() async throws {
        let client = try await client()
        try await client.query("CREATE TABLE events (event_id text PRIMARY KEY, body text)")
        let rows: [[(any PostgresEncodable)?]] = (0..<10).map { ["e\($0)", "body \($0)"] }
        let first = try await client.withConnection {
            try await $0.insert(
                into: "events",
                columns: ["event_id", "body"],
                rows: rows,
                suffix: "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
            )
        }
        #expect(first.count == 10)
        // Replaying the same batch (plus one new row) inserts only the new row.
        let replay = try await client.withConnection {
            try await $0.insert(
                into: "events",
                columns: ["event_id", "body"],
                rows: rows + [["e10", "new"]],
                suffix: "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
            )
        }
        #expect(try replay.rows.map { try $0.require("event_id", as: String.self) } == ["e10"])
        // Without ON CONFLICT, the duplicate is a typed unique violation.
        let error = await #expect(throws: PostgresError.self) {
            try await client.query("INSERT INTO events (event_id, body) VALUES ($1, $2)", ["e1", "again"])
        }
        #expect(error?.isUniqueViolation == true)
        #expect(error?.sqlState == "23505")
    }

    @Test func batchedInsertSplitsBelowTheParameterLimit() async throws {
        let client = try await client()
        try await client.query("CREATE TABLE wide (a int, b text, c text, d text)")
        // 20,000 rows x 4 columns = 80,000 parameters, above PostgreSQL's 65,535 per statement.
        let rows: [[(any PostgresEncodable)?]] = (0..<20_000).map { (i: Int) -> [(any PostgresEncodable)?] in [i, "b\(i)", nil, "d'\(i)"] }
        let result = try await client.withConnection { try await $0.insert(into: "wide", columns: ["a", "b", "c", "d"], rows: rows) }
        #expect(result.affectedRows == 20_000)
        let check = try await client.query("SELECT count(*) AS n, sum(a) AS s, count(c) AS c FROM wide")
        #expect(try check.first?.require("n", as: Int.self) == 20_000)
        #expect(try check.first?.require("s", as: Int.self) == (0..<20_000).reduce(0, +))
        #expect(try check.first?.require("c", as: Int.self) == 0)
    }

    @Test func copyStreamsRowsWithSpecialCharacters() async throws {
        let client = try await client()
        try await client.query("CREATE TABLE copied (id int, body text)")
        let rows: [[(any PostgresEncodable)?]] = Self.hostile.enumerated().map { [$0.offset, $0.element] } + [[999, nil]]
        let copied = try await client.withConnection { try await $0.copy(into: "copied", columns: ["id", "body"], rows: rows) }
        #expect(copied == rows.count)
        let back = try await client.query("SELECT body FROM copied ORDER BY id")
        #expect(back.values.map { $0[0] } == Self.hostile.map { Optional($0) } + [nil])
    }

    /// Rows stream to the server in chunks while they are made: many chunks arrive whole and in order; a
    /// body that throws part-way cancels the COPY (nothing of it is stored, already-sent chunks included)
    /// and the connection stays usable; a COPY the server refuses is an error, not a hang.
    @Test func streamedCopySendsChunksAndCancelsCleanly() async throws {
        struct Boom: Error {}
        let client = try await client()
        try await client.query("CREATE TABLE streamed (id int PRIMARY KEY, body text)")
        let body = String(repeating: "tab\tline\nback\\slash ", count: 40)
        let count = 2_000  // about 1.7 MB: some 26 chunks of 64 KiB
        let copied = try await client.withConnection { connection in
            try await connection.copy(into: "streamed", columns: ["id", "body"]) { writer in
                for id in 0..<count { try writer.append([id, "\(id) \(body)"]) }
                #expect(writer.rowCount == count)
            }
        }
        #expect(copied == count)
        let check = try await client.query("SELECT count(*) AS n, bool_and(body = id || ' ' || $1) AS intact FROM streamed", [body])
        #expect(try check.first?.require("n", as: Int.self) == count)
        #expect(try check.first?.require("intact", as: Bool.self) == true)

        try await client.withConnection { connection in
            await #expect(throws: Boom.self) {
                try await connection.copy(into: "streamed", columns: ["id", "body"]) { writer in
                    for id in count..<(2 * count) { try writer.append([id, body]) }
                    throw Boom()
                }
            }
            await #expect(throws: Boom.self) {
                try await connection.withTransaction { connection in
                    try await connection.copy(into: "streamed", columns: ["id", "body"]) { writer in
                        for id in count..<(2 * count) { try writer.append([id, body]) }
                        throw Boom()
                    }
                }
            }
            let refused = await #expect(throws: PostgresError.self) {
                try await connection.copy(into: "missing", columns: ["id"]) { writer in
                    for id in 0..<10_000 { try writer.append([id]) }
                }
            }
            #expect(refused?.reason.contains("missing") == true)
            let wrongWidth = await #expect(throws: PostgresError.self) {
                try await connection.copy(into: "streamed", columns: ["id", "body"]) { writer in try writer.append([count]) }
            }
            #expect(wrongWidth?.reason.contains("1 values for 2 columns") == true)
            // A duplicate key fails the COPY on the server: the error names the constraint.
            let duplicate = await #expect(throws: PostgresError.self) {
                try await connection.copy(into: "streamed", columns: ["id", "body"], rows: [[count, "new"], [0, "again"]])
            }
            #expect(duplicate?.isUniqueViolation == true)
            let after = try await connection.query("SELECT count(*) AS n FROM streamed")
            #expect(try after.first?.require("n", as: Int.self) == count)
        }
    }

    @Test func textArraysCarryHostileElementsIntact() async throws {
        let client = try await client()
        let elements = Self.hostile + ["{a,b}", "NULL", "\"\\\""]
        let rows = try await client.query(
            "SELECT element, ordinality AS n FROM unnest($1::text[]) WITH ORDINALITY AS e(element) ORDER BY ordinality",
            [PostgresTextArray(elements)]
        )
        #expect(try rows.rows.map { try $0.require("element", as: String.self) } == elements)
    }

    @Test func identifiersThatAreNotPlainAreRefused() async throws {
        let client = try await client()
        let error = await #expect(throws: PostgresError.self) {
            try await client.withConnection {
                try await $0.insert(into: "items; DROP TABLE x", columns: ["a"], rows: [[1]])
            }
        }
        #expect(error?.code == .invalidIdentifier)
    }

    @Test func migrationsApplyOnceAndRerunIsANoOp() async throws {
        let client = try await client()
        let migrations = PostgresMigrations(
            schema: "svc",
            migrations: [
                PostgresMigration(version: 1, name: "items", sql: "CREATE TABLE svc.items (id int PRIMARY KEY);"),
                PostgresMigration(version: 2, name: "names", sql: "ALTER TABLE svc.items ADD COLUMN name text;"),
            ]
        )
        #expect(try await migrations.apply(using: client, logger: Self.logger) == [1, 2])
        #expect(try await migrations.apply(using: client, logger: Self.logger) == [])
        // Concurrent starts (two replicas) serialise on the advisory lock: neither fails.
        async let a = migrations.apply(using: client, logger: Self.logger)
        async let b = migrations.apply(using: client, logger: Self.logger)
        #expect(try await a + b == [])

        // A third migration is applied on its own.
        var extended = migrations
        extended.migrations.append(PostgresMigration(version: 3, name: "index", sql: "CREATE INDEX ON svc.items (name);"))
        #expect(try await extended.apply(using: client, logger: Self.logger) == [3])

        // Editing an applied migration is refused: schema changes go in a new version.
        var edited = extended
        edited.migrations[0].sql = "CREATE TABLE svc.items (id bigint PRIMARY KEY);"
        let error = await #expect(throws: PostgresError.self) {
            try await edited.apply(using: client, logger: Self.logger)
        }
        #expect(error?.code == .migration)
    }

    @Test func unreachableDatabaseIsARetriableConnectionError() async throws {
        let port = try freeLoopbackPort()
        var configuration = PostgresConfiguration(connectionString: "postgresql://postgres@127.0.0.1:\(port)/none")
        configuration.connectTimeoutSeconds = 2
        let client = PostgresClient(configuration: configuration, logger: Self.logger)
        let error = await #expect(throws: PostgresError.self) { try await client.ping() }
        #expect(error?.code == .connection)
        #expect(error?.isRetriable == true)
    }
}
