import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation
import Logging

/// reporting's stage: store scored responses and operational events and update the quarterly cells,
/// idempotently (a replayed event changes nothing); open follow-ups for new responses that match their
/// agency's rules (published on ``CivicTopic/followUps``), and apply case systems' updates
/// (``CivicTopic/caseUpdates``) signed by a key the rules list for the update's agency, timed between the
/// follow-up's opening and now (plus ``CaseUpdate/maxClockSkew``). Input it cannot use goes to the
/// dead-letter topic with its reason.
package struct ReportingHandler: BatchHandler {
    let store: ReportingStore
    let fiscalYearStartMonth: Int
    let rules: FollowUpRules
    let logger: Logger

    package init(store: ReportingStore, fiscalYearStartMonth: Int, rules: FollowUpRules = FollowUpRules(), logger: Logger) {
        self.store = store
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.rules = rules
        self.logger = logger
    }

    /// A handler storing into `client`'s database (reporting's migrations must be applied), as the service
    /// runs it; for benchmarks and tools that feed batches directly.
    package init(client: PostgresClient, fiscalYearStartMonth: Int = 10, logger: Logger) {
        self.init(store: ReportingStore(client: client), fiscalYearStartMonth: fiscalYearStartMonth, logger: logger)
    }

    private let decoder = CivicJSON.makeDecoder()
    private let encoder = CivicJSON.makeEncoder()

    package func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        var feedback: [FeedbackRow] = []
        var operations: [OperationsRow] = []
        var rejections: [KafkaOutboundMessage] = []
        let now = Date()
        var updates: [(CaseUpdate, KafkaConsumerMessage)] = []
        // The trace context of each response, which the follow-ups it opens carry (they are keyed by case id).
        var traces: [String: [KafkaHeader]] = [:]
        for message in batch {
            do {
                if message.topic == CivicTopic.caseUpdates {
                    let update = try decoder.decode(CaseUpdate.self, from: Data(message.value))
                    if let problem = update.problem { throw RejectionReason(code: .invalidValue, field: problem.field, text: problem.reason) }
                    if let refusal = caseUpdateRefusal(update, message: message) {
                        throw RejectionReason(code: .unauthenticatedRequest, field: "signature", text: refusal)
                    }
                    if update.at > now.addingTimeInterval(CaseUpdate.maxClockSkew) {
                        throw RejectionReason(
                            code: .outOfRange,
                            field: "at",
                            text: "\(Timestamp.format(update.at)) is later than now plus \(Int(CaseUpdate.maxClockSkew)) s"
                        )
                    }
                    updates.append((update, message))
                } else if message.topic == CivicTopic.operations {
                    let event = try decoder.decode(OperationsEvent.self, from: Data(message.value))
                    guard event.schema == SchemaVersion.operations else {
                        throw RejectionReason(code: .unknownSchema, field: "schema", text: "\"\(event.schema)\" is not \(SchemaVersion.operations)")
                    }
                    if let seconds = event.handleSeconds, !(seconds.isFinite && ScoredEventLimits.handleSeconds.contains(seconds)) {
                        throw RejectionReason(code: .outOfRange, field: "handleSeconds", text: "\(seconds) is outside 0...31536000")
                    }
                    if let touchpoint = event.touchpoint, !ScoredEventLimits.isTransactionPoint(touchpoint) {
                        throw RejectionReason(code: .invalidValue, field: "touchpoint", text: ScoredEventLimits.transactionPointReason)
                    }
                    operations.append(OperationsRow(event: event, fiscalYearStartMonth: fiscalYearStartMonth))
                } else {
                    let event = try FeedbackEvent.decode(message.value, fallback: decoder)
                    if let problem = ScoredEventLimits.problem(in: event) {
                        throw RejectionReason(code: .outOfRange, field: problem.field, text: problem.reason)
                    }
                    let payload = String(decoding: message.value, as: UTF8.self)
                    feedback.append(
                        FeedbackRow(
                            event: event,
                            payload: payload,
                            fiscalYearStartMonth: fiscalYearStartMonth,
                            traceId: TraceContext.traceID(in: message.headers)
                        )
                    )
                    let context = TraceContext.headers(in: message.headers)
                    if !context.isEmpty { traces[event.eventId] = context }
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
        let ingested = try await store.ingest(feedback: feedback, operations: operations, rules: rules, now: now)
        var outputs = try ingested.followUps.map {
            var followUp = KafkaOutboundMessage(topic: CivicTopic.followUps, key: $0.caseId, value: Array(try encoder.encode($0)))
            followUp.headers = traces[$0.eventId] ?? []
            return followUp
        }
        for (update, message) in updates {
            let refusal: (code: RejectionCode, field: String, reason: String)
            switch try await store.apply(update) {
            case .applied: continue
            case .noSuchCase: refusal = (.invalidValue, "caseId", "agency \(update.agency) has no follow-up \(update.caseId)")
            case .beforeOpening(let opened):
                refusal = (.outOfRange, "at", "\(Timestamp.format(update.at)) is before the follow-up was opened (\(Timestamp.format(opened)))")
            }
            let record = RejectedFeedback(
                code: refusal.code,
                field: refusal.field,
                reason: "\(refusal.field): \(refusal.reason)",
                source: .init(topic: message.topic, partition: message.partition, offset: message.offset),
                original: message.value,
                rejectedAt: now
            )
            rejections.append(KafkaOutboundMessage(topic: CivicTopic.rejected, key: message.key, value: Array(try encoder.encode(record))))
        }
        outputs += rejections
        return outputs
    }

    /// Why `update` is not its agency's case system's, or `nil`: it must be signed by one of the keys the
    /// rules file lists for `update.agency` (so another agency's key, or none, is refused).
    private func caseUpdateRefusal(_ update: CaseUpdate, message: KafkaConsumerMessage) -> String? {
        guard let keys = rules.caseSystemKeys[update.agency], !keys.isEmpty else {
            return "agency \(update.agency) has no case system key configured (caseSystemKeys in the follow-up rules file)"
        }
        return keys.refusal(of: update, in: message.value).map { "the update for agency \(update.agency) \($0)" }
    }

    private struct RejectionReason: Error {
        var code: RejectionCode
        var field: String
        var text: String
    }
}
