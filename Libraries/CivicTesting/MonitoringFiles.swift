import Foundation

/// The operators' monitoring files under `ops/monitoring/` and the metrics they name, in one place: the
/// ops tests check the files themselves, and an end-to-end test checks every metric they name against a
/// live scrape of the four services.
package enum MonitoringFiles {
    /// `ops/monitoring/`.
    package static var folder: URL { RepositoryLayout.root.appendingPathComponent("ops/monitoring") }
    /// The Grafana dashboard.
    package static var dashboard: URL { folder.appendingPathComponent("civicpulse-dashboard.json") }
    /// The Prometheus alert rules.
    package static var alerts: URL { folder.appendingPathComponent("alerts.yaml") }
    /// `promtool test rules` unit tests of ``alerts``.
    package static var alertTests: URL { folder.appendingPathComponent("alerts.test.yaml") }
    /// prometheus-adapter's rules for the autoscalers' external metric.
    package static var adapterRules: URL { folder.appendingPathComponent("prometheus-adapter.yaml") }

    /// Every `civic_*` metric name the dashboard, the alert rules (expressions and runbooks) and the adapter
    /// rules mention, as written (a histogram's `_bucket` series included).
    package static func referencedMetricNames() throws -> Set<String> {
        var names: Set<String> = []
        for file in [dashboard, alerts, adapterRules] {
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw TestEnvironmentError("cannot read \(file.path): \(error)")
            }
            names.formUnion(metricNames(in: text))
        }
        return names
    }

    /// The `civic_*` metric names in a text (an identifier starting `civic_`, made of `[a-z0-9_]`).
    package static func metricNames(in text: String) -> Set<String> {
        var names: Set<String> = []
        var current = ""
        for character in text.unicodeScalars {
            if ("a"..."z").contains(character) || ("0"..."9").contains(character) || character == "_" {
                current.unicodeScalars.append(character)
            } else {
                if current.hasPrefix("civic_") { names.insert(current) }
                current = ""
            }
        }
        if current.hasPrefix("civic_") { names.insert(current) }
        return names
    }
}

/// One sample of a Prometheus text exposition: its metric name, labels and value.
package struct PrometheusSample: Sendable, Equatable {
    /// The series name (`civic_event_latency_seconds_bucket` for a histogram bucket).
    package var name: String
    /// The labels, as written.
    package var labels: [String: String]
    /// The value.
    package var value: Double

    /// The samples of a `/metrics` page; comment lines and lines that do not parse are skipped.
    package static func parse(_ text: String) -> [PrometheusSample] {
        text.split(separator: "\n").compactMap { line -> PrometheusSample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                return nil
            }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return PrometheusSample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            let body = series[series.index(after: brace)...].dropLast()
            // Label values here never hold `",` (stage, topic, partition, component, code names).
            for pair in body.split(separator: "\",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0]).trimmingCharacters(in: CharacterSet(charactersIn: ", "))] = String(parts[1]).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\"")
                )
            }
            return PrometheusSample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }
}
