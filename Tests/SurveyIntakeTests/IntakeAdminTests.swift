import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Crypto
import Foundation
import Testing

@testable import SurveyIntake

/// The admin routes: agencies and API keys, stored hashed, and their revocation.
@Suite(.startsProcesses, .serialized, .hangGuard)
struct IntakeAdminTests {
    @Test func registersAgenciesAndMintsKeysStoredOnlyAsDigests() async throws {
        try await IntakeHTTPHarness.run { harness in
            let registration = Array(#"{"name": "NASA", "services": [{"code": "open-data", "name": "Open Data Portal"}]}"#.utf8)

            let wrongToken = try await harness.send("PUT", "/v1/admin/agencies/NASA", body: registration, bearer: "not-the-admin-token")
            #expect(wrongToken.status == 401)
            let noToken = try await harness.send("POST", "/v1/admin/agencies/IRS/keys")
            #expect(noToken.status == 401)

            let unknown = try await harness.send("POST", "/v1/admin/agencies/NASA/keys", bearer: IntakeHTTPHarness.adminToken)
            #expect(unknown.status == 404)
            #expect(try unknown.decode(APIErrorBody.self).code == "unknown_agency")

            let badBody = try await harness.send(
                "PUT",
                "/v1/admin/agencies/NASA",
                body: Array(#"{"services": []}"#.utf8),
                bearer: IntakeHTTPHarness.adminToken
            )
            #expect(badBody.status == 400)
            #expect(try badBody.decode(APIErrorBody.self).reason == "name: is required")

            let put = try await harness.send("PUT", "/v1/admin/agencies/NASA", body: registration, bearer: IntakeHTTPHarness.adminToken)
            #expect(put.status == 200)
            #expect(try put.decode(AgencyRegistration.self).services.map(\.code) == ["open-data"])
            // Another spelling of a registered code would share NASA's topic and Kafka user: refused, nothing registered.
            let otherCase = try await harness.send("PUT", "/v1/admin/agencies/nasa", body: registration, bearer: IntakeHTTPHarness.adminToken)
            #expect(otherCase.status == 409)
            let conflict = try otherCase.decode(APIErrorBody.self)
            #expect(conflict.code == "agency_code_taken" && conflict.reason.contains("cx.feedback.submitted.v1.nasa"), "\(conflict.reason)")
            #expect(try await harness.send("POST", "/v1/admin/agencies/nasa/keys", bearer: IntakeHTTPHarness.adminToken).status == 404)
            #expect(try await harness.send("PUT", "/v1/admin/agencies/NASA", body: registration, bearer: IntakeHTTPHarness.adminToken).status == 200)

            let minted = try await harness.send("POST", "/v1/admin/agencies/NASA/keys", bearer: IntakeHTTPHarness.adminToken)
            #expect(minted.status == 201)
            let body = try minted.decode(MintedAPIKey.self)
            #expect(body.agency == "NASA")
            #expect(body.key.hasPrefix("cpk_\(body.keyId)_"))
            let secret = String(body.key.dropFirst("cpk_\(body.keyId)_".count))

            // The database holds the digest, never the key or its secret.
            let rows = try await harness.postgres.query(
                "SELECT row_to_json(k)::text AS everything, secret_sha256 FROM intake.api_keys k WHERE key_id = $1",
                [body.keyId]
            )
            let row = try #require(rows.first)
            let everything: String = try row.require("everything")
            #expect(!everything.contains(secret))
            #expect(!everything.contains(body.key))
            #expect(try row.require("secret_sha256", as: [UInt8].self) == Array(SHA256.hash(data: Array(secret.utf8))))

            // The new agency and key work at once.
            let response = IntakeHTTPHarness.response("nasa-1") {
                $0["agency"] = "NASA"
                $0["service"] = "open-data"
            }
            let submitted = try await harness.submit(response, key: body.key)
            #expect(submitted.status == 202)
            #expect(try submitted.decode(SubmissionResult.self).results.map(\.status) == [.accepted])
        }
    }

    @Test func aRevokedKeyIsRefusedAtOnceAndRevokingIsIdempotent() async throws {
        try await IntakeHTTPHarness.run { harness in
            let minted = try await harness.send("POST", "/v1/admin/agencies/IRS/keys", bearer: IntakeHTTPHarness.adminToken)
            let key = try minted.decode(MintedAPIKey.self)
            let other = try await harness.mintKey("IRS")
            #expect(try await harness.submit(IntakeHTTPHarness.response("rev-1"), key: key.key).status == 202)

            let path = "/v1/admin/agencies/IRS/keys/\(key.keyId)"
            #expect(try await harness.send("DELETE", path).status == 401, "the admin token is required")
            #expect(try await harness.send("DELETE", path, bearer: key.key).status == 401, "an API key is not the admin token")
            let revoked = try await harness.send("DELETE", path, bearer: IntakeHTTPHarness.adminToken)
            #expect(revoked.status == 200)
            let body = try revoked.decode(RevokedAPIKey.self)
            #expect(body.agency == "IRS")
            #expect(body.keyId == key.keyId)
            #expect(Timestamp.parse(body.revokedAt) != nil)

            // This instance refuses it at once, on both submission routes; the agency's other key still works.
            let refused = try await harness.submit(IntakeHTTPHarness.response("rev-2"), key: key.key)
            #expect(refused.status == 401)
            #expect(try refused.decode(APIErrorBody.self).code == "unauthorized")
            #expect(try await harness.send("POST", "/v1/operations", body: [], bearer: key.key).status == 401)
            #expect(try await harness.submit(IntakeHTTPHarness.response("rev-3"), key: other).status == 202)

            let stored = try await harness.postgres.query("SELECT revoked_at FROM intake.api_keys WHERE key_id = $1", [key.keyId])
            let revokedAt = try #require(try stored.first?.decode("revoked_at", as: Date.self))
            #expect(Timestamp.format(revokedAt) == body.revokedAt)

            // Again: the same answer, the first revocation time kept.
            let again = try await harness.send("DELETE", path, bearer: IntakeHTTPHarness.adminToken)
            #expect(again.status == 200)
            #expect(try again.decode(RevokedAPIKey.self) == body)

            // Unknown ids, a malformed id, and another agency's key are 404.
            for unknown in [
                "/v1/admin/agencies/IRS/keys/0000000000000000", "/v1/admin/agencies/IRS/keys/not-a-key-id",
                "/v1/admin/agencies/SSA/keys/\(other.dropFirst(4).prefix(16))",
            ] {
                let reply = try await harness.send("DELETE", unknown, bearer: IntakeHTTPHarness.adminToken)
                #expect(reply.status == 404, "\(unknown)")
                #expect(try reply.decode(APIErrorBody.self).code == "unknown_key", "\(unknown)")
            }
            #expect(try await harness.submit(IntakeHTTPHarness.response("rev-4"), key: other).status == 202)
        }
    }

    /// Another replica (here: a revocation written straight to the database) is honoured once the cached key
    /// expires: the key keeps working only until the cache lifetime has passed.
    @Test func aKeyRevokedElsewhereStopsWorkingOnceItsCacheEntryExpires() async throws {
        let shortCache: (inout IntakeHTTPConfiguration) -> Void = { $0.apiKeyCacheSeconds = 1 }
        try await IntakeHTTPHarness.run(adjusting: shortCache) { harness in
            let key = try await harness.mintKey("IRS")
            let other = try await harness.mintKey("IRS")
            #expect(try await harness.submit(IntakeHTTPHarness.response("ttl-1"), key: key).status == 202)
            let keyId = String(key.dropFirst("cpk_".count).prefix(16))
            _ = try await harness.postgres.query("UPDATE intake.api_keys SET revoked_at = now() WHERE key_id = $1", [keyId])

            var status = 202
            let deadline = ContinuousClock.now + TestPatience.hang
            var attempt = 0
            while status != 401, ContinuousClock.now < deadline {
                attempt += 1
                status = try await harness.submit(IntakeHTTPHarness.response("ttl-\(attempt + 1)"), key: key).status
                if status != 401 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == 401, "the revoked key was still honoured after \(attempt) attempts")
            #expect(try await harness.submit(IntakeHTTPHarness.response("ttl-other"), key: other).status == 202)
        }
    }

    @Test func theOpenAPIDocumentListsTheRevocationAndOperationsRoutes() async throws {
        try await IntakeHTTPHarness.run { harness in
            let reply = try await harness.send("GET", "/openapi.json")
            #expect(reply.status == 200)
            let document = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: Any])
            let revoke = try #require((paths["/v1/admin/agencies/{code}/keys/{keyId}"] as? [String: Any])?["delete"] as? [String: Any])
            #expect((revoke["responses"] as? [String: Any]).map { Set($0.keys) } == ["200", "401", "404"])
            #expect((paths["/v1/operations"] as? [String: Any])?["post"] != nil)
        }
    }

