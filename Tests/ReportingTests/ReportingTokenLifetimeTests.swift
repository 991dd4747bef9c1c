import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import Reporting
@testable import ReportingCore
@testable import ReportingWeb

/// Reporting tokens' lifetime (expiry, last use, revocation with the creator's admin role or the minting
/// token), grants keyed on (issuer, sub), and repeated query parameters, against the real reporting service
/// (in process, real broker and PostgreSQL).
@Suite(.startsProcesses, .serialized, .hangGuard)
struct ReportingTokenLifetimeTests {
    struct Minted: Decodable {
        var token: String
        var keyId: String
        var expiresAt: String
    }

    struct TokenList: Decodable {
        struct Token: Decodable {
            var keyId: String
            var expiresAt: String
            var lastUsedAt: String?
            var revokedAt: String?
        }
        var tokens: [Token]
    }

    static func mint(_ fixture: ReportingFixture, bearer: String, agency: String, role: String, days: Int? = nil) async throws -> TestHTTP.Answer {
        var body: [String: Any] = ["agency": agency, "role": role, "label": "lifetime test"]
        if let days { body["days"] = days }
        return try await TestHTTP.send(
            "POST",
            fixture.base + "/v1/admin/tokens",
            bearer: bearer,
            json: try JSONSerialization.data(withJSONObject: body)
        )
    }

    static func database(_ fixture: ReportingFixture) -> PostgresClient {
        PostgresClient(
            configuration: PostgresConfiguration(connectionString: fixture.configuration.runtime.postgresURL),
            logger: Logger(label: "token-lifetime-test")
        )
    }

    static func listed(_ fixture: ReportingFixture, _ keyId: String) async throws -> TokenList.Token {
        let answer = try await TestHTTP.send("GET", fixture.base + "/v1/admin/tokens?agency=DOL", bearer: fixture.adminToken)
        #expect(answer.status == 200)
        return try #require(try JSONDecoder().decode(TokenList.self, from: answer.body).tokens.first { $0.keyId == keyId })
    }

