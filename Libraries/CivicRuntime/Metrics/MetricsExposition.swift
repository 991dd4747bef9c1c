import CivicTime
import Prometheus

/// What `/metrics` answers: the Prometheus text format (0.0.4), or, for a scraper that asks for it, OpenMetrics 1.0
/// (https://prometheus.io/docs/specs/om/open_metrics_spec/), the only text format that carries exemplars.
///
/// swift-prometheus writes the Prometheus text format and has no exemplars, so OpenMetrics is that text rewritten
/// (``openMetrics(fromText:exemplars:)``): a counter's family is named without its `_total` suffix (its samples keep
/// it), the latency histogram's buckets get their exemplar (``EventLatencyExemplars``), and the page ends with
/// `# EOF`. Prometheus asks for OpenMetrics first, so its scrapes keep the exemplars (with
/// `--enable-feature=exemplar-storage`); anything else gets the text format as before.
package enum MetricsExposition {
    /// The text format's content type.
    package static let textContentType = "text/plain; version=0.0.4; charset=utf-8"
    /// OpenMetrics' content type.
    package static let openMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"
    /// The histogram whose buckets carry exemplars.
    package static let exemplarHistogram = "civic_event_latency_seconds"

    /// The content type and body of `/metrics` for a request with this `Accept` header.
    package static func render(
        _ registry: PrometheusCollectorRegistry?,
        accept: String?,
        exemplars: EventLatencyExemplars = .shared
    ) -> (contentType: String, body: [UInt8]) {
        var text: [UInt8] = []
        registry?.emit(into: &text)
        guard prefersOpenMetrics(accept: accept) else { return (textContentType, text) }
        return (openMetricsContentType, openMetrics(fromText: text, exemplars: exemplars))
    }

    /// Whether an `Accept` header prefers OpenMetrics: it lists `application/openmetrics-text` with a quality above
    /// zero and at least that of the text format (`text/plain`, `text/*`, `*/*`). No header means the text format.
    package static func prefersOpenMetrics(accept: String?) -> Bool {
        guard let accept else { return false }
        var openMetrics = 0.0
        var text = 0.0
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingWhitespace() }
            guard let type = parts.first?.lowercased() else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
                if pair.count == 2, pair[0].lowercased() == "q" { quality = Double(pair[1]).map { min(max($0, 0), 1) } ?? 0 }
            }
            switch type {
            case "application/openmetrics-text": openMetrics = max(openMetrics, quality)
            case "text/plain", "text/*", "*/*": text = max(text, quality)
            default: break
            }
        }
        return openMetrics > 0 && openMetrics >= text
    }

    /// The OpenMetrics page for a page of the Prometheus text format as swift-prometheus writes it.
    package static func openMetrics(fromText text: [UInt8], exemplars: EventLatencyExemplars) -> [UInt8] {
        let lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
        var types: [Substring: Substring] = [:]
        for line in lines where line.hasPrefix("# TYPE ") {
            let fields = line.dropFirst("# TYPE ".count).split(separator: " ", maxSplits: 1)
            if fields.count == 2 { types[fields[0]] = fields[1] }
        }
        let bucketPrefix = exemplarHistogram + "_bucket{"
        var page = ""
        page.reserveCapacity(text.count + 64)
        for line in lines {
            if line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP ") {
                page += metadata(line, types: types)
            } else if line.hasPrefix(bucketPrefix), let exemplar = exemplar(forBucketLine: line, in: exemplars) {
                page += line + " # {trace_id=\"\(exemplar.traceID)\"} \(exemplar.latency.timeInterval) "
                page += seconds(milliseconds: exemplar.timestampMilliseconds)
            } else {
                page += line
            }
            page += "\n"
        }
        page += "# EOF\n"
        return Array(page.utf8)
    }

    /// A `# TYPE` or `# HELP` line in OpenMetrics: a counter's family is its name without `_total` (a counter named
    /// otherwise becomes `unknown`, whose samples carry the family's name), and help text escapes `"` as well.
    private static func metadata(_ line: String, types: [Substring: Substring]) -> String {
        let keyword = line.prefix("# TYPE ".count)
        let fields = line.dropFirst(keyword.count).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = fields.first else { return line }
        let rest = fields.count == 2 ? fields[1] : ""
        var family = name
        var type = rest
        if types[name] == "counter" {
            if name.hasSuffix("_total") {
                family = name.dropLast("_total".count)
            } else if keyword == "# TYPE " {
                type = "unknown"
            }
        }
        if keyword == "# HELP " { return "# HELP \(family) \(escapingQuotes(rest))" }
        return "# TYPE \(family) \(type)"
    }

    /// Help text of the text format (which escapes only `\` and newlines) with its bare `"` escaped.
    private static func escapingQuotes(_ help: Substring) -> String {
        var escaped = ""
        var backslash = false
        for character in help {
            if character == "\"" && !backslash { escaped += "\\" }
            backslash = character == "\\" && !backslash
            escaped.append(character)
        }
        return escaped
    }

    /// The exemplar for a bucket line of the latency histogram, found by its `stage`, `topic`, `partition` and `le`.
    private static func exemplar(forBucketLine line: String, in exemplars: EventLatencyExemplars) -> EventLatencyExemplars.Exemplar? {
        guard let open = line.firstIndex(of: "{"), let labels = labels(in: line[line.index(after: open)...]),
            let stage = labels["stage"], let topic = labels["topic"], let partitionLabel = labels["partition"],
            let partition = Int32(partitionLabel), let le = labels["le"], let bucket = exemplars.bucket(le: le[...])
        else { return nil }
        return exemplars.exemplar(of: .init(stage: stage, topic: topic, partition: partition), bucket: bucket)
    }

    /// The labels of a sample, read from just after its `{` up to the closing `}`, with their values unescaped;
    /// `nil` when they are not well formed.
    private static func labels(in text: Substring) -> [String: String]? {
        var labels: [String: String] = [:]
        var rest = text
        while let first = rest.first, first != "}" {
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let name = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"" else { return nil }
            rest = rest.dropFirst()
            var value = ""
            var closed = false
            while let character = rest.popFirst() {
                if character == "\"" {
                    closed = true
                    break
                }
                guard character == "\\" else {
                    value.append(character)
                    continue
                }
                switch rest.popFirst() {
                case "n": value.append("\n")
                case .some(let escaped): value.append(escaped)
                case .none: return nil
                }
            }
            guard closed else { return nil }
            labels[name] = value
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return rest.first == "}" ? labels : nil
    }

    /// Milliseconds since 1970 as OpenMetrics' timestamp: seconds with three decimals.
    private static func seconds(milliseconds: Int64) -> String {
        let (whole, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let digits = String(abs(fraction))
        return "\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits)"
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var trimmed = self
        while trimmed.first?.isWhitespace == true { trimmed = trimmed.dropFirst() }
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
