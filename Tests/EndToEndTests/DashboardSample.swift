import CivicModels
import Foundation

/// Scored responses and operational events with known figures, across three quarters:
/// - IRS free-file: FY2027 Q1 24 counted responses plus one spam-flagged; FY2026 Q4 15; FY2026 Q3 6 (a small
///   cell, so a gap in the trend); 14 contacts in FY2027 Q1.
/// - SSA retirement-benefits: 12 legacy (A-11 v1) responses with satisfaction, 3 contacts (a small cell).
/// - VA health-care-enrollment: 4 responses (a small cell) and no contacts.
struct DashboardSample {
    var feedback: [FeedbackEvent] = []
    var operations: [OperationsEvent] = []

    init() {
        let q1FY2027 = Date(timeIntervalSince1970: 1_794_787_200)  // 2026-11-16
        let q4FY2026 = Date(timeIntervalSince1970: 1_786_752_000)  // 2026-08-15
        let q3FY2026 = Date(timeIntervalSince1970: 1_778_803_200)  // 2026-05-15
        let compounds = [0.62, -0.41, 0.08, 0.0, 0.35]
        func thumbs(_ id: String, _ date: Date, up: Bool, recommend: Int, compound: Double?, spam: Bool = false) -> FeedbackEvent {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: id,
                occurredAt: date,
                agency: "IRS",
                service: "free-file",
                channel: .web,
                form: .a11v2,
                answers: Answers(
                    trust: .thumbs(up ? 1 : 0),
                    wentWell: up ? (id.hasSuffix("0") ? [.ease, .effectiveness] : [.ease]) : nil,
                    didNotGoWell: up ? nil : [.efficiency],
                    recommend: recommend
                ),
                comment: compound == nil ? nil : "comment",
                locale: "en-US"
            )
            event.spam = SpamAssessment(flagged: spam, reasons: spam ? [.honeypot] : [])
            if let compound {
                event.sentiment = SentimentScores(neg: 0, neu: 1, pos: 0, compound: compound)
                event.scorer = ScorerInfo(version: "test")
                event.emotions = compound > 0.3 ? ["gratitude": compound, "joy": 0] : compound < 0 ? ["frustration": -compound] : [:]
            }
            return event
        }
        for index in 0..<24 {
            feedback.append(
                thumbs(
                    "irs-q1-\(index)",
                    q1FY2027.addingTimeInterval(Double(index) * 60),
                    up: index % 4 != 0,
                    recommend: index % 11,
                    compound: index % 3 == 0 ? nil : compounds[index % compounds.count]
                )
            )
        }
        feedback.append(thumbs("irs-q1-spam", q1FY2027, up: false, recommend: 0, compound: -0.9, spam: true))
        for index in 0..<15 {
            feedback.append(thumbs("irs-q4-\(index)", q4FY2026, up: index % 3 != 0, recommend: 10 - index % 5, compound: 0.4))
        }
        for index in 0..<6 {
            feedback.append(thumbs("irs-q3-\(index)", q3FY2026, up: true, recommend: 9, compound: nil))
        }
        for index in 0..<12 {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: "ssa-\(index)",
                occurredAt: q1FY2027,
                agency: "SSA",
                service: "retirement-benefits",
                channel: index % 2 == 0 ? .phone : .inPerson,
                form: .a11v1,
                scaleDirection: .agreeHigh,
                answers: Answers(
                    trust: .legacy((index + 2) % 5 + 1),
                    satisfaction: index % 5 + 1,
                    effectiveness: (index + 1) % 5 + 1,
                    ease: index % 2 == 0 ? 5 : 3,
                    recommend: 6 + index % 5
                )
            )
            event.spam = SpamAssessment(flagged: false, reasons: [])
            feedback.append(event)
        }
        for index in 0..<4 {
            var event = FeedbackEvent(
                schema: SchemaVersion.scored,
                eventId: "va-\(index)",
                occurredAt: q1FY2027,
                agency: "VA",
                service: "health-care-enrollment",
                channel: .web,
                form: .a11v2,
                answers: Answers(trust: .thumbs(1), recommend: 10)
            )
            event.spam = SpamAssessment(flagged: false, reasons: [])
            feedback.append(event)
        }
        // Twelve passport-renewal journeys through apply → pay → confirm: four stop after each stage.
        let stages = ["apply", "pay", "confirm"]
        for journey in 0..<12 {
            for (step, stage) in stages.prefix(1 + journey % 3).enumerated() {
                var event = FeedbackEvent(
                    schema: SchemaVersion.scored,
                    eventId: "dos-\(journey)-\(stage)",
                    occurredAt: q1FY2027.addingTimeInterval(Double(journey * 600 + step * 60)),
                    agency: "DOS",
                    service: "passport-renewal",
                    channel: .web,
                    level: .journey,
                    journeyId: "j-\(journey)",
                    stage: stage,
                    form: .a11v2,
                    answers: Answers(trust: .thumbs(journey % 4 == 0 ? 0 : 1))
                )
                event.spam = SpamAssessment(flagged: false, reasons: [])
                event.respondent = Respondent(status: .verified, pseudonym: "dos-person-\(journey)")
                feedback.append(event)
            }
        }
        for index in 0..<14 {
            operations.append(
                OperationsEvent(
                    eventId: "irs-op-\(index)",
                    occurredAt: q1FY2027,
                    agency: "IRS",
                    service: "free-file",
                    channel: index % 3 == 0 ? .phone : .web,
                    handleSeconds: 200 + Double(index) * 13.5,
                    resolvedFirstContact: index % 4 != 1
                )
            )
        }
        for index in 0..<3 {
            operations.append(
                OperationsEvent(
                    eventId: "ssa-op-\(index)",
                    occurredAt: q1FY2027,
                    agency: "SSA",
                    service: "retirement-benefits",
                    channel: .phone,
                    handleSeconds: 400,
                    resolvedFirstContact: true
                )
            )
        }
    }
}
