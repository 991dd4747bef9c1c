import ReportingCore

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
}
