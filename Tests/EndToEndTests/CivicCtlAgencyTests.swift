import CivicTestTraits
import CivicTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `civicctl agency add`, `civicctl agency key` and `civicctl agency revoke-key` against the survey-intake
/// executable, and the minted key used on `POST /v1/responses` until it is revoked.
@Suite(.startsPipeline, .hangGuard)
struct CivicCtlAgencyTests {
    static let adminToken = "e2e-admin-token-0123456789"

    private func civicctl(_ arguments: [String], port: Int) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = RepositoryLayout.binaries.appendingPathComponent("civicctl")
        process.arguments = arguments + ["--url", "http://127.0.0.1:\(port)"]
        process.environment = ProcessInfo.processInfo.environment.merging(["CIVIC_INTAKE_ADMIN_TOKEN": Self.adminToken]) { _, new in new }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func post(_ body: String, key: String, port: Int) async throws -> (Int, String) {
        let answer = try await TestHTTP.send("POST", "http://127.0.0.1:\(port)/v1/responses", bearer: key, json: Data(body.utf8))
        return (answer.status, answer.text)
    }

    @Test func addsAnAgencyAndMintsAKeyThatSubmits() async throws {
        let broker = try await TestBroker()
        let database = try await TestPostgres.shared().makeDatabase(prefix: "ctlagency")
        let port = try freeLoopbackPort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("civic-ctl-agency-\(port).log")
        let service = try ManagedProcess(
            executable: RepositoryLayout.binaries.appendingPathComponent("survey-intake"),
            arguments: [],
            environment: [
                "CIVIC_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                "CIVIC_POSTGRES_URL": database,
                "CIVIC_HTTP_PORT": String(port),
                "CIVIC_INTAKE_ADMIN_TOKEN": Self.adminToken,
                "CIVIC_LOG_LEVEL": "warning",
            ],
            logFile: log
        )
        let deadline = ContinuousClock.now + TestPatience.hang
        var listening = false
        while !listening, service.isRunning, ContinuousClock.now < deadline {
            listening = (try? await post("{}", key: "none", port: port))?.0 == 401
            if !listening { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(listening, "survey-intake did not start:\n\(service.logTail())")

        let (added, addOutput) = try civicctl(
            ["agency", "add", "NASA", "--name", "NASA", "--service", "open-data=Open Data Portal"],
            port: port
        )
        #expect(added == 0)
        #expect(addOutput.contains("registered NASA with 1 service(s)"))
        let (minted, key) = try civicctl(["agency", "key", "NASA"], port: port)
        #expect(minted == 0)
        let plaintext = key.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(plaintext.hasPrefix("cpk_"))
        let (failed, _) = try civicctl(["agency", "key", "NOPE"], port: port)
        #expect(failed != 0, "minting for an unregistered agency fails")

        let occurred = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
        let response = """
            {"schema":"cx.feedback.submitted/1","eventId":"ctl-1","occurredAt":"\(occurred)","agency":"NASA",\
            "service":"open-data","channel":"web","level":"transaction","form":"a11-v2",\
            "answers":{"trust":{"scale":"thumbs","value":1}}}
            """
        let (status, body) = try await post(response, key: plaintext, port: port)
        #expect(status == 202)
        #expect(body.contains(#""status":"accepted""#))

        // Revoked through the same process: refused at once; revoking again succeeds; an unknown id fails.
        let keyId = String(plaintext.dropFirst("cpk_".count).prefix(16))
        let (revoked, revokeOutput) = try civicctl(["agency", "revoke-key", "NASA", keyId], port: port)
        #expect(revoked == 0)
        #expect(revokeOutput.hasPrefix("revoked key \(keyId) of NASA at "))
        let (afterRevocation, _) = try await post(response, key: plaintext, port: port)
        #expect(afterRevocation == 401)
        let (again, againOutput) = try civicctl(["agency", "revoke-key", "NASA", keyId], port: port)
        #expect(again == 0)
        #expect(againOutput == revokeOutput, "revoking again keeps the first revocation time")
        let (unknown, _) = try civicctl(["agency", "revoke-key", "NASA", "0000000000000000"], port: port)
        #expect(unknown != 0, "revoking an unknown key fails")
        _ = await service.stop()
        await broker.kill()
    }
}
