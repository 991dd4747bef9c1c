import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation
import Logging

/// reporting's stage: store scored responses and operational events and update the quarterly cells,
/// idempotently (a replayed event changes nothing). It publishes nothing downstream, except rejections
/// of operational events that cannot be read.
public struct ReportingHandler: BatchHandler {
    let store: ReportingStore
    let fiscalYearStartMonth: Int
    let logger: Logger

    init(store: ReportingStore, fiscalYearStartMonth: Int, logger: Logger) {
        self.store = store
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.logger = logger
    }

    /// A handler storing into `client`'s database (reporting's migrations must be applied), as the service
    /// runs it; for benchmarks and tools that feed batches directly.
    public init(client: PostgresClient, fiscalYearStartMonth: Int = 10, logger: Logger) {
        self.init(store: ReportingStore(client: client), fiscalYearStartMonth: fiscalYearStartMonth, logger: logger)
    }

    private let decoder = CivicJSON.makeDecoder()
    private let encoder = CivicJSON.makeEncoder()

    public func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        var feedback: [FeedbackRow] = []
        var operations: [OperationsRow] = []
        var rejections: [KafkaOutboundMessage] = []
        let now = Date()
        for message in batch {
            do {
                if message.topic == CivicTopic.operations {
                    let event = try decoder.decode(OperationsEvent.self, from: Data(message.value))
                    guard event.schema == SchemaVersion.operations else {
                        throw RejectionReason(code: .unknownSchema, field: "schema", text: "\"\(event.schema)\" is not \(SchemaVersion.operations)")
                    }
                    operations.append(OperationsRow(event: event, fiscalYearStartMonth: fiscalYearStartMonth))
                } else {
                    let event = try decoder.decode(FeedbackEvent.self, from: Data(message.value))
                    if let problem = ScoredEventLimits.problem(in: event) {
                        throw RejectionReason(code: .outOfRange, field: problem.field, text: problem.reason)
                    }
                    let payload = String(decoding: message.value, as: UTF8.self)
                    feedback.append(FeedbackRow(event: event, payload: payload, fiscalYearStartMonth: fiscalYearStartMonth))
                }
            } catch {
                let reason = error as? RejectionReason
                let record = RejectedFeedback(
                    code: reason?.code ?? .unreadableEvent,
                    field: reason?.field,
                    reason: reason.map { "\($0.field): \($0.text)" } ?? "reporting could not read the event: \(error)",
                    source: .init(topic: message.topic, partition: message.partition, offset: message.offset),
                    original: message.value,
                    rejectedAt: now
                )
                logger.notice("event rejected by reporting", metadata: ["civic.rejection.reason": "\(record.reason)"])
                rejections.append(
                    KafkaOutboundMessage(topic: CivicTopic.rejected, key: message.key, value: Array(try encoder.encode(record))).carryingTimestamp(
                        of: message
                    )
                )
            }
        }
        try await store.ingest(feedback: feedback, operations: operations)
        return rejections
    }

    private struct RejectionReason: Error {
        var code: RejectionCode
        var field: String
        var text: String
    }
}
