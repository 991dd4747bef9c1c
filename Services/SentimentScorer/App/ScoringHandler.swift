import CivicJSON
import CivicKafka
import CivicModels
import CivicRuntime
import CivicSentiment
import Foundation
import Logging
import Metrics

/// sentiment-scorer's stage: score each verified comment for sentiment (VADER-exact) and emotion, in
/// parallel across cores, store the scores, and forward the scored event under the same key.
///
/// Comments whose locale or detected language is not English are forwarded unscored for sentiment with
/// the reason, rather than scored wrongly.
struct ScoringHandler: BatchHandler {
    let scorer: CommentScorer
    let store: ScoreStore
    let logger: Logger

    private let decoder = CivicJSON.makeDecoder()
    private let encoder = CivicJSON.makeEncoder()

    func handle(_ batch: [KafkaConsumerMessage]) async throws -> [KafkaOutboundMessage] {
        let now = Date()
        var outputs: [KafkaOutboundMessage] = []
        var events: [(event: FeedbackEvent, source: KafkaConsumerMessage)] = []
        for message in batch {
            do {
                events.append((try FeedbackEvent.decode(message.value, fallback: decoder), message))
            } catch {
                logger.error("unreadable event on the verified topic", metadata: ["error": "\(error)", "kafka.offset": "\(message.offset)"])
                outputs.append(
                    try RejectedFeedback.unreadable(message, stage: "sentiment-scorer", error: error, at: now)
                        .outbound(key: message.key, encoder: encoder).carryingTimestamp(of: message)
                )
            }
        }
        // Positions of the events that carry a comment; scores come back in the same order.
        var commented: [Int] = []
        var texts: [String] = []
        var locales: [String?] = []
        for (index, item) in events.enumerated() {
            guard let comment = item.event.comment, !comment.isEmpty else { continue }
            commented.append(index)
            texts.append(comment)
            locales.append(item.event.locale)
        }
        var scoreByEvent = [CommentScore?](repeating: nil, count: events.count)
        for (position, score) in zip(commented, await scorer.scores(texts, locales: locales)) {
            scoreByEvent[position] = score
        }
        var rows: [ScoreStore.Score] = []
        rows.reserveCapacity(events.count)
        var forwarded: [(key: EventKey, message: KafkaOutboundMessage)] = []
        for (index, item) in events.enumerated() {
            var event = item.event
            event.schema = SchemaVersion.scored
            let scored = scoreByEvent[index]
            if let sentiment = scored?.sentiment {
                event.sentiment = CivicModels.SentimentScores(
                    neg: sentiment.neg,
                    neu: sentiment.neu,
                    pos: sentiment.pos,
                    compound: sentiment.compound
                )
            }
            var emotions: [String: Double] = [:]
            if let scored {
                for emotion in scored.emotions.expressed { emotions[emotion.rawValue] = scored.emotions[emotion].intensity }
            }
            event.emotions = emotions
            let unscoredReason: ScorerInfo.UnscoredReason? = scored == nil ? .noComment : scored?.unscoredReason.map(ScorerInfo.UnscoredReason.init)
            event.scorer = ScorerInfo(version: CommentScorer.scorerVersion, unscoredReason: unscoredReason)
            let emotionsJSON = String(decoding: JSONWriter.object(numbers: emotions), as: UTF8.self)
            rows.append(
                ScoreStore.Score(
                    eventId: event.eventId,
                    agency: event.agency,
                    neg: event.sentiment?.neg,
                    neu: event.sentiment?.neu,
                    pos: event.sentiment?.pos,
                    compound: event.sentiment?.compound,
                    unscoredReason: unscoredReason?.rawValue,
                    emotionsJSON: emotionsJSON,
                    scorerVersion: CommentScorer.scorerVersion
                )
            )
            forwarded.append(
                (
                    event.key,
                    KafkaOutboundMessage(topic: CivicTopic.scored, key: item.source.key, value: try event.contractJSON())
                        .carryingTimestamp(of: item.source)
                )
            )
        }
        let erased = try await store.record(rows, now: now)
        // Erased events (a tombstone in this stage) are neither stored nor forwarded.
        outputs += forwarded.filter { !erased.contains($0.key) }.map(\.message)
        Counter(label: "civic_scorer_comments_total").increment(by: texts.count)
        return outputs
    }
}
