import CivicKafka
import CivicModels
import CivicPostgres

/// How a stage treats a failed step: a value type that classes each error and decides what comes next,
/// tested without sockets. It reads what the shims say of their errors (`isRetriable`, `isFatal`,
/// `isCausedByData`, `isRefusedMessage`).
///
/// - **Transient** (connection lost, timeout, serialization failure, broker unavailable, and anything not
///   known to be caused by the data): the step is retried with back-off; the stage shows not ready meanwhile.
/// - **Caused by the data** (a value the database or the broker refuses, a value that cannot be encoded):
///   the failure is isolated to the message(s) that cause it by splitting the batch in halves; a single
///   message that still fails is set aside on the dead-letter topic with its code and reason, and the stage
///   moves on. No message can hold a partition.
/// - **Fatal** (a Kafka client that cannot recover): the stage stops so the process exits and is restarted.
package struct FailurePolicy: Sendable, Hashable {
    /// What to do about a failed step.
    package enum Decision: Sendable, Hashable {
        /// Retry the same step after a back-off.
        case retry
        /// Split the batch; a message that fails alone is set aside with this code and reason.
        case isolate(RejectionCode, reason: String)
        /// Stop the stage.
        case stop
    }

    /// Creates the policy.
    package init() {}

    /// The decision for `error`, thrown by a step (`prepare`, `handle` or `publish`).
    package func decide(_ error: any Error) -> Decision {
        switch error {
        case let error as KafkaError:
            if error.isFatal { return .stop }
            if error.isRefusedMessage { return .isolate(.publishRefused, reason: "the broker refused the stage's output: \(error.reason)") }
            return .retry
        case let error as PostgresError:
            if error.isCausedByData {
                return .isolate(.storageRefused, reason: "the database refused a value: \(error.reason) [SQLSTATE \(error.sqlState ?? "")]")
            }
            return .retry
        case let error as EncodingError:
            return .isolate(.processingFailed, reason: "the stage could not encode its output: \(error)")
        case let error as DecodingError:
            return .isolate(.processingFailed, reason: "the stage could not read the message: \(error)")
        case let error as any MessageRefusal:
            return .isolate(error.rejectionCode, reason: error.reason)
        default:
            return .retry
        }
    }
}

/// An error a handler throws when a message is the cause and retrying it cannot succeed, so the failure
/// policy isolates it and sets it aside with this code and reason.
package protocol MessageRefusal: Error {
    /// The dead letter's code.
    var rejectionCode: RejectionCode { get }
    /// The dead letter's reason.
    var reason: String { get }
}
