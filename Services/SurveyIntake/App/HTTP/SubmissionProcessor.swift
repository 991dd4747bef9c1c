import CivicKafka
import CivicModels
import CivicRuntime
import Foundation
import Logging
import Tracing

/// The HTTP front door's work on one authenticated body: split it into items, decide each with a
/// ``HTTPItemValidator``, publish valid items to the API key's agency's own topic
/// (``CivicTopic/submitted(agency:)``) and rejections to ``CivicTopic/rejected``, and answer only once the broker
/// has acknowledged all of them.
///
/// The flow stays one way: valid items go to the same topic the agency publishes to, and survey-intake's stream
/// processor de-duplicates, stores and forwards them as it does every other submission.
struct SubmissionProcessor<Validator: HTTPItemValidator>: Sendable {
    let validator: Validator
    let producer: KafkaProducer
    let maxBatchItems: Int
    let logger: Logger

    private static var encoder: JSONEncoder { CivicJSON.makeEncoder() }

    /// Processes `body`.
    /// - Throws: ``APIError``: 400 for a body that is not JSON (published as a rejection too) or has
    ///   too many or no items; 503 when the broker or the registry is down (the client retries).
    func process(body: [UInt8], in submission: SubmissionContext) async throws(APIError) -> SubmissionResult {
        let items = try await split(body, in: submission)
        var results: [SubmissionResult.Item] = []
        results.reserveCapacity(items.count)
        var verdicts: [ItemVerdict] = []
        verdicts.reserveCapacity(items.count)
        for item in items {
            do {
                verdicts.append(try await validator.verdict(for: item, in: submission))
            } catch {
                logger.error("could not validate an HTTP submission", metadata: ["error": "\(error)"])
                throw .databaseUnavailable
            }
        }
        // A single object that is not JSON is a malformed body (400), like a malformed array.
        if items.count == 1, body.first(where: { !Self.isWhitespace($0) }) != UInt8(ascii: "["),
            case .rejected(let refusal) = verdicts[0],
            refusal.code == .notJSON || refusal.code == .notUTF8
        {
            try await publish([rejection(refusal, original: body, in: submission)])
            throw .badRequest(refusal.code, refusal.reason)
        }

        // Each event id is published once per request (a second copy in the same request is a duplicate).
        var messages: [KafkaOutboundMessage] = []
        var spans: [any Span] = []
        var published: Set<String> = []
        let topic = CivicTopic.submitted(agency: submission.agency)
        for (index, verdict) in verdicts.enumerated() {
            switch verdict {
            case .valid(let eventId, let value):
                guard published.insert(eventId).inserted else {
                    results.append(.init(index: index, eventId: eventId, status: .duplicate))
                    continue
                }
                // Each response's trace: the agency's request's, continued, or its own, started here.
                var message = KafkaOutboundMessage(topic: topic, key: eventId, value: value)
                let trace = submission.trace.start("intake accept", topic: topic, key: eventId)
                message.headers = trace.headers
                if let span = trace.span {
                    span.attributes["civicpulse.request_id"] = submission.requestId
                    spans.append(span)
                }
                messages.append(message)
                results.append(.init(index: index, eventId: eventId, status: .accepted))
            case .rejected(let refusal):
                messages.append(try rejection(refusal, original: items[index], in: submission))
                results.append(
                    .init(
                        index: index,
                        eventId: refusal.eventId,
                        status: .rejected,
                        code: refusal.code.rawValue,
                        field: refusal.field,
                        reason: refusal.reason
                    )
                )
            }
        }
        // The duplicate look-up runs while the broker acknowledges, instead of before: the request waits for
        // the longer of the two, not both. An id stored before this request arrived is reported `duplicate`;
        // its copy published here reaches the stream processor, which records it as a duplicate submission
        // and does not forward it.
        async let earlier = received(Array(published), agency: submission.agency, before: submission.now)
        do {
            try await publish(messages)
        } catch {
            for span in spans {
                span.setStatus(SpanStatus(code: .error, message: "the broker did not acknowledge the record"))
                span.end()
            }
            throw error
        }
        for span in spans { span.end() }
        let received = await earlier
        if !received.isEmpty {
            for index in results.indices where results[index].status == .accepted {
                if let eventId = results[index].eventId, received.contains(eventId) { results[index].status = .duplicate }
            }
        }
        return SubmissionResult(requestId: submission.requestId, results: results)
    }

