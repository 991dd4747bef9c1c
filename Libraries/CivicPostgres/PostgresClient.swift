import Logging
import Synchronization

/// A small pool of ``PostgresConnection``s.
///
/// Connections open lazily, up to ``PostgresConfiguration/maximumConnections``; a task that finds none
/// idle waits for one to come back. A broken connection is reset on its next use.
public final class PostgresClient: Sendable {
    private let configuration: PostgresConfiguration
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var idle: [PostgresConnection] = []
        var opened = 0
        var waiters: [CheckedContinuation<PostgresConnection, Never>] = []
        var closed = false
    }

    /// Creates a client; no connection is opened until first use.
    public init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Leases a connection for the duration of `body`.
    /// - Throws: ``PostgresError`` `.closed` after ``close()``, or whatever `body` throws.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        defer { release(connection) }
        return try await body(connection)
    }

    /// Runs a statement with parameters on a pooled connection.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// Runs `body` in a transaction on one pooled connection.
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { try await $0.withTransaction(body) }
    }

    /// Checks that the server answers (`SELECT 1`).
    public func ping() async throws {
        try await query("SELECT 1")
    }

    /// Stops handing out connections; idle ones are closed.
    public func close() {
        state.withLock { state in
            state.closed = true
            state.idle.removeAll()
        }
    }

    private func lease() async throws -> PostgresConnection {
        enum Next {
            case use(PostgresConnection)
            case open(Int)
            case wait
        }
        let next: Next = try state.withLock { state throws(PostgresError) -> Next in
            guard !state.closed else { throw PostgresError(code: .closed, reason: "the client is closed") }
            if let connection = state.idle.popLast() { return .use(connection) }
            if state.opened < configuration.maximumConnections {
                state.opened += 1
                return .open(state.opened)
            }
            return .wait
        }
        switch next {
        case .use(let connection):
            return connection
        case .open(let id):
            return PostgresConnection(configuration: configuration, logger: logger, id: id)
        case .wait:
            return await withCheckedContinuation { continuation in
                let ready: PostgresConnection? = state.withLock { state in
                    if let connection = state.idle.popLast() { return connection }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    private func release(_ connection: PostgresConnection) {
        let waiter: CheckedContinuation<PostgresConnection, Never>? = state.withLock { state in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            if !state.closed { state.idle.append(connection) }
            return nil
        }
        waiter?.resume(returning: connection)
    }
}
