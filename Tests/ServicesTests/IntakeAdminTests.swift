import CivicKafka
import CivicModels
import CivicPostgres
import CivicTesting
import Crypto
import Foundation
import Testing

@testable import SurveyIntake

/// The admin routes: agencies and API keys, stored hashed.
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
            #expect(try unknown.decode(IntakeErrorBody.self).code == "unknown_agency")

            let badBody = try await harness.send(
                "PUT",
                "/v1/admin/agencies/NASA",
                body: Array(#"{"services": []}"#.utf8),
                bearer: IntakeHTTPHarness.adminToken
            )
            #expect(badBody.status == 400)
            #expect(try badBody.decode(IntakeErrorBody.self).reason == "name: is required")

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
        }
    }
}
