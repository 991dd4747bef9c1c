import Foundation

/// The body of `GET /v1/reports/journeys`: one service's journeys that started in one fiscal quarter.
///
/// A journey is one respondent pseudonym's responses with one `journeyId` (pseudonyms linked across key
/// rotations). It belongs to the quarter of its first response. Anonymous responses (no pseudonym) cannot
/// be linked into journeys and are only counted, separately.
package struct JourneyReport: Codable, Sendable, Equatable {
    /// Agency code.
    var agency: String
    /// Service.
    var service: String
    /// Fiscal year.
    var fiscalYear: Int
    /// Fiscal quarter, 1-4.
    var quarter: Int
    /// Cells under this size are suppressed.
    var minimumCellSize: Int
    /// The stage order used: the configured one, or the order of first appearance.
    var stages: [String]
    /// `configured` or `first-appearance`.
    var stageOrder: String
    /// Whether the figures are withheld because fewer journeys started than the minimum cell size.
    package var suppressed: Bool
    /// Journeys started; `nil` when suppressed.
    var journeys: Int?
    /// Journeys that reached the last stage, among those started, with its interval.
    var completion: Proportion?
    /// For each stage in order: journeys that reached it or a later stage, and journeys that did not
    /// complete and got no further than it.
    package var funnel: [JourneyStage]?
    /// Trust at journey level: each journey's last trust answer (by `occurredAt`), thumbs up or 4-5
    /// favourable, among journeys with at least one trust answer.
    var trust: Proportion?
    /// Responses without a stage or at a stage missing from the configured order: they count toward their
    /// journey but reach no stage.
    var responsesAtUnlistedStages: Int?
    /// Journey-level responses in the quarter without a pseudonym; `nil` when fewer than the minimum cell size.
    var anonymousResponses: Int?
    /// Whether ``anonymousResponses`` is withheld because it is under the minimum cell size (and not 0).
    var anonymousSuppressed: Bool
}

/// One stage of a journey funnel.
package struct JourneyStage: Codable, Sendable, Equatable {
    /// The stage name.
    package var stage: String
    /// Journeys that reached this stage or a later one.
    package var reached: Int
    /// Journeys that did not complete whose furthest stage is this one.
    var droppedOff: Int
}

/// One journey-level response, as the journey report reads it.
struct JourneyResponse: Sendable {
    var pseudonym: String
    var previousPseudonyms: [String]
    var journeyId: String
    var stage: String?
    var occurredAt: Date
    var trustFavourable: Bool?
}

/// The journey figures computed from responses; the funnel arithmetic is here, free of the database.
struct JourneyFigures: Equatable {
    var stages: [String]
    var configured: Bool
    var journeys = 0
    var completed = 0
    var reached: [Int]
    var droppedOff: [Int]
    var trustN = 0
    var trustFavourable = 0
    var responsesAtUnlistedStages = 0

    /// Groups `responses` (already in the report's scope) into journeys and computes the funnel.
    /// - Parameter configuredStages: The configured order, or `nil` for the order of first appearance.
    init(responses: [JourneyResponse], configuredStages: [String]?) {
        var linker = PseudonymLinker()
        for response in responses { linker.link(response.pseudonym, previous: response.previousPseudonyms) }
        if let configuredStages {
            stages = configuredStages
            configured = true
        } else {
            var firstSeen: [String: Date] = [:]
            for response in responses {
                guard let stage = response.stage else { continue }
                if let seen = firstSeen[stage], seen <= response.occurredAt { continue }
                firstSeen[stage] = response.occurredAt
            }
            stages = firstSeen.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
            configured = false
        }
        let position = Dictionary(uniqueKeysWithValues: stages.enumerated().map { ($1, $0) })
        struct Journey {
            var furthest = -1
            var lastTrustAt: Date?
            var lastTrust: Bool?
        }
        struct Key: Hashable {
            var respondent: String
            var journeyId: String
        }
        var journeys: [Key: Journey] = [:]
        for response in responses {
            let key = Key(respondent: linker.respondent(of: response.pseudonym), journeyId: response.journeyId)
            var journey = journeys[key] ?? Journey()
            if let stage = response.stage, let index = position[stage] {
                journey.furthest = max(journey.furthest, index)
            } else {
                responsesAtUnlistedStages += 1
            }
            if let trust = response.trustFavourable, journey.lastTrustAt.map({ $0 <= response.occurredAt }) ?? true {
                journey.lastTrustAt = response.occurredAt
                journey.lastTrust = trust
            }
            journeys[key] = journey
        }
        reached = Array(repeating: 0, count: stages.count)
        droppedOff = Array(repeating: 0, count: stages.count)
        self.journeys = journeys.count
        for journey in journeys.values {
            if journey.furthest >= 0 {
                for index in 0...journey.furthest { reached[index] += 1 }
                if journey.furthest == stages.count - 1 {
                    completed += 1
                } else {
                    droppedOff[journey.furthest] += 1
                }
            }
            if let trust = journey.lastTrust {
                trustN += 1
                if trust { trustFavourable += 1 }
            }
        }
    }
}
