/// An error raised by the PostgreSQL shim.
///
/// A ``Code`` (struct wrapping a private enum), a reason, the server's SQLSTATE when the server sent one,
/// and whether the operation may succeed if retried (connection loss, serialization failure, deadlock).
package struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case connection, query, migration, invalidIdentifier, decoding, closed, poolTimeout
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Connecting failed or the connection was lost.
        package static let connection = Code(.connection)
        /// The server refused a statement.
        package static let query = Code(.query)
        /// A migration failed, or an applied migration was changed after it ran.
        package static let migration = Code(.migration)
        /// A table or column name is not a plain SQL identifier.
        package static let invalidIdentifier = Code(.invalidIdentifier)
        /// A result value could not be decoded as the requested type.
        package static let decoding = Code(.decoding)
        /// The client was shut down.
        package static let closed = Code(.closed)
        /// No connection came free within ``PostgresConfiguration/poolWaitTimeout``.
        package static let poolTimeout = Code(.poolTimeout)

        package var description: String {
            switch base {
            case .connection: "connection"
            case .query: "query"
            case .migration: "migration"
            case .invalidIdentifier: "invalidIdentifier"
            case .decoding: "decoding"
            case .closed: "closed"
            case .poolTimeout: "poolTimeout"
            }
        }
    }

    /// What went wrong.
    package var code: Code
    /// A human-readable explanation, with the server's message where there is one.
    package var reason: String
    /// The five-character SQLSTATE the server reported, for example `23505` for a unique violation.
    package var sqlState: String?

    /// Whether retrying may succeed: the connection dropped, no connection came free in time, or the server
    /// reported a serialization failure (`40001`), a deadlock (`40P01`), a statement that ran past
    /// `statement_timeout` (`57014`), or that it is starting up or shutting down (class `57P`, `08`).
    package var isRetriable: Bool {
        if code == .connection || code == .poolTimeout { return true }
        guard let sqlState else { return false }
        return sqlState == "40001" || sqlState == "40P01" || sqlState == "57014" || sqlState.hasPrefix("08") || sqlState.hasPrefix("57P")
    }

    /// Whether the server refused a value the statement carried, not the statement or the connection: a
    /// data exception (class `22`: a NUL or an invalid byte in text, a number out of range, ...), an integrity
    /// violation (class `23`) other than a unique violation (the idempotency keys' conflicts are answered by
    /// `ON CONFLICT`; one that surfaces is a race, retried), or a program limit (class `54`: a value too
    /// large to index). Retrying the same values fails the same way.
    package var isCausedByData: Bool {
        guard code == .query, let sqlState, !isUniqueViolation else { return false }
        return sqlState.hasPrefix("22") || sqlState.hasPrefix("23") || sqlState.hasPrefix("54")
    }

    /// Whether the server refused the statement because it would break a unique constraint.
    package var isUniqueViolation: Bool { sqlState == "23505" }

    package var description: String {
        var text = "PostgresError(\(code)): \(reason)"
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        return text
    }

    init(code: Code, reason: String, sqlState: String? = nil) {
        self.code = code
        self.reason = reason
        self.sqlState = sqlState
    }
}