    @Test func everyTokenExpiresAndItsLastUseIsRecordedAtMostOnceAMinute() async throws {
        let fixture = try await ReportingFixture.shared()
        let database = Self.database(fixture)
        defer { database.close() }
        // The default lifetime (90 days), a shorter one asked for, and the bounds.
        let standard = try JSONDecoder().decode(
            Minted.self,
            from: try await Self.mint(fixture, bearer: fixture.adminToken, agency: "DOL", role: "viewer").body
        )
        let expiry = try #require(Timestamp.parse(standard.expiresAt))
        #expect(abs(expiry.timeIntervalSinceNow - 90 * 86_400) < 3_600)
        let short = try await Self.mint(fixture, bearer: fixture.adminToken, agency: "DOL", role: "viewer", days: 7)
        #expect(short.status == 201)
        let minted = try JSONDecoder().decode(Minted.self, from: short.body)
        #expect(abs(try #require(Timestamp.parse(minted.expiresAt)).timeIntervalSinceNow - 7 * 86_400) < 3_600)
        for days in [0, 366] {
            let refused = try await Self.mint(fixture, bearer: fixture.adminToken, agency: "DOL", role: "viewer", days: days)
            #expect(refused.status == 400, "days \(days)")
            #expect(refused.text.contains("days"))
        }

        // Never used: no last use. Used: recorded.
        #expect(try await Self.listed(fixture, minted.keyId).lastUsedAt == nil)
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: minted.token).status == 200)
        #expect(try await Self.listed(fixture, minted.keyId).lastUsedAt != nil)
        // A use less than a minute after the recorded one writes nothing; one a minute or more after does.
        try await database.query("UPDATE reporting.access_tokens SET last_used_at = now() - interval '30 seconds' WHERE key_id = $1", [minted.keyId])
        let recent = try await Self.listed(fixture, minted.keyId).lastUsedAt
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: minted.token).status == 200)
        #expect(try await Self.listed(fixture, minted.keyId).lastUsedAt == recent)
        try await database.query("UPDATE reporting.access_tokens SET last_used_at = now() - interval '2 minutes' WHERE key_id = $1", [minted.keyId])
        let old = try await Self.listed(fixture, minted.keyId).lastUsedAt
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: minted.token).status == 200)
        let renewed = try await Self.listed(fixture, minted.keyId).lastUsedAt
        #expect(renewed != old && renewed != nil)

        // Past its expiry the token is refused, saying so.
        try await database.query("UPDATE reporting.access_tokens SET expires_at = now() - interval '1 second' WHERE key_id = $1", [minted.keyId])
        let expired = try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: minted.token)
        #expect(expired.status == 401)
        #expect(expired.text.contains("expired"))
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: standard.token).status == 200)
    }

    @Test func aTokenDiesWithItsCreatorsAdminRoleOrWithTheTokenThatMintedIt() async throws {
        let fixture = try await ReportingFixture.shared()
        let store = AccessStore(client: Self.database(fixture))
        defer { store.client.close() }
        let issuer = "https://issuer.lifetime.test/"
        let query = "?issuer=" + (issuer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let grantAdmin = try JSONSerialization.data(withJSONObject: ["role": "admin"])
        for agency in ["DOL", "SSA"] {
            let granted = try await TestHTTP.send(
                "PUT",
                fixture.base + "/v1/admin/users/lifetime-admin/roles/\(agency)\(query)",
                bearer: fixture.adminToken,
                json: grantAdmin
            )
            #expect(granted.status == 200, "\(granted.text)")
        }
        // The staff member mints as their signed-in session would (the store is what the route calls).
        let user = try await store.principal(forUser: "lifetime-admin", issuer: issuer)
        #expect(user.administers(.agency("DOL")) && user.administers(.agency("SSA")))
        let (_, dolToken) = try await store.mintToken(agency: .agency("DOL"), role: .viewer, label: "dol", days: 30, by: user)
        let (_, ssaToken) = try await store.mintToken(agency: .agency("SSA"), role: .viewer, label: "ssa", days: 30, by: user)
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: dolToken).status == 200)

        // Admin in DOL becomes analyst: the DOL token goes in the same transaction, the SSA one stays.
        let downgrade = try JSONSerialization.data(withJSONObject: ["role": "analyst"])
        let changed = try await TestHTTP.send(
            "PUT",
            fixture.base + "/v1/admin/users/lifetime-admin/roles/DOL\(query)",
            bearer: fixture.adminToken,
            json: downgrade
        )
        #expect(changed.status == 200)
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: dolToken).status == 401)
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=SSA", bearer: ssaToken).status == 200)
        // The role taken away in SSA: the SSA token goes too.
        let revoked = try await TestHTTP.send("DELETE", fixture.base + "/v1/admin/users/lifetime-admin/roles/SSA\(query)", bearer: fixture.adminToken)
        #expect(revoked.status == 200)
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=SSA", bearer: ssaToken).status == 401)

        // A token minted by an admin token never outlives it, and is revoked with it.
        let admin = try JSONDecoder().decode(
            Minted.self,
            from: try await Self.mint(fixture, bearer: fixture.adminToken, agency: "DOL", role: "admin", days: 10).body
        )
        let child = try await Self.mint(fixture, bearer: admin.token, agency: "DOL", role: "viewer", days: 300)
        #expect(child.status == 201)
        let minted = try JSONDecoder().decode(Minted.self, from: child.body)
        #expect(try #require(Timestamp.parse(minted.expiresAt)) <= (try #require(Timestamp.parse(admin.expiresAt))))
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: minted.token).status == 200)
        #expect(try await TestHTTP.send("DELETE", fixture.base + "/v1/admin/tokens/\(admin.keyId)", bearer: fixture.adminToken).status == 200)
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: minted.token).status == 401)
        #expect(try await Self.listed(fixture, minted.keyId).revokedAt != nil)
    }

    @Test func theSameSubFromAnotherIssuerHoldsNoRole() async throws {
        let fixture = try await ReportingFixture.shared()
        let store = AccessStore(client: Self.database(fixture))
        defer { store.client.close() }
        let issuer = "https://login.issuer-a.test/"
        let query = "?issuer=" + (issuer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let grant = try JSONSerialization.data(withJSONObject: ["role": "analyst"])
        let granted = try await TestHTTP.send(
            "PUT",
            fixture.base + "/v1/admin/users/shared-sub/roles/DOL\(query)",
            bearer: fixture.adminToken,
            json: grant
        )
        #expect(granted.status == 200, "\(granted.text)")
        #expect(
            granted.text.contains(#""issuer":"https:\/\/login.issuer-a.test\/""#)
                || granted.text.contains(#""issuer":"https://login.issuer-a.test/""#)
        )
        #expect(try await store.principal(forUser: "shared-sub", issuer: issuer).holds(.analyst, in: "DOL"))
        let other = try await store.principal(forUser: "shared-sub", issuer: "https://login.issuer-b.test/")
        #expect(other.grants.isEmpty)
        // Revoking names the issuer too: the other issuer's user holds nothing to revoke.
        let otherQuery = "?issuer=" + ("https://login.issuer-b.test/".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        #expect(
            try await TestHTTP.send("DELETE", fixture.base + "/v1/admin/users/shared-sub/roles/DOL\(otherQuery)", bearer: fixture.adminToken).status
                == 404
        )
        #expect(
            try await TestHTTP.send("DELETE", fixture.base + "/v1/admin/users/shared-sub/roles/DOL\(query)", bearer: fixture.adminToken).status == 200
        )
    }

    @Test func aRepeatedQueryParameterIsRefusedOnEveryRouteAndAnExportOfOneIsNotAudited() async throws {
        let fixture = try await ReportingFixture.shared()
        let database = Self.database(fixture)
        defer { database.close() }
        let decoy = "decoy-\(UUID().uuidString.prefix(8))"
        let export = "/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2&service=\(decoy)"
        let refused = try await TestHTTP.send("GET", fixture.base + export, bearer: fixture.analystToken)
        #expect(refused.status == 400)
        let body = try JSONDecoder().decode(APIErrorBody.self, from: refused.body)
        #expect(body.code == "invalid_parameter" && body.field == "service", "\(refused.text)")
        let audited = try await database.query(
            "SELECT count(*) AS n FROM reporting_audit.audit_log WHERE filter->>'service' = $1 OR target LIKE '%' || $1 || '%'",
            [decoy]
        )
        #expect(try audited.first?.require("n", as: Int.self) == 0)
        // The same on a route that reads no parameter, the dashboard, and a report.
        for path in [
            "/v1/admin/tokens/\(String(repeating: "a", count: 16))?x=1&x=2", "/dashboard?agency=DOL&agency=SSA",
            "/v1/reports?agency=DOL&agency=SSA", "/v1/exports/collections.csv?agency=DOL&fiscalYear=2027&fiscalYear=2026",
        ] {
            let method = path.hasPrefix("/v1/admin/tokens/") ? "DELETE" : "GET"
            let answer = try await TestHTTP.send(method, fixture.base + path, bearer: method == "DELETE" ? fixture.adminToken : fixture.analystToken)
            #expect(answer.status == 400, "\(path): \(answer.status) \(answer.text.prefix(200))")
            #expect(answer.text.contains("given more than once"), "\(path)")
        }
        // What an export records is what it read.
        let ok = try await TestHTTP.send(
            "GET",
            fixture.base + "/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2",
            bearer: fixture.analystToken
        )
        #expect(ok.status == 200)
        let requestId = try #require(ok.headers["x-request-id"])
        let entry = try await database.query("SELECT filter->>'service' AS service FROM reporting_audit.audit_log WHERE request_id = $1", [requestId])
        #expect(try entry.first?.require("service", as: String.self) == "claims")
    }
}
