import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// `civicctl access` against the reporting executable: an operator grants an agency admin, who mints a
/// token for an agency system; the token reads its agency's figures until it is revoked; every change is in
/// the audit trail.
@Suite(.startsPipeline, .hangGuard)
struct CivicCtlAccessTests {
    private func civicctl(_ arguments: [String], url: String, token: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = RepositoryLayout.binaries.appendingPathComponent("civicctl")
        process.arguments = ["access"] + arguments + ["--url", url]
        process.environment = ProcessInfo.processInfo.environment.merging(["CIVIC_REPORTING_TOKEN": token]) { _, new in new }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func anOperatorDelegatesToAnAgencyAdminWhoMintsAndRevokesAToken() async throws {
        let harness = try await PipelineHarness()
        try await harness.start("reporting")
        let url = harness.base("reporting")
        let operatorToken = harness.reportingAdminToken

        // The operator makes an IRS admin token (as an agency would hand to its administrator).
        let (mintedAdmin, adminOutput) = try civicctl(["token", "IRS", "admin", "--label", "IRS access admin"], url: url, token: operatorToken)
        #expect(mintedAdmin == 0)
        let irsAdmin = adminOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(irsAdmin.hasPrefix("crt_"))

        // The IRS admin grants an analyst and mints a viewer token for the IRS data warehouse.
        let (granted, grantOutput) = try civicctl(["grant", "staff-irs-analyst", "IRS", "analyst", "--name", "Pat"], url: url, token: irsAdmin)
        #expect(granted == 0 && grantOutput.contains("granted analyst in IRS"))
        let (refused, _) = try civicctl(["grant", "staff-irs-analyst", "SSA", "analyst"], url: url, token: irsAdmin)
        #expect(refused != 0, "an IRS admin cannot grant in SSA")
        let (mintedViewer, viewerOutput) = try civicctl(["token", "IRS", "viewer", "--label", "warehouse pull"], url: url, token: irsAdmin)
        #expect(mintedViewer == 0)
        let viewer = viewerOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await TestHTTP.send("GET", url + "/v1/reports?agency=IRS", bearer: viewer).status == 200)
        #expect(try await TestHTTP.send("GET", url + "/v1/reports?agency=SSA", bearer: viewer).status == 403)

        let (listed, users) = try civicctl(["users", "--agency", "IRS"], url: url, token: irsAdmin)
        #expect(listed == 0 && users.contains("staff-irs-analyst"))
        let keyId = String(viewer.split(separator: "_")[1])
        let (revoked, _) = try civicctl(["revoke-token", keyId], url: url, token: irsAdmin)
        #expect(revoked == 0)
        #expect(try await TestHTTP.send("GET", url + "/v1/reports?agency=IRS", bearer: viewer).status == 401)

        let (audited, trail) = try civicctl(["audit", "--agency", "IRS"], url: url, token: irsAdmin)
        #expect(audited == 0)
        for action in ["token_minted", "role_granted", "token_revoked"] { #expect(trail.contains(action), "\(action)") }
        let (all, everything) = try civicctl(["audit"], url: url, token: operatorToken)
        #expect(all == 0 && everything.contains("token:\(String(irsAdmin.split(separator: "_")[1]))"))
        _ = await harness.stopAll()
    }
}
