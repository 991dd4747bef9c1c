import Logging
import ReportingCore
import ServiceLifecycle

/// Fills, after start-up, the answer columns (migration 19) of the responses stored before them, a batch per short
/// transaction, so the migration itself rewrites nothing and never holds the table. Until a row is filled the
/// analyses read its answers from `payload`, with the same results. Replicas share the work (rows held by another
/// are skipped). Once none is left it waits for shutdown; a failed batch is tried again after `retryDelay`.
struct AnswerColumnsBackfill: Service {
    /// Responses filled per transaction.
    static let batchSize = 5_000
    /// How long to wait after a failed batch.
    static let retryDelay = Duration.seconds(60)

    let store: ReportingStore
    let logger: Logger

    func run() async throws {
        var filled = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let count = try await store.fillAnswerColumns(limit: Self.batchSize)
                if count == 0 { break }
                filled += count
            } catch is CancellationError {
                return
            } catch {
                logger.error("filling the answer columns failed; trying again", metadata: ["error": "\(error)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.retryDelay) }
            }
        }
        if filled > 0 { logger.notice("answer columns filled", metadata: ["civic.reporting.filled": "\(filled)"]) }
        try? await gracefulShutdown()
    }
}