    /// Which of `agency`'s `eventIds` were received before `before`; none when the database cannot say.
    private func received(_ eventIds: [String], agency: String, before: Date) async -> Set<String> {
        do {
            return try await validator.alreadyReceived(eventIds, agency: agency, before: before)
        } catch {
            // Only the `duplicate` report is lost: the stream processor still de-duplicates.
            logger.warning("duplicate look-up failed; reporting items as accepted", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// The items of `body`: the elements of an array, or the body itself.
    private func split(_ body: [UInt8], in submission: SubmissionContext) async throws(APIError) -> [[UInt8]] {
        guard body.first(where: { !Self.isWhitespace($0) }) == UInt8(ascii: "[") else { return [body] }
        guard (try? JSONSerialization.jsonObject(with: Data(body))) != nil, let ranges = JSONArrayItems.split(body) else {
            let refusal =
                String(validating: body, as: UTF8.self) == nil
                ? ItemRefusal(Rejection(.notUTF8, field: nil, "payload is not valid UTF-8"))
                : ItemRefusal(Rejection(.notJSON, field: nil, "payload is not JSON: the array is malformed"))
            try await publish([rejection(refusal, original: body, in: submission)])
            throw .badRequest(refusal.code, refusal.reason)
        }
        guard !ranges.isEmpty else { throw .badRequest(.emptyBatch, "the array has no items") }
        guard ranges.count <= maxBatchItems else {
            throw .badRequest(.tooManyItems, "the array has \(ranges.count) items; the limit is \(maxBatchItems)")
        }
        return ranges.map { Array(body[$0]) }
    }

    private func rejection(
        _ refusal: ItemRefusal,
        original: [UInt8],
        in submission: SubmissionContext
    ) throws(APIError)
        -> KafkaOutboundMessage
    {
        let record = RejectedFeedback(
            code: refusal.code,
            field: refusal.field,
            reason: refusal.reason,
            source: .init(httpRequestId: submission.requestId),
            original: original,
            eventId: refusal.eventId,
            rejectedAt: submission.now
        )
        logger.notice(
            "HTTP item rejected",
            metadata: ["civic.rejection.code": "\(refusal.code)", "civic.http.request.id": "\(submission.requestId)"]
        )
        do {
            var message = try record.outbound(key: record.eventId.map { Array($0.utf8) }, encoder: Self.encoder)
            // A rejected item's dead letter has a trace too (the agency's, continued, or its own): its span records the
            // refusal as an error.
            let trace = submission.trace.start("intake reject", topic: CivicTopic.rejected, key: record.eventId)
            message.headers = trace.headers
            if let span = trace.span {
                span.updateAttributes { attributes in
                    attributes["civicpulse.request_id"] = submission.requestId
                    attributes["civicpulse.rejection_code"] = refusal.code.rawValue
                    attributes["civicpulse.dead_letter"] = true
                }
                span.setStatus(SpanStatus(code: .error, message: refusal.code.rawValue))
                span.end()
            }
            return message
        } catch {
            // Encoding a struct of strings and dates cannot fail; treat it as a server error if it does.
            logger.error("could not encode a rejection", metadata: ["error": "\(error)"])
            throw .brokerUnavailable
        }
    }

    private func publish(_ messages: [KafkaOutboundMessage]) async throws(APIError) {
        do {
            try await producer.send(messages)
        } catch {
            logger.error(
                "publishing an HTTP submission failed",
                metadata: ["error": "\(error)", "civic.messages": "\(messages.count)"]
            )
            throw .brokerUnavailable
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
