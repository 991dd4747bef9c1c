import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// ops/monitoring: the alert rules pass `promtool check rules` and their unit tests on sample series
/// (`promtool test rules`); the Grafana dashboard is well-formed, every query in it is valid PromQL, and it
/// shows what operators need. That every metric these files name is one a service exports is checked against
/// a live scrape of the real services (EndToEndTests' OperationsMetricsEndToEndTests).
@Suite("Monitoring: alert rules and dashboard", .hangGuard)
struct MonitoringTests {
    static let requiredAlerts = ["CivicStageNotReady", "CivicConsumerLagGrowing", "CivicDeadLetters", "CivicBatchFailures"]

    @Test("promtool check rules accepts the alert rules")
    func rulesCheck() throws {
        try requireTool(OpsFiles.promtool, "promtool (Debian package prometheus)")
        let result = try runTool(OpsFiles.promtool, ["check", "rules", MonitoringFiles.alerts.path])
        #expect(result.status == 0, "promtool check rules:\n\(result.summary)")
    }

    @Test("promtool test rules: each alert fires on the sample series that should page, and only those")
    func rulesUnitTests() throws {
        try requireTool(OpsFiles.promtool, "promtool (Debian package prometheus)")
        let result = try runTool(OpsFiles.promtool, ["test", "rules", MonitoringFiles.alertTests.path], currentDirectory: MonitoringFiles.folder)
        #expect(result.status == 0, "promtool test rules:\n\(result.summary)")
        #expect(result.standardOutput.contains("SUCCESS"))
        // Every alert is exercised by the unit tests.
        let tests = try OpsFiles.text(MonitoringFiles.alertTests)
        for alert in Self.requiredAlerts { #expect(tests.contains("alertname: \(alert)"), "no unit test for \(alert)") }
    }

    @Test("promtool test rules fails when an alert's expectation is wrong (the check can fail)")
    func rulesUnitTestsCanFail() throws {
        try requireTool(OpsFiles.promtool, "promtool (Debian package prometheus)")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("civic-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(at: MonitoringFiles.alerts, to: scratch.appendingPathComponent("alerts.yaml"))
        // The not-ready scorer pod would have to be reported after 1 minute instead of 5.
        let tests = try OpsFiles.text(MonitoringFiles.alertTests).replacingOccurrences(of: "eval_time: 8m", with: "eval_time: 3m")
        try Data(tests.utf8).write(to: scratch.appendingPathComponent("alerts.test.yaml"))
        let result = try runTool(OpsFiles.promtool, ["test", "rules", "alerts.test.yaml"], currentDirectory: scratch)
        #expect(result.status != 0, "a wrong expectation passed:\n\(result.summary)")
    }

    @Test("each alert has a severity, a summary, a description and a runbook")
    func alertAnnotations() throws {
        let document = try JSONSerialization.jsonObject(with: ComposeDocument.yamlToJSON(OpsFiles.text(MonitoringFiles.alerts))) as? [String: Any]
        let rules = (document?["groups"] as? [[String: Any]] ?? []).flatMap { $0["rules"] as? [[String: Any]] ?? [] }
        let names = rules.compactMap { $0["alert"] as? String }
        #expect(Set(names).isSuperset(of: Self.requiredAlerts), "alerts: \(names)")
        for rule in rules {
            let name = rule["alert"] as? String ?? "?"
            let annotations = rule["annotations"] as? [String: String] ?? [:]
            for key in ["summary", "description", "runbook"] {
                #expect((annotations[key]?.count ?? 0) > 20, "\(name) has no useful \(key)")
            }
            #expect(["page", "warn"].contains((rule["labels"] as? [String: String])?["severity"] ?? ""), "\(name) has no severity")
            #expect(rule["for"] != nil, "\(name) would fire on a single bad scrape")
        }
    }

    @Test("the dashboard is well-formed and every panel query is valid PromQL")
    func dashboard() throws {
        let data = try Data(contentsOf: MonitoringFiles.dashboard)
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dashboard["uid"] as? String == "civicpulse-pipeline")
        #expect(!(dashboard["title"] as? String ?? "").isEmpty)
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(ids.count == panels.count && Set(ids).count == ids.count, "panel ids must be present and unique: \(ids)")
        let variables = Set(((dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })

        var expressions: [(String, String)] = []
        for panel in panels where panel["type"] as? String != "row" {
            let title = panel["title"] as? String ?? "?"
            let grid = panel["gridPos"] as? [String: Int] ?? [:]
            #expect(["x", "y", "w", "h"].allSatisfy { grid[$0] != nil }, "\(title) has no position")
            #expect(!(panel["description"] as? String ?? "").isEmpty, "\(title) does not say what it shows")
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty, "\(title) has no query")
            for target in targets {
                let expression = try #require(target["expr"] as? String, "\(title) has a target without expr")
                // Every dashboard variable the query uses is defined.
                for variable in ["namespace", "stage", "datasource"] where expression.contains("$\(variable)") {
                    #expect(variables.contains(variable), "\(title) uses $\(variable), which the dashboard does not define")
                }
                expressions.append((title, expression))
            }
        }
        // promtool parses each query as a recording rule (with the variables expanded as Grafana would).
        let rules = expressions.enumerated().map { index, item in
            let expression = item.1.replacingOccurrences(of: "$namespace", with: ".*").replacingOccurrences(of: "$stage", with: ".*")
            return "      - record: civic:dashboard:query_\(index)\n        expr: \(jsonString(expression))"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("civic-dashboard-\(UUID().uuidString).yaml")
        try Data(("groups:\n  - name: dashboard\n    rules:\n" + rules.joined(separator: "\n") + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try requireTool(OpsFiles.promtool, "promtool (Debian package prometheus)")
        let result = try runTool(OpsFiles.promtool, ["check", "rules", file.path])
        #expect(result.status == 0, "a dashboard query is not valid PromQL:\n\(result.summary)")

        // What the pipeline dashboard must show.
        let all = expressions.map(\.1).joined(separator: "\n")
        for metric in [
            "civic_messages_consumed_total", "civic_consumer_lag", "civic_event_latency_seconds_bucket", "civic_intake_rejected_total",
            "civic_dead_letters_total", "civic_batch_failures_total", "civic_ready",
        ] {
            #expect(all.contains(metric), "the dashboard shows nothing of \(metric)")
        }
        #expect(all.contains("by (code)") && all.contains("by (stage, code)"), "rejections and dead letters must be shown by code")
    }

    @Test("the monitoring files name only civic_* metrics the services are known to make")
    func referencedMetricsAreCivicMetrics() throws {
        let names = try MonitoringFiles.referencedMetricNames()
        #expect(names.contains("civic_consumer_lag") && names.contains("civic_ready"))
        // The live check is OperationsMetricsEndToEndTests; here: the adapter serves the metric the autoscalers use.
        let adapter = try OpsFiles.text(MonitoringFiles.adapterRules)
        #expect(adapter.contains("as: civic_consumer_lag"))
    }

    private func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(decoding: data, as: UTF8.self).dropFirst().dropLast().description
    }
}
