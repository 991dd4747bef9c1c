import CivicKafka
import CivicModels
import CivicPostgres
import CivicTesting
import Crypto
import Foundation
import Testing

@testable import SurveyIntake

/// The admin routes: agencies and API keys, stored hashed, and their revocation.
@Suite(.serialized, .timeLimit(.minutes(3)))
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
            let deadline = ContinuousClock.now + .seconds(60)
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
