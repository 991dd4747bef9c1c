/// Every colour the dashboard uses (USWDS-like), and the foreground/background pairs it draws text and
/// chart marks with. Each pair meets WCAG 2.1 AA for normal text (contrast >= 4.5:1); the tests compute it.
enum Palette {
    /// Body text.
    static let ink = PaletteColour("ink", 0x1B1B1B)
    /// Secondary text, axis labels, neutral sentiment.
    static let inkMuted = PaletteColour("ink-muted", 0x565C65)
    /// Page and card background.
    static let paper = PaletteColour("paper", 0xFFFFFF)
    /// Filter bar, table headers and suppressed cells.
    static let surface = PaletteColour("surface", 0xF0F0F0)
    /// Header band.
    static let banner = PaletteColour("banner", 0x162E51)
    /// Links, bars, trend lines.
    static let primary = PaletteColour("primary", 0x005EA2)
    /// Positive sentiment.
    static let positive = PaletteColour("positive", 0x216E1F)
    /// Negative sentiment.
    static let negative = PaletteColour("negative", 0xB50909)
    /// Emotion bars.
    static let emotion = PaletteColour("emotion", 0x5E519E)
    /// Keyboard focus ring.
    static let focus = PaletteColour("focus", 0xD54309)
    /// Decorative hairlines (borders, grid lines, interval bands); never carries information alone.
    static let hairline = PaletteColour("hairline", 0xDFE1E2)
    /// Interval band behind trend lines (decorative: the table carries the interval).
    static let band = PaletteColour("band", 0xD9E8F6)

    /// All colours, in the order they are published as CSS custom properties.
    static let all = [ink, inkMuted, paper, surface, banner, primary, positive, negative, emotion, focus, hairline, band]

    /// The foreground-on-background pairs used for text and for chart marks that carry information.
    static let pairs: [(foreground: PaletteColour, background: PaletteColour)] = [
        (ink, paper), (inkMuted, paper), (primary, paper), (paper, banner), (paper, primary), (ink, surface),
        (inkMuted, surface), (primary, surface), (positive, paper), (negative, paper), (emotion, paper), (focus, paper),
        (ink, band),
    ]

    /// `:root { --ink: #1b1b1b; ... }`.
    static var customProperties: String {
        ":root { " + all.map { "--\($0.name): \($0);" }.joined(separator: " ") + " }"
    }
}
