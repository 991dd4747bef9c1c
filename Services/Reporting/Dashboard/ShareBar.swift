/// One bar split into parts that add up to 100% (sentiment breakdown): the geometry a template draws as SVG.
struct ShareBar: Sendable {
    struct Part: Sendable {
        var label: String
        var colour: String
        var x: String
        var width: String
        var text: String
    }

    static let width = 560.0

    var id: String
    var title: String
    var summary: String
    var width = SVGNumber.format(Self.width)
    var parts: [Part]

    /// `parts`: label, palette colour and share of each part, in drawing order.
    init(id: String, title: String, summary: String, parts: [(label: String, colour: PaletteColour, share: Double)]) {
        self.id = id
        self.title = title
        self.summary = summary
        var x = 0.0
        self.parts = parts.map { part in
            let width = max(0, part.share) * Self.width
            defer { x += width }
            return Part(
                label: part.label,
                colour: part.colour.name,
                x: SVGNumber.format(x),
                width: SVGNumber.format(width),
                text: FigureFormat.percent(part.share)
            )
        }
    }
}
