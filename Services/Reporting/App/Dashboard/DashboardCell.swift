/// One agency/service cell in one quarter, as the dashboard shows it. `init(report:)` is the one place
/// that reads the report model: adding a figure to the dashboard is one line there.
struct DashboardCell: Sendable {
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
    struct FunnelStep: Sendable {
        var stage: String
        var reached: Int
    }

    var agency: String
    var service: String
    var quarter: FiscalQuarter
    /// Survey figures withheld (fewer responses than the minimum cell size).
    var suppressed: Bool
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
    var journeyFunnel: [FunnelStep]?
    var operationsSuppressed: Bool
    var operations: OperationsFigures?

    /// `IRS/free-file`: the cell's name in the test hooks (`data-cell`).
    var name: String { "\(agency)/\(service)" }

    init(report: QuarterlyReport) {
        agency = report.agency
        service = report.service ?? "all services"
        quarter = FiscalQuarter(fiscalYear: report.fiscalYear, quarter: report.quarter)
        suppressed = report.suppressed
        responses = report.responses
        drivers = [
            Driver(key: "trust", label: "Trust", proportion: report.trust),
            Driver(key: "satisfaction", label: "Satisfaction", proportion: report.satisfaction),
        ]
        nps = report.nps
        meanSentiment = report.meanSentiment
        scoredComments = report.scoredComments
        sentimentShares = nil
        emotions = []
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
