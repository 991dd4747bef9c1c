import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// schemathesis (PyPI) against both published OpenAPI documents, served by the real survey-intake and
/// reporting executables over the real broker and PostgreSQL: every operation, with the credentials that
/// reach past the access checks (an intake API key and its administration token; a cross-agency reporting
/// admin token), its coverage, fuzzing and stateful phases bounded by example count. No generated request
/// may be answered 5xx, and afterwards both services are still ready and a canary still goes through.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct APIFuzzEndToEndTests {
    static let intakeAdminToken = "fuzz-" + TestHTTP.randomSecret()

    @Test func generatedRequestsNeverGetAServerErrorAndNothingStalls() async throws {
        let harness = try await PipelineHarness(extraEnvironment: ["CIVIC_INTAKE_ADMIN_TOKEN": Self.intakeAdminToken])
        try await harness.start("survey-intake")
        try await harness.start("reporting")
        let minted = try await TestHTTP.send("POST", harness.base("survey-intake") + "/v1/admin/agencies/IRS/keys", bearer: Self.intakeAdminToken)
        let apiKey = try #require((try JSONSerialization.jsonObject(with: minted.body) as? [String: Any])?["key"] as? String, "\(minted.text)")
        let reportingAdmin = try await TestHTTP.mintReportingToken(
            base: harness.base("reporting"),
            adminToken: harness.reportingAdminToken,
            agency: "*",
            role: "admin"
        )

        let runs: [(name: String, service: String, token: String, paths: String)] = [
            ("intake-submissions", "survey-intake", apiKey, "--include-path-regex=^/v1/(responses|operations)$"),
            ("intake-admin", "survey-intake", Self.intakeAdminToken, "--exclude-path-regex=^/v1/(responses|operations)$"),
            // The sign-in routes answer 404 here (sign-in is not configured), which is what they should do.
            ("reporting", "reporting", reportingAdmin, "--exclude-path-regex=^/(signin|auth/callback|signout)$"),
        ]
        for run in runs {
            let report = try await Self.schemathesis(run.name, harness: harness, service: run.service, token: run.token, filter: run.paths)
            let summary = report.split(separator: "\n").last { $0.contains(" generated, ") }.map(String.init) ?? ""
            let counts = summary.firstMatch(of: /(\d+) generated, (\d+) passed/)
            #expect(counts != nil && counts?.output.1 == counts?.output.2, "\(run.name): \(summary)\n\(report.suffix(4_000))")
            #expect(Int(counts?.output.1 ?? "0") ?? 0 > 100, "\(run.name) generated too few requests: \(summary)")
            #expect(!report.contains("Server error"), "\(run.name):\n\(report.suffix(4_000))")
            let ready = try await harness.get(run.service, path: "/ready")
            #expect(ready.0 == 200, "\(run.service) not ready after \(run.name)")
        }

        // A canary through HTTP still reaches the topic after all of it.
        let canary = Data(
            HostileInputEndToEndTests.response("fuzz-canary-\(UUID().uuidString)") {
                $0["agency"] = "IRS"
                $0["service"] = "free-file"
            }
        )
        let answer = try await TestHTTP.send("POST", harness.base("survey-intake") + "/v1/responses", bearer: apiKey, json: canary)
        #expect(answer.status == 202 && answer.text.contains(#""accepted""#), "\(answer.text)")
        _ = await harness.stopAll()
    }

    /// Runs schemathesis against `service`'s own `/openapi.json` with one worker (its generator is not
    /// safe across threads on this Python) and returns what it printed.
    static func schemathesis(_ name: String, harness: PipelineHarness, service: String, token: String, filter: String) async throws -> String {
        let log = harness.workDirectory.appendingPathComponent("schemathesis-\(name).log")
        let process = try ManagedProcess(
            executable: RepositoryLayout.python,
            arguments: [
                "-m", "schemathesis.cli", "run", harness.base(service) + "/openapi.json",
                "--header", "Authorization: Bearer \(token)", "--checks", "not_a_server_error", "--max-examples", "40",
                "--workers", "1", "--seed", "20261205", "--no-color", filter,
            ],
            environment: ["HOME": harness.workDirectory.path, "SCHEMATHESIS_HOOKS": ""],
            logFile: log
        )
        await process.waitForExit()
        return (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    }
}
