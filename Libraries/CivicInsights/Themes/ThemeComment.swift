/// One comment as theme extraction sees it: its (redacted) text and the classes of its response.
package struct ThemeComment: Sendable {
    /// The comment, with PII already replaced by placeholders upstream.
    package var text: String
    /// The classes of the response (A-11 options ticked, trust up or down, ...) as indices into the
    /// extractor's class names, as a bit set (at most 64 classes).
    package var classes: UInt64

    /// A comment.
    package init(text: String, classes: UInt64) {
        self.text = text
        self.classes = classes
    }
}
