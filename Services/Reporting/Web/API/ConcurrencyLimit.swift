import Foundation
import Synchronization

/// Places for one expensive kind of request in this process: at most ``limit`` run at once, and a request that
/// finds every place taken is answered 429 rather than queued. Two kinds use one:
/// - the Touchpoints exports (`touchpoints.csv`, `touchpoints.ndjson`), each holding one pooled database
///   connection (its server-side cursor) for as long as its client takes to read it, so the rest of the pool
///   (`CIVIC_POSTGRES_MAX_CONNECTIONS`) stays with the stream processor and every other route
///   (`CIVIC_REPORTING_EXPORT_STREAMS`);
/// - the themes and key-driver analyses (`/v1/reports/themes`, `/drivers`, the dashboard's panels and
///   `summary.html`), each reading an agency's quarter of comments several times on one core
///   (`CIVIC_REPORTING_INSIGHT_ANALYSES`).
package final class ConcurrencyLimit: Sendable {
    /// The most requests at once.
    let limit: Int
    private let running = Mutex(0)

    /// - Parameter limit: The most requests at once (at least 1).
    package init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a place, or `nil` when every place is taken.
    func start() -> ConcurrencyLease? {
        let admitted = running.withLock { running in
            guard running < limit else { return false }
            running += 1
            return true
        }
        return admitted ? ConcurrencyLease(limit: self) : nil
    }

    fileprivate func finish() {
        running.withLock { $0 -= 1 }
    }
}

/// One request's place in a ``ConcurrencyLimit``, freed once: by ``finish()`` or, at the latest, when the
/// response holding it is sent or dropped unsent.
package final class ConcurrencyLease: Sendable {
    private let limit: ConcurrencyLimit
    private let finished = Mutex(false)

    fileprivate init(limit: ConcurrencyLimit) {
        self.limit = limit
    }

    /// Frees the place (once; later calls do nothing).
    func finish() {
        let first = finished.withLock { done in
            defer { done = true }
            return !done
        }
        if first { limit.finish() }
    }

    deinit { finish() }
}
