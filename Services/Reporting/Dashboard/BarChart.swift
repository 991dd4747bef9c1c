/// Horizontal bars on a 0-100% axis, optionally with 95% interval whiskers: the geometry a template draws
/// as SVG. Values are shares (0...1).
struct BarChart: Sendable {
    /// One bar.
    struct Bar: Sendable {
        var label: String
        var valueText: String
        var labelY: String
        var barY: String
        var barWidth: String
        var valueX: String
        /// Whisker from the lower to the upper bound, when the bar has an interval.
        var whisker: Whisker?
    }

    /// An interval whisker with end caps.
    struct Whisker: Sendable {
        var x1: String
        var x2: String
        var y: String
        var capTop: String
        var capBottom: String
    }

    /// A vertical grid line with its label.
    struct Tick: Sendable {
        var x: String
        var label: String
    }

    /// Input: label, share, optional interval, and the text printed beside the bar.
    struct Value: Sendable {
        var label: String
        var share: Double
        var interval: (lower: Double, upper: Double)?
        var text: String
    }

    static let width = 560.0
    static let labelColumn = 220.0
    static let valueColumn = 56.0
    static let rowHeight = 34.0
    static let barHeight = 18.0
    static let axisHeight = 22.0

    var id: String
    /// Bar colour: the name of a ``Palette`` colour.
    var tone = Palette.primary.name
    var title: String
    var summary: String
    var width = SVGNumber.format(Self.width)
    var height: String
    var plotLeft = SVGNumber.format(Self.labelColumn)
    var plotBottom: String
    var tickTop = "0.0"
    var tickLabelY: String
    var bars: [Bar]
    var ticks: [Tick]

    init(id: String, title: String, summary: String, values: [Value]) {
        self.id = id
        self.title = title
        self.summary = summary
        let plotWidth = Self.width - Self.labelColumn - Self.valueColumn
        func x(_ share: Double) -> Double { Self.labelColumn + max(0, min(1, share)) * plotWidth }
        bars = values.enumerated().map { index, value in
            let top = Double(index) * Self.rowHeight + (Self.rowHeight - Self.barHeight) / 2
            let middle = top + Self.barHeight / 2
            return Bar(
                label: value.label,
                valueText: value.text,
                labelY: SVGNumber.format(middle + 5),
                barY: SVGNumber.format(top),
                barWidth: SVGNumber.format(x(value.share) - Self.labelColumn),
                valueX: SVGNumber.format(Self.width),
                whisker: value.interval.map { interval in
                    Whisker(
                        x1: SVGNumber.format(x(interval.lower)),
                        x2: SVGNumber.format(x(interval.upper)),
                        y: SVGNumber.format(middle),
                        capTop: SVGNumber.format(middle - 6),
                        capBottom: SVGNumber.format(middle + 6)
                    )
                }
            )
        }
        let plotBottom = Double(values.count) * Self.rowHeight
        self.plotBottom = SVGNumber.format(plotBottom)
        tickLabelY = SVGNumber.format(plotBottom + 16)
        height = SVGNumber.format(plotBottom + Self.axisHeight)
        ticks = [0.0, 0.25, 0.5, 0.75, 1.0].map { Tick(x: SVGNumber.format(x($0)), label: FigureFormat.percent($0)) }
    }
}
