/// The view of one agency/service card: every figure already formatted, every chart as geometry. Built from
/// a ``DashboardCell`` and the cell's earlier quarters.
struct DashboardCard: Sendable {
    struct DriverRow: Sendable {
        var label: String
        var share: FigureView
        var nFigure: String
        var n: String
    }

    struct Drivers: Sendable {
        var chart: BarChart
        var rows: [DriverRow]
    }

    struct TrendRow: Sendable {
        var quarter: String
        var share: FigureView
        var responses: FigureView
    }

    struct Trend: Sendable {
        var label: String
        var chart: TrendChart
        var rows: [TrendRow]
    }

    struct Sentiment: Sendable {
        var figures: [FigureView]
        var bar: ShareBar?
        var shares: [FigureView]
    }

    struct Breakdown: Sendable {
        var chart: BarChart
        var rows: [FigureView]
    }

    struct Funnel: Sendable {
        var chart: BarChart
        var rows: [FunnelRow]
    }

    struct FunnelRow: Sendable {
        var stage: String
        var reached: FigureView
        var share: FigureView
    }

    struct Operations: Sendable {
        var suppressed: Bool
        var suppressedText: String
        var empty: Bool
        var figures: [FigureView]
        var hasFigures: Bool
    }

    var anchor: String
    var cell: String
    var agency: String
    var service: String
    var suppressed: Bool
    var suppressedText: String
    var kpis: [FigureView]
    var drivers: Drivers?
    var trend: Trend?
    var sentiment: Sentiment?
    var emotions: Breakdown?
    /// Journey funnel section; `nil` until journey reports feed ``DashboardCell/journeyFunnel``.
    var journey: Funnel?
    var operations: Operations

    /// - Parameters:
    ///   - cell: The cell in the selected quarter.
    ///   - history: The same agency/service in every quarter up to the selected one, oldest first.
    init(cell: DashboardCell, history: [DashboardCell], index: Int, minimumCellSize: Int) {
        let notice = FigureFormat.suppressed(minimumCellSize: minimumCellSize)
        let withheld = cell.suppressed ? notice : nil
        let anchor = "cell-" + Self.letters(index)
        self.anchor = anchor
        self.cell = cell.name
        agency = cell.agency
        service = cell.service
        suppressed = cell.suppressed
        suppressedText = notice
        kpis =
            [FigureView.value("Responses", figure: "responses", cell.responses, suppressedText: withheld, format: FigureFormat.count)]
            + cell.drivers.prefix(2).map { FigureView.proportion($0.label, key: $0.key, $0.proportion, suppressedText: withheld) }
            + [FigureView.value("Net promoter score", figure: "nps", cell.nps, suppressedText: withheld, format: FigureFormat.signedWhole)]
        drivers = cell.suppressed ? nil : Self.drivers(cell, anchor: anchor)
        trend = Self.trend(cell, history: history, anchor: anchor, notice: notice)
        sentiment = cell.suppressed ? nil : Self.sentiment(cell, anchor: anchor)
        emotions = cell.suppressed || cell.emotions.isEmpty ? nil : Self.emotions(cell, anchor: anchor)
        journey = cell.suppressed ? nil : cell.journeyFunnel.flatMap { Self.funnel($0, anchor: anchor) }
        operations = Self.operations(cell, notice: notice)
    }

    /// 0 -> `a`, 25 -> `z`, 26 -> `ba`: element ids without digits, so a suppressed card's markup has none.
    static func letters(_ index: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        var value = max(0, index)
        var result = String(alphabet[value % 26])
        while value >= 26 {
            value /= 26
            result.insert(alphabet[value % 26], at: result.startIndex)
        }
        return result
    }

    private static func drivers(_ cell: DashboardCell, anchor: String) -> Drivers? {
        let answered = cell.drivers.compactMap { driver in driver.proportion.map { (driver, $0) } }
        guard !answered.isEmpty else { return nil }
        let chart = BarChart(
            id: "\(anchor)-drivers",
            title: "Driver scores, \(cell.agency) \(cell.service), \(cell.quarter)",
            summary: "Horizontal bars: share of favorable answers per driver, with whiskers for the 95% interval. "
                + "The table that follows gives the same figures.",
            values: answered.map { driver, proportion in
                BarChart.Value(
                    label: driver.label,
                    share: proportion.share,
                    interval: (proportion.lower, proportion.upper),
                    text: FigureFormat.percent(proportion.share)
                )
            }
        )
        let rows = answered.map { driver, proportion in
            DriverRow(
                label: driver.label,
                share: .proportion(driver.label, key: driver.key, proportion, suppressedText: nil),
                nFigure: "\(driver.key).n",
                n: FigureFormat.count(proportion.n)
            )
        }
        return Drivers(chart: chart, rows: rows)
    }

