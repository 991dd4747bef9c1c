import CivicIdentity
import CivicKafka
import CivicModels
import CivicRuntime
import CivicTime
import Foundation
import Logging
import Metrics

/// identity-verify's request/reply stage: answers ``IdentityRequest``s from any caller on the results
/// topic, keyed by correlation id, with the same verifier and pseudonyms as the feedback stage.
///
/// A request older than the reply deadline is answered `expired` without verification (its caller has
/// given up); an unreadable request is answered `invalid` when its correlation id can be read, and goes to
/// the rejected topic otherwise. Every answer is audited by source position, so a replay answers the
/// same request again with the same content and adds no audit row. A token is verified only bound to the
/// request's agency (by audience) or to its correlation id (by nonce), and its jti serves one request or
/// response only (``TokenLedger``): the same request again is answered `verified` again, any other use
/// `refused` with `token_replayed`.
struct IdentityRequestHandler: BatchHandler {
    let verifier: IdentityVerifier
    let store: VerificationStore
    let replyDeadline: Duration
    let logger: Logger

    private let decoder = CivicJSON.makeDecoder()
    private let encoder = CivicJSON.makeEncoder()
    private let requests = CounterFamily(label: "civic_identity_requests_total")

    func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        let now = Date()
        var outputs: [KafkaOutboundMessage] = []
        var audit: [VerificationStore.RequestAudit] = []
        for message in batch {
            let (result, agency) = try await answer(message, now: now)
            guard let result else {
                let record = RejectedFeedback(
                    code: .invalidIdentityRequest,
                    field: nil,
                    reason: "identity-verify could not read the request (no correlationId)",
                    source: .init(topic: message.topic, partition: message.partition, offset: message.offset),
                    original: message.value,
                    rejectedAt: now
                )
                outputs.append(
                    KafkaOutboundMessage(
                        topic: CivicTopic.rejected,
                        key: message.key.map(CredentialScrubber.scrub),
                        value: Array(try encoder.encode(record))
                    ).carryingTimestamp(of: message)
                )
                audit.append(.init(partition: message.partition, offset: message.offset, status: "rejected"))
                continue
            }
            requests.counter([("status", result.status.rawValue)]).increment()
            outputs.append(
                KafkaOutboundMessage(topic: CivicTopic.identityResults, key: result.correlationId, value: Array(try encoder.encode(result)))
                    .carryingTimestamp(of: message)
            )
            audit.append(
                .init(
                    partition: message.partition,
                    offset: message.offset,
                    correlationId: result.correlationId,
                    agency: agency,
                    status: result.status.rawValue,
                    refusal: result.refusal
                )
            )
        }
        try await store.record(requests: audit, now: now)
        return outputs
    }

    private func answer(_ message: KafkaConsumerMessage, now: Date) async throws -> (IdentityResult?, String?) {
        let request: IdentityRequest
        do {
            request = try decoder.decode(IdentityRequest.self, from: Data(message.value))
        } catch {
            let object = try? JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any]
            guard let correlationId = object?["correlationId"] as? String else { return (nil, nil) }
            return (IdentityResult(correlationId: correlationId, status: .invalid, reason: "unreadable request: \(error)", answeredAt: now), nil)
        }
        guard request.schema == SchemaVersion.identityRequest else {
            return (
                IdentityResult(
                    correlationId: request.correlationId,
                    status: .invalid,
                    reason: "schema \"\(request.schema)\" is not \(SchemaVersion.identityRequest)",
                    answeredAt: now
                ),
                request.agency
            )
        }
        // The deadline runs from when the caller sent it (or, failing that, when the broker stored it).
        let sentAt = request.requestedAt ?? message.timestampMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? now
        let deadlineSeconds = replyDeadline.timeInterval
        if now.timeIntervalSince(sentAt) > deadlineSeconds {
            return (
                IdentityResult(
                    correlationId: request.correlationId,
                    status: .expired,
                    reason: "the request is older than the \(deadlineSeconds) s reply deadline",
                    answeredAt: now
                ),
                request.agency
            )
        }
        // The token must be bound to the agency (or, by nonce, to this correlation id), and its jti used by no
        // other request or response.
        let use = TokenUse(.request, agency: request.agency ?? "", id: request.correlationId)
        let verdict = try await TokenLedger(store: store).verdict(await verifier.verify(request.idToken, for: use, at: sentAt), for: use, now: now)
        switch verdict {
        case .verified(let identity):
            let respondent = Respondent(
                status: .verified,
                pseudonym: identity.respondent.current.description,
                previousPseudonyms: identity.respondent.retained.isEmpty ? nil : identity.respondent.retained.map(\.description),
                ial: identity.assurance.identityLevel.description,
                aal: identity.assurance.authenticatorLevel?.description
            )
            return (IdentityResult(correlationId: request.correlationId, status: .verified, respondent: respondent, answeredAt: now), request.agency)
        case .refused(let refusal):
            return (
                IdentityResult(
                    correlationId: request.correlationId,
                    status: .refused,
                    refusal: refusal.code.description,
                    reason: refusal.reason,
                    answeredAt: now
                ),
                request.agency
            )
        }
    }
}
