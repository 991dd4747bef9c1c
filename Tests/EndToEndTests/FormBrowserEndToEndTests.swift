import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The citizen-facing form in headless Chromium against the four real services (form_browser.py, selenium with
/// Debian's chromium-driver, axe-core from axe-selenium-python): embedded on another origin by the one line (the
/// form's own script) and by the earlier line, answered with the keyboard only in Spanish and English, checked by axe-core empty, with an error and thanked in both languages,
/// refused on an origin not allowed, refused without a token or faster than a person, submitted without
/// JavaScript, and sent once after being made offline. Each response then reaches reporting with its locale,
/// counted once. Screenshots of desktop and phone widths in both languages go to `test-artifacts/form/`.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct FormBrowserEndToEndTests {
    static let adminToken = TestHTTP.randomSecret()
    static let logger = Logger(label: "form-browser-e2e")

    @Test func aKeyboardUserAnswersTheEmbeddedFormInSpanishAndItIsCountedOnce() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            throw TestEnvironmentError("chromium-driver is not installed; run ops/bootstrap first")
        }
        let harness = try await PipelineHarness(extraEnvironment: [
            "CIVIC_INTAKE_ADMIN_TOKEN": Self.adminToken, "CIVIC_INTAKE_FORM_MIN_FILL_S": "2",
        ])
        try await harness.startAll()
        let instrument = """
            {"form": "a11-v2-thumbs", "ombControlNumber": "1545-2278", "expiresOn": "2099-12-31",
             "trustQuestion": "This interaction increased my trust in the IRS.",
             "wentWellOptions": ["effectiveness", "ease", "efficiency", "transparency"], "didNotGoWellOptions": ["ease", "efficiency", "other"],
             "languages": ["en", "es"], "translations": {"es": {"trustQuestion": "Esta interacción aumentó mi confianza en el IRS."}}}
            """
        let set = try await TestHTTP.send(
            "PUT",
            harness.base("survey-intake") + "/v1/admin/agencies/IRS/instruments/free-file/web",
            bearer: Self.adminToken,
            json: Data(instrument.utf8)
        )
        #expect(set.status == 200, "\(set.text)")

        let artifacts = RepositoryLayout.root.appendingPathComponent("test-artifacts/form")
        try? FileManager.default.removeItem(at: artifacts)
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let log = harness.workDirectory.appendingPathComponent("form-browser.log")
        let driver = try ManagedProcess(
            executable: RepositoryLayout.python,
            arguments: [RepositoryLayout.root.appendingPathComponent("Tests/EndToEndTests/form_browser.py").path],
            environment: [
                "CIVIC_FORM_INTAKE_URL": harness.base("survey-intake"), "CIVIC_FORM_ADMIN_TOKEN": Self.adminToken,
                "CIVIC_FORM_OUT": artifacts.path, "CIVIC_FORM_MIN_FILL_S": "2", "HOME": harness.workDirectory.path,
            ],
            logFile: log
        )
        await driver.waitForExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(driver.terminationStatus == 0, "\(output.suffix(6_000))")
        // The size and first-render figures BENCHMARKS.md quotes (measured, never asserted on time).
        for line in output.split(separator: "\n") where line.hasPrefix("FIGURE ") { print(line) }
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: artifacts.appendingPathComponent("results.json"))) as? [String: Any]
        let events = results?["events"] as? [String: String] ?? [:]
        let screenshots = results?["screenshots"] as? [String] ?? []
        for language in ["en", "es"] {
            for device in ["desktop", "phone"] {
                #expect(screenshots.contains { $0.hasSuffix("form-\(language)-empty-\(device).png") }, "\(screenshots)")
            }
        }

        // Each response reaches reporting once, with its locale; the offline one too, its resend a duplicate.
        let expected = ["keyboard-es": "es", "keyboard-en": "en", "offline": "en", "nojs-es": "es"]
        #expect(Set(events.keys) == Set(expected.keys), "\(output.suffix(4_000))")
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        let ids = expected.keys.compactMap { events[$0] }
        var locales: [String: String] = [:]
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            let rows = try await database.query(
                "SELECT event_id, payload->>'locale' AS locale FROM reporting.feedback WHERE event_id = ANY(string_to_array($1, ','))",
                [ids.joined(separator: ",")]
            )
            locales = [:]
            for row in rows.rows { locales[try row.require("event_id")] = try row.require("locale", as: String.self) }
            if locales.count == ids.count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        for (name, locale) in expected {
            #expect(events[name].flatMap { locales[$0] } == locale, "\(name): \(locales)")
        }
        let offline = try #require(events["offline"])
        // The resend reached intake and was recorded as a duplicate, not stored again.
        var duplicates: Int64 = 0
        while ContinuousClock.now < deadline, duplicates == 0 {
            let rows = try await database.query("SELECT count(*) AS n FROM intake.duplicates WHERE event_id = $1", [offline])
            duplicates = try rows.first?.require("n", as: Int64.self) ?? 0
            if duplicates == 0 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(duplicates >= 1)
        let counted = try await database.query("SELECT count(*) AS n FROM reporting.feedback WHERE event_id = $1", [offline])
        #expect(try counted.first?.require("n", as: Int64.self) == 1)
        let refused = try await database.query(
            "SELECT count(*) AS n FROM reporting.feedback WHERE event_id IN ('form-browser-notoken', 'form-browser-fast')"
        )
        #expect(try refused.first?.require("n", as: Int64.self) == 0)
        _ = await harness.stopAll()
    }
}