    @Test func adminRoutesDoNotExistWithoutAnAdminToken() async throws {
        let withoutAdmin: (inout IntakeHTTPConfiguration) -> Void = { $0.adminToken = nil }
        try await IntakeHTTPHarness.run(adjusting: withoutAdmin) { harness in
            let put = try await harness.send(
                "PUT",
                "/v1/admin/agencies/NASA",
                body: Array(#"{"name": "NASA", "services": []}"#.utf8),
                bearer: IntakeHTTPHarness.adminToken
            )
            #expect(put.status == 404)
            let mint = try await harness.send("POST", "/v1/admin/agencies/IRS/keys", bearer: IntakeHTTPHarness.adminToken)
            #expect(mint.status == 404)
            let revoke = try await harness.send("DELETE", "/v1/admin/agencies/IRS/keys/0000000000000000", bearer: IntakeHTTPHarness.adminToken)
            #expect(revoke.status == 404)
            let spam = try await harness.send("GET", "/v1/spam?agency=IRS", bearer: IntakeHTTPHarness.adminToken)
            #expect(spam.status == 404)
        }
    }
}

/// The instrument admin routes, and responses checked against what they set, on both submission paths.
@Suite(.startsProcesses, .serialized, .hangGuard)
struct IntakeInstrumentAdminTests {
    static let body = Array(
        #"""
        {"form": "a11-v2-likert5", "ombControlNumber": "0960-0789", "expiresOn": "2099-06-30",
         "federalRegisterURL": "https://www.federalregister.gov/d/2024-00001",
         "trustQuestion": "This interaction increased my trust in SSA.",
         "wentWellOptions": ["ease", "humanity"], "didNotGoWellOptions": ["ease", "efficiency"], "languages": ["en", "es"]}
        """#.utf8
    )

    @Test func setListRetireAndEachRefusal() async throws {
        try await IntakeHTTPHarness.run { harness in
            let path = "/v1/admin/agencies/SSA/instruments/retirement/phone"
            let admin = IntakeHTTPHarness.adminToken
            #expect(try await harness.send("PUT", path, body: Self.body).status == 401)
            #expect(try await harness.send("PUT", path, body: Self.body, bearer: "wrong-token").status == 401)
            #expect(try await harness.send("GET", "/v1/admin/agencies/SSA/instruments", bearer: "wrong-token").status == 401)

            let unknownService = try await harness.send("PUT", "/v1/admin/agencies/SSA/instruments/disability/phone", body: Self.body, bearer: admin)
            #expect(unknownService.status == 404)
            #expect(try unknownService.decode(APIErrorBody.self).code == "unknown_service")
            let badChannel = try await harness.send("PUT", "/v1/admin/agencies/SSA/instruments/retirement/fax", body: Self.body, bearer: admin)
            #expect(badChannel.status == 400)
            #expect(try badChannel.decode(APIErrorBody.self).field == "channel")
            let expired = Array(String(decoding: Self.body, as: UTF8.self).replacingOccurrences(of: "0960-0789", with: "0960").utf8)
            let badBody = try await harness.send("PUT", path, body: expired, bearer: admin)
            #expect(badBody.status == 400)
            #expect(try badBody.decode(APIErrorBody.self).reason.hasPrefix("ombControlNumber: \"0960\" is not an OMB control number"))
            let notJSON = try await harness.send("PUT", path, body: Array("{".utf8), bearer: admin)
            #expect(notJSON.status == 400)

            let put = try await harness.send("PUT", path, body: Self.body, bearer: admin)
            #expect(put.status == 200, "\(String(decoding: put.body, as: UTF8.self))")
            let listed = try await harness.send("GET", "/v1/admin/agencies/SSA/instruments", bearer: admin)
            #expect(listed.status == 200)
            let list = try listed.decode(InstrumentList.self)
            #expect(list.instruments.map(\.channel) == [.phone])
            #expect(list.instruments.first?.definition.ombControlNumber == "0960-0789")
            #expect(list.instruments.first?.praExpired == false)
            #expect((list.instruments.first?.daysToExpiry ?? 0) > 25_000)

            // The instrument applies at once to POSTed responses: a thumbs answer is refused, an option not
            // offered too, and a fitting response is accepted.
            let key = try await harness.mintKey("SSA")
            func item(_ id: String, _ answers: [String: Any]) -> [UInt8] {
                IntakeHTTPHarness.response(id) {
                    $0["agency"] = "SSA"
                    $0["service"] = "retirement"
                    $0["channel"] = "phone"
                    $0["answers"] = answers
                }
            }
            let reply = try await harness.submit(
                IntakeHTTPHarness.batch([
                    item("ssa-1", ["trust": ["scale": "likert5", "value": 5], "wentWell": ["humanity"]]),
                    item("ssa-2", ["trust": ["scale": "thumbs", "value": 1]]),
                    item("ssa-3", ["trust": ["scale": "likert5", "value": 2], "didNotGoWell": ["transparency"]]),
                ]),
                key: key
            )
            #expect(reply.status == 202)
            let results = try reply.decode(SubmissionResult.self).results
            #expect(results.map(\.status) == [.accepted, .rejected, .rejected])
            #expect(results.map(\.code) == [nil, "instrument_mismatch", "option_not_offered"])

            // The accepted response is forwarded with the instrument's reference.
            let accepted = try await IntakeHTTPHarness.read(try harness.reader(CivicTopic.accepted)) { $0.count >= 1 }
            let event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(try #require(accepted.first).value))
            #expect(
                event.instrument
                    == InstrumentReference(
                        form: .a11v2Likert5,
                        ombControlNumber: "0960-0789",
                        expiresOn: "2099-06-30",
                        praExpired: false,
                        wentWellOffered: [.ease, .humanity],
                        didNotGoWellOffered: [.ease, .efficiency]
                    )
            )

            let retired = try await harness.send("DELETE", path, bearer: admin)
            #expect(retired.status == 204)
            #expect(try await harness.send("DELETE", path, bearer: admin).status == 404)
            let after = try await harness.submit(item("ssa-4", ["trust": ["scale": "thumbs", "value": 1]]), key: key)
            #expect(try after.decode(SubmissionResult.self).results.map(\.status) == [.accepted], "retired: the form alone applies")
        }
    }
}