    private static func trend(_ cell: DashboardCell, history: [DashboardCell], anchor: String, notice: String) -> Trend? {
        guard let headline = cell.drivers.first, history.contains(where: { !$0.suppressed }) else { return nil }
        let points = history.map { quarter in
            TrendChart.Point(
                quarter: quarter.quarter,
                proportion: quarter.suppressed ? nil : quarter.drivers.first { $0.key == headline.key }?.proportion
            )
        }
        let chart = TrendChart(
            id: "\(anchor)-trend",
            title: "\(headline.label) by quarter, \(cell.agency) \(cell.service)",
            summary: "Line chart of the share favorable per fiscal quarter with its 95% interval as a shaded band; "
                + "gaps are quarters without a figure. The table that follows gives the same figures.",
            points: points
        )
        let rows = zip(history, points).map { quarter, point in
            let withheld = quarter.suppressed ? notice : nil
            return TrendRow(
                quarter: quarter.quarter.description,
                share: .proportion(headline.label, key: "trend.\(headline.key)", point.proportion, suppressedText: withheld),
                responses: .value("Responses", figure: "trend.responses", quarter.responses, suppressedText: withheld, format: FigureFormat.count)
            )
        }
        return Trend(label: headline.label, chart: chart, rows: rows)
    }

    private static func sentiment(_ cell: DashboardCell, anchor: String) -> Sentiment {
        let figures = [
            FigureView.value(
                "Mean sentiment (compound)",
                figure: "sentiment.mean",
                cell.meanSentiment,
                suppressedText: nil,
                format: FigureFormat.signedHundredths
            ),
            FigureView.value("Comments scored", figure: "sentiment.scored", cell.scoredComments, suppressedText: nil, format: FigureFormat.count),
        ]
        guard let shares = cell.sentimentShares else { return Sentiment(figures: figures, bar: nil, shares: []) }
        let parts: [(label: String, colour: PaletteColour, share: Double, key: String)] = [
            ("Positive", Palette.positive, shares.positive, "positive"),
            ("Neutral", Palette.inkMuted, shares.neutral, "neutral"),
            ("Negative", Palette.negative, shares.negative, "negative"),
        ]
        let bar = ShareBar(
            id: "\(anchor)-sentiment",
            title: "Sentiment of comments, \(cell.agency) \(cell.service), \(cell.quarter)",
            summary: "One bar split into the shares of positive, neutral and negative comments. The table that follows gives the same figures.",
            parts: parts.map { ($0.label, $0.colour, $0.share) }
        )
        let rows = parts.map {
            FigureView(label: $0.label, figure: "sentiment.\($0.key)", text: FigureFormat.percent($0.share), suppressed: false)
        }
        return Sentiment(figures: figures, bar: bar, shares: rows)
    }

    private static func emotions(_ cell: DashboardCell, anchor: String) -> Breakdown {
        var chart = BarChart(
            id: "\(anchor)-emotions",
            title: "Emotions in comments, \(cell.agency) \(cell.service), \(cell.quarter)",
            summary: "Horizontal bars: share of comments expressing each emotion. The table that follows gives the same figures.",
            values: cell.emotions.map { .init(label: $0.emotion, share: $0.share, interval: nil, text: FigureFormat.percent($0.share)) }
        )
        let rows = cell.emotions.map {
            FigureView(label: $0.emotion, figure: "emotion.\($0.emotion)", text: FigureFormat.percent($0.share), suppressed: false)
        }
        chart.tone = Palette.emotion.name
        return Breakdown(chart: chart, rows: rows)
    }

    private static func funnel(_ steps: [DashboardCell.FunnelStep], anchor: String) -> Funnel? {
        guard let first = steps.first, first.reached > 0 else { return nil }
        let shares = steps.map { Double($0.reached) / Double(first.reached) }
        let chart = BarChart(
            id: "\(anchor)-journey",
            title: "Journey funnel",
            summary: "Horizontal bars: share of the journeys started that reached each stage. The table that follows gives the same figures.",
            values: zip(steps, shares).map { .init(label: $0.stage, share: $1, interval: nil, text: FigureFormat.percent($1)) }
        )
        let rows = zip(steps, shares).map { step, share in
            FunnelRow(
                stage: step.stage,
                reached: FigureView(
                    label: step.stage,
                    figure: "journey.\(step.stage).reached",
                    text: FigureFormat.count(step.reached),
                    suppressed: false
                ),
                share: FigureView(label: step.stage, figure: "journey.\(step.stage).share", text: FigureFormat.percent(share), suppressed: false)
            )
        }
        return Funnel(chart: chart, rows: rows)
    }

    private static func operations(_ cell: DashboardCell, notice: String) -> Operations {
        guard let figures = cell.operations else {
            return Operations(
                suppressed: cell.operationsSuppressed,
                suppressedText: notice,
                empty: !cell.operationsSuppressed,
                figures: [],
                hasFigures: false
            )
        }
        return Operations(
            suppressed: false,
            suppressedText: notice,
            empty: false,
            figures: [
                .value("Contacts", figure: "operations.contacts", figures.contacts, suppressedText: nil, format: FigureFormat.count),
                .proportion("First-contact resolution", key: "operations.fcr", figures.firstContactResolution, suppressedText: nil),
                .value("Average handle time", figure: "operations.aht", figures.averageHandleSeconds, suppressedText: nil) {
                    FigureFormat.duration(seconds: $0)
                },
                .proportion("Digital adoption", key: "operations.digital", figures.digitalAdoption, suppressedText: nil),
            ],
            hasFigures: true
        )
    }
}
