import Logging
import Synchronization

/// A small pool of ``PostgresConnection``s.
///
/// Connections open lazily, up to ``PostgresConfiguration/maximumConnections``; a task that finds none
/// idle waits for one to come back, at most ``PostgresConfiguration/poolWaitTimeout`` (then
/// ``PostgresError/Code-swift.struct/poolTimeout``) and no longer than it stays uncancelled. A broken
/// connection is reset on its next use.
///
/// ``close()`` or ``shutdown()`` ends the pool: in a service, the runtime's `PostgresClientService` calls
/// ``shutdown()`` once the components that use the database have stopped.
package final class PostgresClient: Sendable {
    private let configuration: PostgresConfiguration
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var idle: [PostgresConnection] = []
        /// Connections made and not yet closed (idle, leased, or closing).
        var opened = 0
        /// Tasks waiting for a connection, oldest first, each with the id its timeout and cancellation name.
        var waiters: [(id: Int, continuation: CheckedContinuation<PostgresConnection, any Error>)] = []
        var nextWaiter = 0
        var closed = false
        /// ``shutdown()`` calls waiting for the last connection to close, by call.
        var shutdownWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextShutdownWaiter = 0
    }

    /// Creates a client; no connection is opened until first use.
    package init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Leases a connection for the duration of `body`.
    /// - Throws: ``PostgresError`` `.closed` after ``close()``, or whatever `body` throws.
    @discardableResult
    package func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        defer { release(connection) }
        return try await body(connection)
    }

    /// Runs a statement with parameters on a pooled connection.
    @discardableResult
    package func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// Runs `body` in a transaction on one pooled connection.
    @discardableResult
    package func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { try await $0.withTransaction(body) }
    }

    /// Checks that the server answers (`SELECT 1`).
    package func ping() async throws {
        try await query("SELECT 1")
    }

    /// Stops handing out connections: idle ones are closed now, leased ones when their lease ends, and
    /// tasks waiting for a connection, like every later call, get ``PostgresError`` `.closed`.
    package func close() {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.idle.removeAll()
                state.waiters.removeAll()
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: Self.closedError) }
        for connection in idle { finish(connection) }
    }

    /// Closes the client (see ``close()``) and waits until every connection it opened is closed, leased
    /// ones included; returns early if the task is cancelled.
    package func shutdown() async {
        close()
        let id = state.withLock { state in
            defer { state.nextShutdownWaiter += 1 }
            return state.nextShutdownWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let finished = state.withLock { state in
                    if state.opened == 0 || Task.isCancelled { return true }
                    state.shutdownWaiters[id] = continuation
                    return false
                }
                if finished { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.shutdownWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    private static let closedError = PostgresError(code: .closed, reason: "the client is closed")

    private func lease() async throws -> PostgresConnection {
        enum Next {
            case use(PostgresConnection)
            case open(Int)
            case wait
        }
        let next: Next = try state.withLock { state throws(PostgresError) -> Next in
            guard !state.closed else { throw Self.closedError }
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
            let id = state.withLock { state in
                defer { state.nextWaiter += 1 }
                return state.nextWaiter
            }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let ready: Result<PostgresConnection, any Error>? = state.withLock { state in
                        guard !state.closed else { return .failure(Self.closedError) }
                        if let connection = state.idle.popLast() { return .success(connection) }
                        // Cancelled before it could wait (the cancellation handler found no waiter to end).
                        if Task.isCancelled { return .failure(CancellationError()) }
                        state.waiters.append((id, continuation))
                        return nil
                    }
                    if let ready {
                        continuation.resume(with: ready)
                    } else if let timeout = configuration.poolWaitTimeout {
                        Task {
                            try? await Task.sleep(for: timeout)
                            self.abandonWait(
                                id,
                                throwing: PostgresError(
                                    code: .poolTimeout,
                                    reason: "no database connection came free within \(timeout) (all \(self.configuration.maximumConnections) in use)"
                                )
                            )
                        }
                    }
                }
            } onCancel: {
                abandonWait(id, throwing: CancellationError())
            }
        }
    }

    /// Ends the wait `id` with `error`, unless it already got a connection.
    private func abandonWait(_ id: Int, throwing error: any Error) {
        let waiter = state.withLock { state in
            state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
        }
        waiter?.resume(throwing: error)
    }

    private func release(_ connection: PostgresConnection) {
        enum Next {
            case handOver(CheckedContinuation<PostgresConnection, any Error>)
            case keep
            case finish
        }
        let next: Next = state.withLock { state in
            if state.closed { return .finish }
            if !state.waiters.isEmpty { return .handOver(state.waiters.removeFirst().continuation) }
            state.idle.append(connection)
            return .keep
        }
        switch next {
        case .handOver(let waiter): waiter.resume(returning: connection)
        case .keep: break
        case .finish: finish(connection)
        }
    }

    /// Closes a connection the pool no longer hands out; the last one wakes ``shutdown()``.
    private func finish(_ connection: PostgresConnection) {
        connection.finish {
            let waiters = self.state.withLock { state in
                state.opened -= 1
                guard state.opened == 0 else { return [CheckedContinuation<Void, Never>]() }
                defer { state.shutdownWaiters.removeAll() }
                return Array(state.shutdownWaiters.values)
            }
            for waiter in waiters { waiter.resume() }
        }
    }
}
