import Foundation
import Synchronization

/// The Touchpoints exports (`touchpoints.csv`, `touchpoints.ndjson`) being streamed by this process. Each holds
/// one pooled database connection (its server-side cursor) for as long as its client takes to read it, so at
/// most ``limit`` run at once, leaving the rest of the pool (`CIVIC_POSTGRES_MAX_CONNECTIONS`) to the stream
/// processor and every other route; past it the request is answered 429. (`CIVIC_REPORTING_EXPORT_STREAMS`)
package final class ExportStreams: Sendable {
    /// The most streams at once.
    let limit: Int
    private let running = Mutex(0)

    /// - Parameter limit: The most streams at once (at least 1).
    package init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a place for a stream, or `nil` when every place is taken.
    func start() -> ExportStreamLease? {
        let admitted = running.withLock { running in
            guard running < limit else { return false }
            running += 1
            return true
        }
        return admitted ? ExportStreamLease(streams: self) : nil
    }

    fileprivate func finish() {
        running.withLock { $0 -= 1 }
    }
}

/// One stream's place in ``ExportStreams``, freed once: by ``finish()`` or, at the latest, when the response
/// holding it is sent or dropped unsent.
package final class ExportStreamLease: Sendable {
    private let streams: ExportStreams
    private let finished = Mutex(false)

    fileprivate init(streams: ExportStreams) {
        self.streams = streams
    }

    /// Frees the place (once; later calls do nothing).
    func finish() {
        let first = finished.withLock { done in
            defer { done = true }
            return !done
        }
        if first { streams.finish() }
    }

    deinit { finish() }
}
