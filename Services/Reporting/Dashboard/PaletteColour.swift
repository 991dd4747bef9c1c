import Foundation

/// An sRGB colour, published to the dashboard's CSS as a custom property.
struct PaletteColour: Sendable, Hashable, CustomStringConvertible {
    /// The CSS custom property it is published as, without the leading `--`.
    var name: String
    /// Red, green and blue, 0-255.
    var red: UInt8, green: UInt8, blue: UInt8

    /// A colour from `0xRRGGBB`.
    init(_ name: String, _ hex: UInt32) {
        self.name = name
        red = UInt8((hex >> 16) & 0xFF)
        green = UInt8((hex >> 8) & 0xFF)
        blue = UInt8(hex & 0xFF)
    }

    /// `#rrggbb`.
    var description: String {
        "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// WCAG 2.1 relative luminance (0 black ... 1 white).
    var relativeLuminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let c = Double(channel) / 255
            return c <= 0.039_28 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG 2.1 contrast ratio against `other` (1...21).
    func contrastRatio(against other: PaletteColour) -> Double {
        let (a, b) = (relativeLuminance, other.relativeLuminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}
