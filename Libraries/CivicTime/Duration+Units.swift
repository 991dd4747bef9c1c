extension Duration {
    /// The duration in seconds, fractions included, as a `TimeInterval` (`1.5` for 1 500 ms).
    package var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The whole seconds of the duration; the fraction is dropped.
    package var wholeSeconds: Int64 { components.seconds }

    /// The whole milliseconds of the duration; the rest is dropped, and a duration too long to count in
    /// milliseconds (about 292 million years) gives `Int64.max`.
    package var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1_000 - 1 else { return Int64.max }
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// The whole nanoseconds of the duration; the rest is dropped.
    package var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
