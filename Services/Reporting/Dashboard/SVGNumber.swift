/// Formats SVG coordinates with one decimal, without locale (`12.5`, `-3.0`).
enum SVGNumber {
    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let magnitude = abs(tenths)
        return (tenths < 0 ? "-" : "") + "\(magnitude / 10).\(magnitude % 10)"
    }
}
