import CivicModels
import CivicTesting
import Foundation

/// A seeded data set for reporting with everything the reports must show recomputed independently of the
/// service: its own loops, its own Wilson, NPS and z-test arithmetic, and its own small-cell rules.
struct ReportingDataSet {
    /// One response as the test knows it (already normalised, as sentiment-scorer publishes it).
    struct Response {
        var event: FeedbackEvent
        var key: String
    }

    /// One operational event.
    struct Contact {
        var event: OperationsEvent
        var key: String
    }

    static let minimumCellSize = 10
    static let drivers = ["effectiveness", "ease", "efficiency", "transparency", "humanity", "employee", "other"]
    static let legacyDrivers = ["effectiveness", "ease", "efficiency", "transparency", "employee"]
    static let emotions = ["anger", "fear", "sadness", "joy", "frustration", "confusion", "disappointment", "gratitude"]
    /// Message keys: few, so that a marker sent with each key follows every earlier message of its partition.
    static let keys = (0..<16).map { "key-\($0)" }

    var responses: [Response] = []
    var contacts: [Contact] = []

    /// Generates the data set: three agencies (VA's cells stay under the minimum), two fiscal quarters
    /// (FY2027 Q1 and Q2), both forms, thumbs and likert5 trust, recommend, comments with sentiment and
    /// emotions, unscored (non-English) comments, spam-flagged responses, and operational events.
    init(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let quarterStarts = [Timestamp.parse("2026-10-02T00:00:00Z")!, Timestamp.parse("2027-01-02T00:00:00Z")!]
        let plan: [(agency: String, service: String, count: Int)] = [
            ("IRS", "free-file", 260), ("IRS", "refunds", 140), ("SSA", "retirement", 220), ("VA", "health", 7),
        ]
        let channels: [(Channel, Double)] = [(.web, 0.55), (.phone, 0.35), (.mobile, 0.1)]
        func pick(_ options: [(Channel, Double)]) -> Channel {
            var roll = Double.random(in: 0..<1, using: &random)
            for (channel, weight) in options {
                roll -= weight
                if roll < 0 { return channel }
            }
            return options[0].0
        }
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
        var serial = 0
        for (quarterIndex, start) in quarterStarts.enumerated() {
            for entry in plan {
                // The second quarter is smaller for refunds, so some of its cells fall under the minimum.
                let count = entry.service == "refunds" && quarterIndex == 1 ? 60 : entry.count
                for _ in 0..<count {
                    serial += 1
                    let occurredAt = start.addingTimeInterval(Double(Int.random(in: 0..<(80 * 86_400), using: &random)))
                    let v2 = entry.agency == "SSA" ? chance(0.3) : chance(0.75)
                    var answers = Answers()
                    if v2 {
                        if chance(0.5) {
                            answers.trust = .thumbs(chance(quarterIndex == 0 ? 0.55 : 0.7) ? 1 : 0)
                        } else {
                            answers.trust = .likert5(Int.random(in: 1...5, using: &random))
                        }
                        let favourable = answers.trust?.isFavourable ?? false
                        let ticked = Self.drivers.filter { _ in chance(0.35) }.compactMap(Driver.init(rawValue:))
                        if favourable { answers.wentWell = ticked } else { answers.didNotGoWell = ticked }
                    } else {
                        answers.trust = .legacy(Int.random(in: 1...5, using: &random))
                        answers.satisfaction = chance(0.95) ? Int.random(in: quarterIndex == 0 ? 1...5 : 2...5, using: &random) : nil
                        answers.effectiveness = chance(0.9) ? Int.random(in: 1...5, using: &random) : nil
                        answers.ease = chance(0.9) ? Int.random(in: 1...5, using: &random) : nil
                        answers.efficiency = chance(0.8) ? Int.random(in: 1...5, using: &random) : nil
                        answers.transparency = chance(0.85) ? Int.random(in: 1...5, using: &random) : nil
                        answers.employee = chance(0.6) ? Int.random(in: 1...5, using: &random) : nil
                    }
                    if chance(0.8) { answers.recommend = Int.random(in: 0...10, using: &random) }
                    var event = FeedbackEvent(
                        schema: SchemaVersion.scored,
                        eventId: "evt-\(serial)",
                        occurredAt: occurredAt,
                        agency: entry.agency,
                        service: entry.service,
                        channel: entry.agency == "VA" ? .web : pick(channels),
                        form: v2 ? .a11v2 : .a11v1,
                        scaleDirection: v2 ? nil : (chance(0.5) ? .agreeHigh : .agreeLow),
                        answers: answers
                    )
                    if chance(0.7) {
                        event.comment = "comment \(serial)"
                        if chance(0.08) {
                            event.locale = "es-US"
                            event.scorer = ScorerInfo(version: "test", unscoredReason: .nonEnglishLocale)
                        } else {
                            // Compound on a 0.01 grid from -1 to 1, so the ±0.05 boundaries occur.
                            let compound = Double(Int.random(in: -100...100, using: &random)) / 100
                            event.sentiment = SentimentScores(neg: 0.1, neu: 0.6, pos: 0.3, compound: compound)
                            var emotions: [String: Double] = [:]
                            for emotion in Self.emotions where chance(0.2) {
                                emotions[emotion] = [0.5, 1, 1.5][Int.random(in: 0...2, using: &random)]
                            }
                            if chance(0.1) { emotions["fear"] = 0 }  // a negated-only match: not expressed
                            event.emotions = emotions
                            event.scorer = ScorerInfo(version: "test")
                        }
                    } else {
                        event.scorer = ScorerInfo(version: "test", unscoredReason: .noComment)
                    }
                    if chance(0.04) { event.spam = SpamAssessment(flagged: true, reasons: [.repeatedText]) }
                    responses.append(Response(event: event, key: Self.keys[serial % Self.keys.count]))
                }
                if entry.agency != "VA" {
                    for _ in 0..<(count / 2) {
                        serial += 1
                        let contact = OperationsEvent(
                            eventId: "op-\(serial)",
                            occurredAt: start.addingTimeInterval(Double(Int.random(in: 0..<(80 * 86_400), using: &random))),
                            agency: entry.agency,
                            service: entry.service,
                            channel: pick(channels),
                            contactId: "c-\(serial)",
                            handleSeconds: chance(0.9) ? Double(Int.random(in: 30...900, using: &random)) : nil,
                            resolvedFirstContact: chance(0.9) ? chance(0.7) : nil
                        )
                        contacts.append(Contact(event: contact, key: Self.keys[serial % Self.keys.count]))
                    }
                }
            }
        }
    }

    /// One marker response and one marker contact per message key (agency "MARKER"): once all are stored, every
    /// message sent before them has been processed.
    static func markers(round: Int) -> ReportingDataSet {
        var set = ReportingDataSet()
        let at = Timestamp.parse("2027-02-01T00:00:00Z")!
        for (index, key) in keys.enumerated() {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: "marker-\(round)-\(index)",
                occurredAt: at,
                agency: "MARKER",
                service: "marker",
                channel: .kiosk,
                form: .a11v2,
                answers: Answers(trust: .thumbs(index % 3 == 0 ? 0 : 1), recommend: index % 11)
            )
            event.scorer = ScorerInfo(version: "test", unscoredReason: .noComment)
            set.responses.append(Response(event: event, key: key))
            let contact = OperationsEvent(
                eventId: "marker-op-\(round)-\(index)",
                occurredAt: at,
                agency: "MARKER",
                service: "marker",
                channel: .kiosk,
                handleSeconds: 60,
                resolvedFirstContact: true
            )
            set.contacts.append(Contact(event: contact, key: key))
        }
        return set
    }

    private init() {}
}
