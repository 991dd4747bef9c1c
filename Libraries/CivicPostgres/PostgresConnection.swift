import CivicTime
import Clibpq
import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libpq connection (`PGconn`). Every libpq call runs on the connection's own serial dispatch queue,
/// so the blocking client library never occupies Swift's cooperative thread pool.
///
/// Obtain one from ``PostgresClient/withConnection(_:)``; it is not shared between tasks while leased.
package final class PostgresConnection: @unchecked Sendable {
    // @unchecked: `connection` is only touched on `queue`, which serialises all access.
    private var connection: OpaquePointer?
    /// Whether ``withTransaction(_:)`` has opened a transaction whose `BEGIN` is not sent yet: it goes out
    /// with the transaction's first statement, in the same round trip.
    private let beginPending = Mutex(false)
    private let queue: DispatchQueue
    private let configuration: PostgresConfiguration
    private let logger: Logger

    init(configuration: PostgresConfiguration, logger: Logger, id: Int) {
        self.configuration = configuration
        self.logger = logger
        self.queue = DispatchQueue(label: "civic-postgres.connection.\(id)")
    }

    deinit {
        if let connection { PQfinish(connection) }
    }

    // MARK: - Public API

    /// Runs a statement with parameters (`$1`, `$2`, ...). Values are sent separately from the SQL text.
    /// - Throws: ``PostgresError``.
    @discardableResult
    package func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        let statement = try PostgresStatement(sql, parameters)
        return try await run { () throws(PostgresError) -> PostgresRows in
            if self.takePendingBegin() {
                return try self.pipelined([.begin, statement])[1]
            }
            return try self.execute(statement.sql, statement.parameters)
        }
    }

    /// Runs `statements` in order in one round trip (libpq's pipeline mode), returning each one's rows.
    ///
    /// Each statement still runs on its own, in order: under READ COMMITTED each takes its snapshot when it
    /// starts, so a statement after a lock sees what was committed before the lock was granted. If one
    /// fails, the ones after it are skipped and its error is thrown; inside a transaction, the transaction
    /// is then aborted, as it would be if they had been sent one by one.
    /// - Throws: ``PostgresError``.
    package func pipeline(_ statements: [PostgresStatement]) async throws -> [PostgresRows] {
        guard !statements.isEmpty else { return [] }
        return try await run { () throws(PostgresError) -> [PostgresRows] in
            if self.takePendingBegin() {
                return Array(try self.pipelined([.begin] + statements).dropFirst())
            }
            return try self.pipelined(statements)
        }
    }

    /// Runs one or more statements without parameters (for DDL and migrations).
    /// - Throws: ``PostgresError``.
    package func execute(script sql: String) async throws {
        try await run { () throws(PostgresError) in
            let connection = try self.connected()
            let script = self.takePendingBegin() ? "BEGIN;\n" + sql : sql
            guard let result = PQexec(connection, script) else { throw self.connectionError("PQexec returned NULL") }
            defer { PQclear(result) }
            try self.check(result, sql: sql)
        }
    }

    /// Runs `body` inside `BEGIN` / `COMMIT`; rolls back if it throws.
    ///
    /// `BEGIN` is sent together with the body's first statement, saving a round trip; a body that runs
    /// no statement sends nothing.
    /// - Throws: whatever `body` throws, or ``PostgresError``.
    @discardableResult
    package func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        beginPending.withLock { $0 = true }
        do {
            let value = try await body(self)
            // Still pending: the body ran no statement, so there is no transaction to end.
            if !takePendingBegin() { try await query("COMMIT") }
            return value
        } catch {
            if !takePendingBegin() {
                do {
                    try await query("ROLLBACK")
                } catch {
                    logger.warning("rollback failed", metadata: ["postgres.error": "\(error)"])
                }
            }
            throw error
        }
    }

    /// Inserts many rows with multi-row `INSERT` statements (chunked below the 65,535-parameter limit).
    /// - Parameters:
    ///   - table: The table name (a plain or schema-qualified identifier).
    ///   - columns: Column names.
    ///   - rows: Values, one array per row, in column order.
    ///   - suffix: SQL appended to each statement, for example `ON CONFLICT (event_id) DO NOTHING RETURNING event_id`.
    /// - Returns: The rows returned by each statement's `RETURNING` clause, concatenated.
    /// - Throws: ``PostgresError`` (`.invalidIdentifier` for a bad table or column name).
    @discardableResult
    package func insert(
        into table: String,
        columns: [String],
        rows: [[(any PostgresEncodable)?]],
        suffix: String = ""
    ) async throws -> PostgresRows {
        try PostgresIdentifier.validate(table)
        for column in columns { try PostgresIdentifier.validate(column) }
        guard !rows.isEmpty, !columns.isEmpty else {
            return PostgresRows(columns: [], values: [], affectedRows: 0)
        }
        let rowsPerStatement = max(1, min(1000, 65_535 / columns.count))
        var resultColumns: [String] = []
        var resultValues: [[String?]] = []
        var affected = 0
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + rowsPerStatement)]
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            var parameters: [(any PostgresEncodable)?] = []
            parameters.reserveCapacity(chunk.count * columns.count)
            for (rowIndex, row) in chunk.enumerated() {
                guard row.count == columns.count else {
                    throw PostgresError(code: .query, reason: "row \(start + rowIndex) has \(row.count) values for \(columns.count) columns")
                }
                if rowIndex > 0 { sql += ", " }
                sql += "("
                for columnIndex in 0..<columns.count {
                    if columnIndex > 0 { sql += ", " }
                    sql += "$\(parameters.count + 1)"
                    parameters.append(row[columnIndex])
                }
                sql += ")"
            }
            if !suffix.isEmpty { sql += " " + suffix }
            let result = try await query(sql, parameters)
            resultColumns = result.columns
            resultValues.append(contentsOf: result.values)
            affected += result.affectedRows
            start += chunk.count
        }
        return PostgresRows(columns: resultColumns, values: resultValues, affectedRows: affected)
    }

    /// Streams rows into a table with `COPY ... FROM STDIN` (text format), the fastest bulk path.
    /// Values are escaped for COPY's text format; `nil` becomes NULL.
    /// - Returns: The number of rows copied.
    /// - Throws: ``PostgresError``.
    @discardableResult
    package func copy(into table: String, columns: [String], rows: [[(any PostgresEncodable)?]]) async throws -> Int {
        try await copy(into: table, columns: columns) { writer in
            for row in rows { try writer.append(row) }
        }
    }

    /// Streams the rows `body` appends into a table with `COPY ... FROM STDIN` (text format) while `body`
    /// is still making them: every ``PostgresCopyWriter/chunkSize`` bytes go to the server at once, which
    /// stores them while the next ones are made. If `body` throws, the COPY is cancelled (nothing of it
    /// is stored) and its error is rethrown.
    /// - Returns: The number of rows copied.
    /// - Throws: ``PostgresError``, or what `body` throws.
    @discardableResult
    package func copy(
        into table: String,
        columns: [String],
        _ body: (inout PostgresCopyWriter) throws -> Void
    ) async throws -> Int {
        try PostgresIdentifier.validate(table)
        for column in columns { try PostgresIdentifier.validate(column) }
        let statement = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        let session = CopySession()
        // The queue runs these in order: start, each chunk as it is ready, then the end awaited below.
        queue.async { session.start(statement, on: self) }
        var writer = PostgresCopyWriter(columnCount: columns.count) { chunk in
            self.queue.async { session.send(chunk, on: self) }
        }
        do {
            try body(&writer)
        } catch {
            try await run { () throws(PostgresError) in session.cancel(on: self) }
            throw error
        }
        writer.flush()
        return try await run { () throws(PostgresError) -> Int in try session.finish(statement, on: self) }
    }

    /// One COPY's progress, touched only on the connection's queue.
    private final class CopySession: @unchecked Sendable {
        private var failure: PostgresError?
        private var copying = false

        func start(_ statement: String, on owner: PostgresConnection) {
            do throws(PostgresError) {
                let connection = try owner.connected()
                // COPY cannot join a pipeline: a pending BEGIN goes just before it.
                if owner.takePendingBegin() { _ = try owner.execute("BEGIN", []) }
                guard let start = PQexec(connection, statement) else { throw owner.connectionError("PQexec returned NULL") }
                defer { PQclear(start) }
                guard PQresultStatus(start) == PGRES_COPY_IN else {
                    try owner.check(start, sql: statement)
                    throw PostgresError(code: .query, reason: "COPY did not enter COPY IN mode")
                }
                copying = true
            } catch {
                failure = error
            }
        }

        func send(_ chunk: [UInt8], on owner: PostgresConnection) {
            guard copying, failure == nil, let connection = owner.connection else { return }
            let sent = chunk.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32(buffer.count)) }
            }
            if sent != 1 { failure = owner.connectionError("sending COPY data failed") }
        }

        func cancel(on owner: PostgresConnection) {
            guard copying, let connection = owner.connection else { return }
            copying = false
            // The server refuses the COPY on this message; its error result is expected and dropped.
            if PQputCopyEnd(connection, "cancelled by the client") == 1 {
                while let result = PQgetResult(connection) { PQclear(result) }
            } else {
                owner.abandonConnection()
            }
        }

        func finish(_ statement: String, on owner: PostgresConnection) throws(PostgresError) -> Int {
            if let failure {
                cancel(on: owner)
                throw failure
            }
            guard let connection = owner.connection else { throw PostgresError(code: .connection, reason: "the connection closed during COPY") }
            copying = false
            guard PQputCopyEnd(connection, nil) == 1 else {
                let error = owner.connectionError("ending COPY failed")
                owner.abandonConnection()
                throw error
            }
            var copied = 0
            var failure: PostgresError?
            while let result = PQgetResult(connection) {
                defer { PQclear(result) }
                do throws(PostgresError) {
                    try owner.check(result, sql: statement)
                    copied += Int(String(cString: PQcmdTuples(result))) ?? 0
                } catch {
                    if failure == nil { failure = error }
                }
            }
            if let failure { throw failure }
            return copied
        }
    }

    /// Closes the libpq connection on the connection's queue (after any work queued before), then calls
    /// `done`. The pool calls it once it hands the connection out no more; a later use would connect again.
    func finish(then done: @escaping @Sendable () -> Void) {
        queue.async {
            self.abandonConnection()
            done()
        }
    }

    // MARK: - libpq, on the connection's queue

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws(PostgresError) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Returns a healthy connection, connecting or resetting it first if needed.
    private func connected() throws(PostgresError) -> OpaquePointer {
        if let connection, PQstatus(connection) == CONNECTION_OK {
            return connection
        }
        if let connection {
            PQreset(connection)
            if PQstatus(connection) == CONNECTION_OK {
                logger.info("postgres connection re-established")
                return connection
            }
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            self.connection = nil
            throw PostgresError(code: .connection, reason: trimmed(message))
        }
        let keywords = ["dbname", "connect_timeout", "application_name", "options"]
        let statementTimeout = configuration.statementTimeout.map { Self.milliseconds($0) } ?? 0
        let values = [
            configuration.connectionString, String(configuration.connectTimeoutSeconds), configuration.applicationName,
            "-c client_min_messages=warning -c statement_timeout=\(statementTimeout)",
        ]
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                // expand_dbname = 1: the dbname value may be a full connection string or URI.
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(code: .connection, reason: "out of memory allocating a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(code: .connection, reason: trimmed(message))
        }
        self.connection = connection
        return connection
    }

    private func execute(_ sql: String, _ parameters: [String?]) throws(PostgresError) -> PostgresRows {
        let connection = try connected()
        let result = withOptionalCStrings(parameters) { pointers in
            PQexecParams(connection, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        guard let result else { throw connectionError("PQexecParams returned NULL") }
        defer { PQclear(result) }
        try check(result, sql: sql)
        return rows(of: result)
    }

    /// Sends `statements` in pipeline mode, then reads each one's result and the closing sync.
    private func pipelined(_ statements: [PostgresStatement]) throws(PostgresError) -> [PostgresRows] {
        let connection = try connected()
        guard PQenterPipelineMode(connection) == 1 else { throw connectionError("entering pipeline mode failed") }
        var sent = 0
        for statement in statements {
            let queued = withOptionalCStrings(statement.parameters) { pointers in
                PQsendQueryParams(connection, statement.sql, Int32(statement.parameters.count), nil, pointers, nil, nil, 0)
            }
            guard queued == 1 else { break }
            sent += 1
        }
        guard sent == statements.count, PQpipelineSync(connection) == 1 else {
            // Nothing is left half-read: drop the connection, and the next use opens a fresh one.
            let error = connectionError("sending a pipeline failed")
            abandonConnection()
            throw error
        }
        var results: [PostgresRows] = []
        results.reserveCapacity(statements.count)
        var failure: PostgresError?
        for statement in statements {
            // Each statement's results end with NULL; a skipped one (after a failure) reports PIPELINE_ABORTED.
            var rows = PostgresRows(columns: [], values: [], affectedRows: 0)
            var received = false
            while let result = PQgetResult(connection) {
                defer { PQclear(result) }
                received = true
                if PQresultStatus(result) == PGRES_PIPELINE_ABORTED { continue }
                do throws(PostgresError) {
                    try check(result, sql: statement.sql)
                    rows = self.rows(of: result)
                } catch {
                    if failure == nil { failure = error }
                }
            }
            guard received else {
                let error = connectionError("the connection closed during a pipeline")
                abandonConnection()
                throw error
            }
            results.append(rows)
        }
        // Then the sync point, after which the connection may leave pipeline mode.
        guard let sync = PQgetResult(connection) else {
            let error = connectionError("a pipeline ended without its sync point")
            abandonConnection()
            throw error
        }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(connection) == 1 else {
            let error = connectionError("leaving pipeline mode failed")
            abandonConnection()
            throw error
        }
        if let failure { throw failure }
        return results
    }

    /// Closes a connection left in an unknown protocol state; the next use connects afresh.
    private func abandonConnection() {
        if let connection { PQfinish(connection) }
        connection = nil
    }

    /// Takes (and clears) a pending `BEGIN` of ``withTransaction(_:)``.
    private func takePendingBegin() -> Bool {
        beginPending.withLock { pending in
            defer { pending = false }
            return pending
        }
    }

    private func rows(of result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [[String?]] = []
        values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var rowValues: [String?] = []
            rowValues.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    rowValues.append(nil)
                } else {
                    rowValues.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            values.append(rowValues)
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, values: values, affectedRows: affected)
    }

    private func check(_ result: OpaquePointer, sql: String) throws(PostgresError) {
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_EMPTY_QUERY:
            return
        default:
            let message = trimmed(String(cString: PQresultErrorMessage(result)))
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            if let connection = self.connection, PQstatus(connection) != CONNECTION_OK {
                throw PostgresError(code: .connection, reason: message, sqlState: sqlState)
            }
            throw PostgresError(code: .query, reason: message, sqlState: sqlState)
        }
    }

    private func connectionError(_ context: String) -> PostgresError {
        let message = connection.map { trimmed(String(cString: PQerrorMessage($0))) } ?? ""
        return PostgresError(code: .connection, reason: "\(context): \(message)")
    }

    /// Whole milliseconds of `duration`, at least 1 (PostgreSQL reads 0 as no timeout), saturating.
    static func milliseconds(_ duration: Duration) -> Int64 {
        max(1, duration.wholeMilliseconds)
    }

    private func trimmed(_ message: String) -> String {
        var message = message
        while message.last == "\n" || message.last == " " { message.removeLast() }
        return message
    }
}

// MARK: - C string helpers

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var storage: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    storage.append(nil)
    defer { for pointer in storage { free(pointer) } }
    let pointers = storage.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let storage: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { for pointer in storage { free(pointer) } }
    let pointers = storage.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Validation of identifiers that are spliced into SQL text (table and column names only; never values).
enum PostgresIdentifier {
    static func validate(_ identifier: String) throws(PostgresError) {
        let parts = identifier.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            !parts.isEmpty && parts.count <= 2
            && parts.allSatisfy { part in
                guard let first = part.utf8.first, first == UInt8(ascii: "_") || (first | 0x20) >= 97 && (first | 0x20) <= 122
                else { return false }
                return part.utf8.allSatisfy { byte in
                    byte == UInt8(ascii: "_") || (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 122)
                }
            }
        guard valid else {
            throw PostgresError(code: .invalidIdentifier, reason: "'\(identifier)' is not a plain SQL identifier")
        }
    }
}
