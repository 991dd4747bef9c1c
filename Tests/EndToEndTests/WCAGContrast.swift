import Foundation

/// WCAG 2.1 contrast of the colours the page publishes as CSS custom properties.
enum WCAGContrast {
    /// Text and information-carrying marks, foreground on background.
    static let pairs = [
        ("ink", "paper"), ("ink-muted", "paper"), ("ink-muted", "surface"), ("ink", "surface"), ("primary", "paper"),
        ("paper", "banner"), ("paper", "primary"), ("positive", "paper"), ("negative", "paper"), ("emotion", "paper"),
        ("focus", "paper"),
    ]

    static func customProperties(in page: String) -> [String: String] {
        var colours: [String: String] = [:]
        for match in page.matches(of: /--([a-z-]+): (#[0-9a-fA-F]{6});/) {
            colours[String(match.output.1)] = String(match.output.2)
        }
        return colours
    }

    static func ratio(_ a: String?, _ b: String?) -> Double? {
        guard let a = a.flatMap(luminance), let b = b.flatMap(luminance) else { return nil }
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    static func luminance(_ hex: String) -> Double? {
        guard let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        let channels = [value >> 16, value >> 8, value].map { Double($0 & 0xFF) / 255 }
        let linear = channels.map { $0 <= 0.039_28 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    }
}
