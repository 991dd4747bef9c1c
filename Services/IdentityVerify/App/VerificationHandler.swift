import CivicIdentity
import CivicKafka
import CivicModels
import CivicRuntime
import Foundation
import Logging
import Metrics

/// identity-verify's stage: verify each accepted response's identity token (bound to the response's
/// agency or event, its jti used by no other response: ``TokenLedger``), replace it with keyed
/// pseudonyms, redact PII from the comment, audit the verdict, and forward the response keyed by
/// pseudonym so one respondent's events stay ordered.
struct VerificationHandler: BatchHandler {
    let verifier: IdentityVerifier
    let redactor: PIIRedactor
    let store: VerificationStore
    let logger: Logger

    private let decoder = CivicJSON.makeDecoder()
    private let encoder = CivicJSON.makeEncoder()
    private let verdicts = CounterFamily(label: "civic_identity_verdicts_total")

    func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        let now = Date()
        var outputs: [KafkaOutboundMessage] = []
        var audits: [VerificationStore.Audit] = []
        var results: [(key: EventKey, message: KafkaOutboundMessage)] = []
        for message in batch {
            let event: FeedbackEvent
            do {
                event = try FeedbackEvent.decode(message.value, fallback: decoder)
            } catch {
                logger.error("unreadable event on the accepted topic", metadata: ["error": "\(error)", "kafka.offset": "\(message.offset)"])
                outputs.append(
                    try RejectedFeedback.unreadable(message, stage: "identity-verify", error: error, at: now).outbound(
                        key: message.key,
                        encoder: encoder
                    ).carryingTimestamp(of: message)
                )
                continue
            }
            let (verified, audit, rejection) = try await process(event, now: now)
            audits.append(audit)
            if let rejection {
                results.append(
                    (
                        event.key,
                        KafkaOutboundMessage(topic: CivicTopic.rejected, key: event.eventId, value: Array(try encoder.encode(rejection)))
                            .carryingTimestamp(of: message)
                    )
                )
                continue
            }
            let key = verified.respondent?.pseudonym ?? verified.eventId
            results.append(
                (
                    event.key,
                    KafkaOutboundMessage(topic: CivicTopic.verified, key: key, value: try verified.contractJSON())
                        .carryingTimestamp(of: message)
                )
            )
        }
        let erased = try await store.record(audits, now: now)
        // Erased events (a tombstone in this stage) are neither recorded nor forwarded.
        return outputs + results.filter { !erased.contains($0.key) }.map(\.message)
    }

    /// An issuer's keys could not be loaded (a JWKS outage): no verdict is given, the batch is retried with
    /// back-off (the stage shows not ready with this reason) until the keys load, so an outage never turns
    /// into permanent refusals.
    struct IssuerKeysUnavailable: Error, CustomStringConvertible {
        var reason: String
        var description: String { "no verdict while the issuer's keys cannot be loaded: \(reason)" }
    }

    private func process(_ event: FeedbackEvent, now: Date) async throws -> (FeedbackEvent, VerificationStore.Audit, RejectedFeedback?) {
        var verified = event
        verified.schema = SchemaVersion.verified
        verified.identity = nil
        var audit = VerificationStore.Audit(
            eventId: event.eventId,
            agency: event.agency,
            verdict: RespondentStatus.anonymous.rawValue,
            deprecatedACR: false,
            redactions: 0
        )

        if let comment = event.comment {
            let result = redactor.redact(comment)
            verified.comment = result.text
            var counts: [String: Int] = [:]
            for kind in PIIKind.allCases where result.counts[kind] > 0 { counts[kind.rawValue] = result.counts[kind] }
            verified.redactions = counts
            audit.redactions = result.counts.total
        }

        guard let token = event.identity?.idToken else {
            verified.respondent = Respondent(status: .anonymous)
            verdicts.counter([("verdict", RespondentStatus.anonymous.rawValue)]).increment()
            return (verified, audit, nil)
        }
        // Verify at the time intake received the response, so a replay gives the same verdict; the token must
        // be bound to this agency (and, by nonce, to this event), and its jti used by no other response.
        let use = TokenUse(.event, agency: event.agency, id: event.eventId)
        let verdict = try await TokenLedger(store: store).verdict(
            await verifier.verify(token, for: use, at: event.receivedAt ?? now),
            for: use,
            now: now
        )
        switch verdict {
        case .verified(let identity):
            verified.respondent = Respondent(
                status: .verified,
                pseudonym: identity.respondent.current.description,
                previousPseudonyms: identity.respondent.retained.isEmpty ? nil : identity.respondent.retained.map(\.description),
                ial: identity.assurance.identityLevel.description,
                aal: identity.assurance.authenticatorLevel?.description
            )
            audit.verdict = RespondentStatus.verified.rawValue
            audit.issuer = identity.issuer
            audit.identityLevel = identity.assurance.identityLevel.description
            audit.authenticatorLevel = identity.assurance.authenticatorLevel?.description
            audit.deprecatedACR = identity.assurance.usesDeprecatedValues
            audit.keyVersion = Int(identity.respondent.current.keyVersion)
            verdicts.counter([("verdict", RespondentStatus.verified.rawValue)]).increment()
            return (verified, audit, nil)
        case .refused(let refusal) where refusal.isRetriable:
            throw IssuerKeysUnavailable(reason: refusal.reason)
        case .refused(let refusal):
            audit.verdict = RespondentStatus.refused.rawValue
            audit.refusal = refusal.code.description
            verdicts.counter([("verdict", RespondentStatus.refused.rawValue), ("code", refusal.code.description)]).increment()
            logger.info("identity token refused", metadata: ["civic.event.id": "\(event.eventId)", "civic.identity.refusal": "\(refusal.code)"])
            if verifier.policy(for: event.agency).onRefusal == .reject {
                audit.verdict = "rejected"
                let record = RejectedFeedback(
                    code: .identityRefused,
                    field: "identity.idToken",
                    reason:
                        "identity.idToken: \(refusal.reason) (\(refusal.code)); agency \(event.agency) rejects responses whose identity is refused",
                    source: .init(topic: CivicTopic.accepted),
                    original: Array((try? encoder.encode(verified)) ?? Data()),
                    eventId: event.eventId,
                    rejectedAt: now
                )
                return (verified, audit, record)
            }
            verified.respondent = Respondent(status: .refused, refusal: refusal.code.description)
            return (verified, audit, nil)
        }
    }
}
