import CivicKafka
import CivicModels
import CivicPostgres
import Foundation
import Logging
import Metrics

/// The stage that applies `ErasureRequest`s from ``CivicTopic/erasures`` to one service's schema. Every
/// service runs one, in its own consumer group, so a request reaches every stage. A request that cannot be
/// applied (unreadable, or failing ``ErasureRequest/problem``) goes to the dead-letter topic with its reason;
/// so does one not signed by a key of `verifyKeys` (`unauthenticated_request`): with no key configured, every
/// request is refused. A request applied twice (a replay) changes nothing.
package struct ErasureHandler: BatchHandler {
    /// Applies one valid request to the stage's schema, in one transaction, and says what it erased.
    package typealias Apply = @Sendable (ErasureRequest) async throws -> ErasedEvents.Erasure

    let stage: String
    let verifyKeys: EventVerifyingKeys
    let apply: Apply
    let logger: Logger
    private let decoder = CivicJSON.makeDecoder()
    private let encoder = CivicJSON.makeEncoder()
    private let applied: Counter
    private let rowsErased: Counter

    /// A handler for `stage` (its service name) applying the requests signed by one of `verifyKeys` with
    /// `apply`. With no key it refuses every request, and says so now.
    package init(stage: String, verifyKeys: EventVerifyingKeys, logger: Logger, apply: @escaping Apply) {
        self.stage = stage
        self.verifyKeys = verifyKeys
        self.apply = apply
        self.logger = logger
        if verifyKeys.isEmpty {
            logger.error("no erasure verify key configured (CIVIC_ERASURE_VERIFY_KEYS): every erasure request will be refused")
        } else {
            logger.info("erasure requests accepted from keys", metadata: ["civic.erasure.keys": "\(verifyKeys.keyIds.joined(separator: ","))"])
        }
        applied = Counter(label: "civic_erasure_requests_total", dimensions: [("stage", stage)])
        rowsErased = Counter(label: "civic_erased_rows_total", dimensions: [("stage", stage)])
    }

    /// A handler that deletes the requested events from `tables` and writes their tombstones in `erased`.
    package init(
        stage: String,
        verifyKeys: EventVerifyingKeys,
        client: PostgresClient,
        erased: ErasedEvents,
        tables: [ErasedEvents.EventTable],
        logger: Logger
    ) {
        self.init(stage: stage, verifyKeys: verifyKeys, logger: logger) { request in
            try await client.withTransaction { connection in
                try await erased.erase(request.keys, from: tables, cause: .request, requestId: request.requestId, on: connection)
            }
        }
    }

    package func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        var rejections: [KafkaOutboundMessage] = []
        for message in batch {
            let request: ErasureRequest
            do {
                request = try decoder.decode(ErasureRequest.self, from: Data(message.value))
            } catch {
                rejections.append(
                    try reject(message, code: .unreadableEvent, field: nil, reason: "\(stage) could not read the erasure request: \(error)")
                )
                continue
            }
            if let problem = request.problem {
                rejections.append(try reject(message, code: .invalidValue, field: problem.field, reason: "\(problem.field): \(problem.reason)"))
                continue
            }
            if let refusal = authenticationRefusal(request, message: message) {
                rejections.append(try reject(message, code: .unauthenticatedRequest, field: "signature", reason: "signature: \(refusal)"))
                continue
            }
            let erasure = try await apply(request)
            let rows = erasure.deleted.values.reduce(0, +)
            applied.increment()
            rowsErased.increment(by: rows)
            logger.notice(
                "erasure request applied",
                metadata: [
                    "civic.erasure.request": "\(request.requestId)", "civic.agency": "\(request.agency)",
                    "civic.erasure.events": "\(request.eventIds.count)", "civic.erasure.rows": "\(rows)",
                    "civic.erasure.tombstones": "\(erasure.tombstones)",
                ]
            )
        }
        return rejections
    }

    /// Why `request` is not authentic, or `nil`.
    private func authenticationRefusal(_ request: ErasureRequest, message: KafkaConsumerMessage) -> String? {
        if verifyKeys.isEmpty { return "\(stage) has no erasure verify key configured (CIVIC_ERASURE_VERIFY_KEYS) and refuses every request" }
        return verifyKeys.refusal(of: request, in: message.value).map { "the request \($0)" }
    }

    private func reject(_ message: KafkaConsumerMessage, code: RejectionCode, field: String?, reason: String) throws -> KafkaOutboundMessage {
        logger.warning("erasure request rejected", metadata: ["civic.rejection.reason": "\(reason)"])
        let record = RejectedFeedback(
            code: code,
            field: field,
            reason: reason,
            source: .init(topic: message.topic, partition: message.partition, offset: message.offset),
            original: message.value,
            stage: "\(stage)-erasure",
            rejectedAt: Date()
        )
        return try record.outbound(key: message.key, encoder: encoder)
    }
}
