import ReportingCore

/// One printed figure and its test hook (`data-figure`, with the card's `data-cell`): the element's text is
/// exactly `text`, and a suppressed figure prints only the suppression notice.
struct FigureView: Sendable {
    var label: String
    var figure: String
    var text: String
    var suppressed: Bool
    /// A second figure printed under the first (the 95% interval of a share).
    var detail: Detail?
    /// Printed small and muted: the suppression notice or "Not reported" rather than a number.
    var quiet: Bool

    init(label: String, figure: String, text: String, suppressed: Bool, detail: Detail? = nil) {
        self.label = label
        self.figure = figure
        self.text = text
        self.suppressed = suppressed
        self.detail = detail
        quiet = suppressed || text == Self.notReported
    }

    struct Detail: Sendable {
        var figure: String
        var text: String
    }

    static let notReported = "Not reported"

    /// A share with its interval (`trust.share` and `trust.interval`).
    static func proportion(_ label: String, key: String, _ proportion: Proportion?, suppressedText: String?) -> FigureView {
        if let suppressedText {
            return FigureView(label: label, figure: "\(key).share", text: suppressedText, suppressed: true)
        }
        guard let proportion else {
            return FigureView(label: label, figure: "\(key).share", text: notReported, suppressed: false)
        }
        return FigureView(
            label: label,
            figure: "\(key).share",
            text: FigureFormat.percent(proportion.share),
            suppressed: false,
            detail: Detail(figure: "\(key).interval", text: FigureFormat.interval(proportion.lower, proportion.upper))
        )
    }

    /// Any other figure: `value` formatted, the suppression notice, or "Not reported".
    static func value<Value>(
        _ label: String,
        figure: String,
        _ value: Value?,
        suppressedText: String?,
        format: (Value) -> String
    ) -> FigureView {
        if let suppressedText { return FigureView(label: label, figure: figure, text: suppressedText, suppressed: true) }
        return FigureView(label: label, figure: figure, text: value.map(format) ?? notReported, suppressed: false)
    }
}
