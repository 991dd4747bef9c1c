import Foundation

/// `GET /v1/reports` as the test reads it (decoded independently of the service's types).
struct ReportsAPIBody: Decodable {
    struct Share: Decodable {
        var n: Int
        var favourable: Int
        var share: Double
        var lower: Double
        var upper: Double
    }

    struct Operations: Decodable {
        var contacts: Int
        var firstContactResolution: Share?
        var averageHandleSeconds: Double?
        var digitalAdoption: Share?
    }

    struct NetPromoter: Decodable {
        var n: Int
        var score: Double
        var lower: Double
        var upper: Double
    }

    struct Drivers: Decodable {
        var topTwoBox: [String: Share]
        var wentWell: [String: Share]
        var didNotGoWell: [String: Share]
    }

    struct Sentiment: Decodable {
        var scored: Int
        var meanCompound: Double?
        var positive: Share?
        var neutral: Share?
        var negative: Share?
    }

    struct Row: Decodable {
        var agency: String
        var service: String?
        var fiscalYear: Int
        var quarter: Int
        var suppressed: Bool
        var responses: Int?
        var trust: Share?
        var satisfaction: Share?
        var drivers: Drivers?
        var nps: NetPromoter?
        var sentiment: Sentiment?
        var emotions: [String: Share]?
        var meanSentiment: Double?
        var scoredComments: Int?
        var operations: Operations?
        var operationsSuppressed: Bool?
    }

    var minimumCellSize: Int
    var reports: [Row]
}

/// `GET /v1/reports/journeys` as the test reads it.
struct JourneyAPIBody: Decodable {
    struct Stage: Decodable {
        var stage: String
        var reached: Int
    }

    var suppressed: Bool
    var funnel: [Stage]
}
