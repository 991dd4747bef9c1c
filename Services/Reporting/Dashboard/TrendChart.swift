import ReportingCore

/// A line chart of one share over fiscal quarters with its 95% interval as a band; quarters without a
/// figure (suppressed or not asked) break the line. The geometry a template draws as SVG.
struct TrendChart: Sendable {
    /// One quarter's point, or `nil` share for a gap.
    struct Point: Sendable {
        var quarter: FiscalQuarter
        var proportion: Proportion?
    }

    /// A run of consecutive quarters with figures.
    struct Segment: Sendable {
        var line: String
        var band: String
    }

    struct Dot: Sendable {
        var cx: String
        var cy: String
    }

    struct Label: Sendable {
        var x: String
        var y: String
        var text: String
    }

    static let width = 560.0
    static let height = 200.0
    static let left = 56.0
    static let right = 16.0
    static let top = 10.0
    static let bottom = 36.0

    var id: String
    var title: String
    var summary: String
    var width = SVGNumber.format(Self.width)
    var height = SVGNumber.format(Self.height)
    var plotLeft = SVGNumber.format(Self.left)
    var plotRight = SVGNumber.format(Self.width - Self.right)
    var gridLines: [Label]
    var quarterLabels: [Label]
    var segments: [Segment]
    var dots: [Dot]

    init(id: String, title: String, summary: String, points: [Point]) {
        self.id = id
        self.title = title
        self.summary = summary
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let step = points.count > 1 ? plotWidth / Double(points.count - 1) : 0
        func x(_ index: Int) -> Double { points.count > 1 ? Self.left + Double(index) * step : Self.left + plotWidth / 2 }
        func y(_ share: Double) -> Double { Self.top + (1 - max(0, min(1, share))) * plotHeight }
        gridLines = [0.0, 0.25, 0.5, 0.75, 1.0].map {
            Label(x: SVGNumber.format(Self.left - 6), y: SVGNumber.format(y($0)), text: FigureFormat.percent($0))
        }
        quarterLabels = points.enumerated().map { index, point in
            Label(
                x: SVGNumber.format(x(index)),
                y: SVGNumber.format(Self.height - 6),
                text: "FY\(point.quarter.fiscalYear % 100) Q\(point.quarter.quarter)"
            )
        }
        var segments: [Segment] = []
        var dots: [Dot] = []
        var run: [(x: Double, p: Proportion)] = []
        func close() {
            guard !run.isEmpty else { return }
            let line = run.map { "\(SVGNumber.format($0.x)),\(SVGNumber.format(y($0.p.share)))" }
            let upper = run.map { "\(SVGNumber.format($0.x)),\(SVGNumber.format(y($0.p.upper)))" }
            let lower = run.reversed().map { "\(SVGNumber.format($0.x)),\(SVGNumber.format(y($0.p.lower)))" }
            segments.append(Segment(line: line.joined(separator: " "), band: (upper + lower).joined(separator: " ")))
            run = []
        }
        for (index, point) in points.enumerated() {
            if let proportion = point.proportion {
                run.append((x(index), proportion))
                dots.append(Dot(cx: SVGNumber.format(x(index)), cy: SVGNumber.format(y(proportion.share))))
            } else {
                close()
            }
        }
        close()
        self.segments = segments
        self.dots = dots
    }
}
