import ReportingCore

/// One agency/service cell in one quarter, as the dashboard shows it. `init(report:)` is the one place
/// that reads the report model: adding a figure to the dashboard is one line there.
package struct DashboardCell: Sendable {
    /// A driver score (share favourable with its interval); `proportion` is `nil` when nobody answered.
    struct Driver: Sendable {
        /// Figure key, for example `trust` (the hooks read `trust.share`, `trust.interval`, `trust.n`).
        var key: String
        /// Label shown, for example `Trust`.
        var label: String
        var proportion: Proportion?
    }

    /// Shares of scored comments that are positive (compound >= 0.05), neutral and negative (<= -0.05).
    struct SentimentShares: Sendable {
        var positive: Double
        var neutral: Double
        var negative: Double
    }

    /// Share of comments expressing one emotion.
    struct EmotionShare: Sendable {
        var emotion: String
        var share: Double
    }

    /// One step of a journey funnel: journeys that reached this stage or a later one.
    package struct FunnelStep: Sendable {
        var stage: String
        var reached: Int

        package init(stage: String, reached: Int) {
            self.stage = stage
            self.reached = reached
        }
    }

    package var agency: String
    package var service: String
    package var quarter: FiscalQuarter
    /// Survey figures withheld (fewer responses than the minimum cell size).
    package var suppressed: Bool
    var responses: Int?
    /// Driver scores in A-11 question order; the first is the headline (trust) and is drawn in the trend.
    var drivers: [Driver]
    var nps: Double?
    var meanSentiment: Double?
    var scoredComments: Int?
    /// Hook for the sentiment breakdown (pos/neu/neg): filled once the report model carries the shares.
    var sentimentShares: SentimentShares?
    /// Hook for the emotion breakdown: filled once the report model carries emotion shares.
    var emotions: [EmotionShare]
    /// Hook for the journey funnel: filled once journey reports land; `nil` hides the section.
    package var journeyFunnel: [FunnelStep]?
    var operationsSuppressed: Bool
    var operations: OperationsFigures?

    /// The A-11 drivers after trust and satisfaction, in question order (v2 adds humanity and other).
    static let driverOrder = ["effectiveness", "ease", "efficiency", "transparency", "humanity", "employee", "other"]

    /// `IRS/free-file`: the cell's name in the test hooks (`data-cell`).
    var name: String { "\(agency)/\(service)" }

    package init(report: QuarterlyReport) {
        agency = report.agency
        service = report.service ?? "all services"
        quarter = FiscalQuarter(fiscalYear: report.fiscalYear, quarter: report.quarter)
        suppressed = report.suppressed
        responses = report.responses
        let v1Drivers = report.drivers?.topTwoBox ?? [:]
        let wentWell = report.drivers?.wentWell ?? [:]
        let didNotGoWell = report.drivers?.didNotGoWell ?? [:]
        drivers =
            [
                Driver(key: "trust", label: "Trust", proportion: report.trust),
                Driver(key: "satisfaction", label: "Satisfaction", proportion: report.satisfaction),
            ]
            + Self.driverOrder.compactMap { name in
                v1Drivers[name].map {
                    Driver(key: "drivers.topTwoBox.\(name)", label: name.prefix(1).uppercased() + name.dropFirst(), proportion: $0)
                }
            }
            + Self.driverOrder.compactMap { name in
                wentWell[name].map { Driver(key: "drivers.wentWell.\(name)", label: "Went well: \(name)", proportion: $0) }
            }
            + Self.driverOrder.compactMap { name in
                didNotGoWell[name].map { Driver(key: "drivers.didNotGoWell.\(name)", label: "Didn't go well: \(name)", proportion: $0) }
            }
        nps = report.nps?.score
        meanSentiment = report.meanSentiment
        scoredComments = report.scoredComments
        if let sentiment = report.sentiment, let positive = sentiment.positive, let neutral = sentiment.neutral,
            let negative = sentiment.negative
        {
            sentimentShares = SentimentShares(positive: positive.share, neutral: neutral.share, negative: negative.share)
        } else {
            sentimentShares = nil
        }
        emotions = (report.emotions ?? [:]).sorted { $0.key < $1.key }.map { EmotionShare(emotion: $0.key, share: $0.value.share) }
        journeyFunnel = nil
        operationsSuppressed = report.operationsSuppressed
        operations = report.operations
    }

    /// A cell built from its parts (for rendering figures the report model does not carry yet).
    init(
        agency: String,
        service: String,
        quarter: FiscalQuarter,
        suppressed: Bool,
        responses: Int?,
        drivers: [Driver],
        nps: Double? = nil,
        meanSentiment: Double? = nil,
        scoredComments: Int? = nil,
        sentimentShares: SentimentShares? = nil,
        emotions: [EmotionShare] = [],
        journeyFunnel: [FunnelStep]? = nil,
        operationsSuppressed: Bool = false,
        operations: OperationsFigures? = nil
    ) {
        self.agency = agency
        self.service = service
        self.quarter = quarter
        self.suppressed = suppressed
        self.responses = responses
        self.drivers = drivers
        self.nps = nps
        self.meanSentiment = meanSentiment
        self.scoredComments = scoredComments
        self.sentimentShares = sentimentShares
        self.emotions = emotions
        self.journeyFunnel = journeyFunnel
        self.operationsSuppressed = operationsSuppressed
        self.operations = operations
    }
}
