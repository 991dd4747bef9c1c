extension String {
    /// Whether the text holds a control character (Unicode category Cc: NUL, escape, line breaks, ...), which
    /// no parameter, label or identifier a route takes may carry.
    package var containsControlCharacters: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
