import CivicTestTraits
import CivicTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `civicctl agency add`, `civicctl agency key` and `civicctl agency revoke-key` against the survey-intake
/// executable, and the minted key used on `POST /v1/responses` until it is revoked; `civicctl form-key create`
/// and `revoke` for an instrument's public form key, its hosted page served until the key is revoked.
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

        // Form keys: an instrument, a public key for its hosted form and embed, the page served, then revoked.
        let (instrumentSet, instrumentOutput) = try civicctl(
            [
                "instrument", "set", "NASA", "open-data", "web", "--form", "a11-v2-thumbs", "--omb-control-number", "2700-0153",
                "--expires-on", "2099-12-31", "--trust-question", "I trust NASA to serve the public.", "--went-well", "ease",
                "--did-not-go-well", "ease",
            ],
            port: port
        )
        #expect(instrumentSet == 0, "\(instrumentOutput)")
        let (formMinted, formOutput) = try civicctl(
            ["form-key", "create", "NASA", "open-data", "web", "--origin", "https://www.nasa.gov"],
            port: port
        )
        #expect(formMinted == 0, "\(formOutput)")
        var printed: [String: String] = [:]
        for line in formOutput.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { printed[String(parts[0])] = String(parts[1]) }
        }
        let formKey = try #require(printed["key"])
        #expect(formKey.hasPrefix("cpf_"))
        #expect(printed["allowed_origins"] == "https://www.nasa.gov")
        #expect(printed["hosted_page"] == "http://127.0.0.1:\(port)/forms/\(formKey)")
        #expect(printed["embed"]?.contains("src=\"http://127.0.0.1:\(port)/forms/\(formKey)/embed.js\"") == true, "\(formOutput)")
        #expect(try await TestHTTP.send("GET", "http://127.0.0.1:\(port)/forms/\(formKey)").status == 200)
        let (noInstrument, _) = try civicctl(["form-key", "create", "NASA", "open-data", "phone"], port: port)
        #expect(noInstrument != 0, "a place without an instrument has no form")
        let (badOrigin, _) = try civicctl(["form-key", "create", "NASA", "open-data", "web", "--origin", "javascript:alert(1)"], port: port)
        #expect(badOrigin != 0, "an allowed origin must be https://host")
        let formKeyId = try #require(printed["key_id"])
        let (formRevoked, formRevokeOutput) = try civicctl(["form-key", "revoke", "NASA", formKeyId], port: port)
        #expect(formRevoked == 0)
        #expect(formRevokeOutput == "revoked form key \(formKeyId) of NASA\n")
        #expect(try await TestHTTP.send("GET", "http://127.0.0.1:\(port)/forms/\(formKey)").status == 404)
        let (formAgain, _) = try civicctl(["form-key", "revoke", "NASA", formKeyId], port: port)
        #expect(formAgain == 0, "revoking again keeps it revoked")
        let (otherAgency, _) = try civicctl(["form-key", "revoke", "IRS", formKeyId], port: port)
        #expect(otherAgency != 0, "another agency cannot revoke NASA's form key")
        _ = await service.stop()
        await broker.kill()
    }
}
