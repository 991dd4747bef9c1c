import ReportingCore

/// Builds each section of a card: formatted figures and chart geometry, one function per section.
extension DashboardCard {
    static func drivers(_ cell: DashboardCell, anchor: String) -> Drivers? {
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

    static func trend(_ cell: DashboardCell, history: [DashboardCell], anchor: String, notice: String) -> Trend? {
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

    static func sentiment(_ cell: DashboardCell, anchor: String) -> Sentiment {
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

    static func emotions(_ cell: DashboardCell, anchor: String) -> Breakdown {
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

    static func funnel(_ steps: [DashboardCell.FunnelStep], anchor: String) -> Funnel? {
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

    static func operations(_ cell: DashboardCell, notice: String) -> Operations {
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
