import CivicContracts
import CivicJSON
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

/// Who may see what, against the real reporting service (in process, real broker and PostgreSQL): every
/// protected operation of ``ReportingAPI/access`` × every kind of caller × own agency (DOL) / other agency
/// (SSA), with the status and the one error body expected; then the administration routes, the audit trail
/// and what is stored at rest.
@Suite(.startsProcesses, .serialized, .hangGuard)
struct ReportingAccessTests {
    /// A caller of the table.
    enum Caller: String, CaseIterable, CustomTestStringConvertible {
        case anonymous, malformed, forged, revoked, algNone, administrator
        case dolViewer, dolAnalyst, dolAdmin, crossViewer, crossAnalyst
        var testDescription: String { rawValue }
    }

    /// Tokens minted once for the suite.
    final class Callers: Sendable {
        let tokens: [Caller: String]
        let revokedKeyId: String

        static let shared = Task { try await Callers() }

        private init() async throws {
            let fixture = try await ReportingFixture.shared()
            func mint(_ agency: String, _ role: String) async throws -> String {
                try await TestHTTP.mintReportingToken(base: fixture.base, adminToken: fixture.adminToken, agency: agency, role: role)
            }
            var tokens: [Caller: String] = [:]
            tokens[.dolViewer] = try await mint("DOL", "viewer")
            tokens[.dolAnalyst] = try await mint("DOL", "analyst")
            tokens[.dolAdmin] = try await mint("DOL", "admin")
            tokens[.crossViewer] = try await mint("*", "viewer")
            tokens[.crossAnalyst] = fixture.analystToken
            let revoked = try await mint("DOL", "analyst")
            let keyId = String(revoked.split(separator: "_")[1])
            let revocation = try await TestHTTP.send("DELETE", "\(fixture.base)/v1/admin/tokens/\(keyId)", bearer: fixture.adminToken)
            guard revocation.status == 200 else { throw TestEnvironmentError("revoking answered \(revocation.status)") }
            tokens[.revoked] = revoked
            revokedKeyId = keyId
            // The DOL analyst's key id with another secret: well-formed, known id, wrong secret.
            let dolAnalystId = try #require(tokens[.dolAnalyst]).split(separator: "_")[1]
            tokens[.forged] = "crt_\(dolAnalystId)_" + String(repeating: "ab", count: 32)
            tokens[.malformed] = "crt_not-a-token"
            // An unsigned JWT, as a confused or hostile client might send.
            let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
            let claims = Data(#"{"sub":"staff","aud":"reporting","exp":4102444800}"#.utf8).base64EncodedString()
            tokens[.algNone] = "\(header).\(claims)."
            tokens[.administrator] = fixture.adminToken
            self.tokens = tokens
        }
    }

    /// Each protected data operation with a path for the own agency (DOL) and one for another (SSA).
    static let dataRoutes: [String: (own: String, other: String)] = [
        "listReports": ("/v1/reports?agency=DOL", "/v1/reports?agency=SSA"),
        "themesReport": ("/v1/reports/themes?agency=DOL&fiscalYear=2027&quarter=2", "/v1/reports/themes?agency=SSA&fiscalYear=2027&quarter=2"),
        "driversReport": ("/v1/reports/drivers?agency=DOL&fiscalYear=2027&quarter=2", "/v1/reports/drivers?agency=SSA&fiscalYear=2027&quarter=2"),
        "journeyReport": (
            "/v1/reports/journeys?agency=DOL&service=unemployment&fiscalYear=2027&quarter=2",
            "/v1/reports/journeys?agency=SSA&service=unemployment&fiscalYear=2027&quarter=2"
        ),
        "relationshipReport": (
            "/v1/reports/relationships?agency=DOL&fiscalYear=2027&quarter=2", "/v1/reports/relationships?agency=SSA&fiscalYear=2027&quarter=2"
        ),
        "collections": ("/v1/exports/collections?agency=DOL&fiscalYear=2027", "/v1/exports/collections?agency=SSA&fiscalYear=2027"),
        "collectionsCSV": ("/v1/exports/collections.csv?agency=DOL&fiscalYear=2027", "/v1/exports/collections.csv?agency=SSA&fiscalYear=2027"),
        "legacyCSV": ("/v1/exports/legacy.csv?agency=DOL&fiscalYear=2027", "/v1/exports/legacy.csv?agency=SSA&fiscalYear=2027"),
        "touchpointsCSV": (
            "/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2",
            "/v1/exports/touchpoints.csv?agency=SSA&service=claims&channel=web&fiscalYear=2027&quarter=2"
        ),
        "touchpointsNDJSON": (
            "/v1/exports/touchpoints.ndjson?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2",
            "/v1/exports/touchpoints.ndjson?agency=SSA&service=claims&channel=web&fiscalYear=2027&quarter=2"
        ),
        "dashboard": ("/dashboard?agency=DOL", "/dashboard?agency=SSA"),
        "quarterlySummary": (
            "/v1/exports/summary.html?agency=DOL&fiscalYear=2027&quarter=2", "/v1/exports/summary.html?agency=SSA&fiscalYear=2027&quarter=2"
        ),
        "quarterlyPackage": (
            "/v1/exports/package.zip?agency=DOL&fiscalYear=2027&quarter=2", "/v1/exports/package.zip?agency=SSA&fiscalYear=2027&quarter=2"
        ),
        "spamReview": ("/v1/spam?agency=DOL", "/v1/spam?agency=SSA"),
        "followUps": ("/v1/followups?agency=DOL&fiscalYear=2027&quarter=2", "/v1/followups?agency=SSA&fiscalYear=2027&quarter=2"),
        "listCollections": ("/v1/collections?agency=DOL&fiscalYear=2027", "/v1/collections?agency=SSA&fiscalYear=2027"),
        "collectionDeadlines": ("/v1/collections/deadlines?agency=DOL&asOf=2027-04-15", "/v1/collections/deadlines?agency=SSA&asOf=2027-04-15"),
    ]

    /// Each protected data change (POST) with its body, for the own agency (DOL) and another (SSA). Marking a
    /// response that is spam as spam changes nothing, so the shared fixture's figures stay as they are.
    static let dataChanges: [String: (own: String, other: String, body: String)] = [
        "spamDecision": (
            "/v1/spam/decisions?agency=DOL", "/v1/spam/decisions?agency=SSA", #"{"eventId":"claims-spam-2","decision":"spam"}"#
        ),
        // Saving a draft's reflection leaves it a draft (SSA has no such collection: 404 past the access check).
        "collectionTransition": (
            "/v1/collections/transitions?agency=DOL", "/v1/collections/transitions?agency=SSA",
            #"{"service":"claims","channel":"phone","fiscalYear":2027,"quarter":2,"action":"edit","reflection":"access test"}"#
        ),
    ]

    /// The status `caller` must get on an operation needing `role` in the path's agency.
    static func expectedStatus(_ caller: Caller, needs role: AccessRole, ownAgency: Bool) -> Int {
        let held: (AccessRole, all: Bool)? =
            switch caller {
            case .anonymous, .malformed, .forged, .revoked, .algNone: nil
            case .administrator: nil
            case .dolViewer: (.viewer, false)
            case .dolAnalyst: (.analyst, false)
            case .dolAdmin: (.admin, false)
            case .crossViewer: (.viewer, true)
            case .crossAnalyst: (.analyst, true)
            }
        switch caller {
        case .anonymous, .malformed, .forged, .revoked, .algNone: return 401
        case .administrator: return 403
        default: break
        }
        guard let held, held.0 >= role, held.all || ownAgency else { return 403 }
        return 200
    }

    @Test func everyProtectedOperationIsInTheTableAndInTheOpenAPIDocument() throws {
        let administration = Set(ReportingAPI.access.filter { $0.value == .administration }.keys)
        #expect(Set(ReportingAPI.access.keys).subtracting(administration) == Set(Self.dataRoutes.keys).union(Self.dataChanges.keys))
        let document = try JSONSerialization.jsonObject(with: Data(try ReportingAPI.openAPI.make().serialized())) as? [String: Any]
        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        var secured: Set<String> = []
        for (_, item) in paths {
            for (_, value) in item {
                guard let operation = value as? [String: Any], let id = operation["operationId"] as? String else { continue }
                let responses = operation["responses"] as? [String: Any] ?? [:]
                if operation["security"] != nil, responses["401"] != nil, responses["403"] != nil { secured.insert(id) }
            }
        }
        #expect(secured == Set(ReportingAPI.access.keys))
    }

    @Test(arguments: Caller.allCases)
    func dataRoutesAnswerEachCallerAsTheTableSays(_ caller: Caller) async throws {
        let fixture = try await ReportingFixture.shared()
        let token = try await Callers.shared.value.tokens[caller]
        for (id, paths) in Self.dataRoutes.sorted(by: { $0.key < $1.key }) {
            guard case .role(let role, _) = try #require(ReportingAPI.access[id]) else { continue }
            for (path, own) in [(paths.own, true), (paths.other, false)] {
                let answer = try await TestHTTP.send("GET", fixture.base + path, bearer: token)
                let expected = Self.expectedStatus(caller, needs: role, ownAgency: own)
                // 409 (a suppressed collection) and 429 (the agency's package is being built for another case) are
                // answers past the access check, like 200.
                let status = [409, 429].contains(answer.status) ? 200 : answer.status
                #expect(status == expected, "\(caller) GET \(path): \(answer.status) \(answer.text.prefix(300))")
                if expected != 200, !path.hasPrefix("/dashboard") || expected == 401 {
                    let body = try? JSONDecoder().decode(ErrorBody.self, from: answer.body)
                    #expect(body?.code == (expected == 401 ? "unauthorized" : "forbidden"), "\(caller) \(path): \(answer.text.prefix(300))")
                }
                if expected == 401 { #expect(answer.headers["www-authenticate"]?.hasPrefix("Bearer") == true, "\(caller) \(path)") }
            }
        }
        for (id, change) in Self.dataChanges.sorted(by: { $0.key < $1.key }) {
            guard case .role(let role, _) = try #require(ReportingAPI.access[id]) else { continue }
            for (path, own) in [(change.own, true), (change.other, false)] {
                let answer = try await TestHTTP.send("POST", fixture.base + path, bearer: token, json: Data(change.body.utf8))
                let expected = Self.expectedStatus(caller, needs: role, ownAgency: own)
                // 404 (an agency without that collection or response) is an answer past the access check, like 200.
                let status = answer.status == 404 ? 200 : answer.status
                #expect(status == expected, "\(caller) POST \(path): \(answer.status) \(answer.text.prefix(300))")
                if expected != 200 {
                    let body = try? JSONDecoder().decode(ErrorBody.self, from: answer.body)
                    #expect(body?.code == (expected == 401 ? "unauthorized" : "forbidden"), "\(caller) \(path): \(answer.text.prefix(300))")
                }
            }
        }
    }

    @Test func withoutAnAgencyOnlyTheCallersAgenciesAreReadAndTheRelationshipLevelNeedsTheCrossAgencyRole() async throws {
        let fixture = try await ReportingFixture.shared()
        let callers = try await Callers.shared.value
        let reports = try await TestHTTP.send("GET", fixture.base + "/v1/reports?groupBy=service", bearer: callers.tokens[.dolViewer])
        #expect(reports.status == 200)
        let body = try JSONDecoder().decode(Rows.self, from: reports.body)
        #expect(!body.reports.isEmpty)
        #expect(Set(body.reports.map(\.agency)) == ["DOL"])
        let everything = try await TestHTTP.send("GET", fixture.base + "/v1/reports", bearer: callers.tokens[.crossViewer])
        #expect(Set(try JSONDecoder().decode(Rows.self, from: everything.body).reports.map(\.agency)).isSuperset(of: ["DOL", "SSA"]))

        let across = "/v1/reports/relationships?fiscalYear=2027&quarter=2"
        #expect(try await TestHTTP.send("GET", fixture.base + across, bearer: callers.tokens[.dolAdmin]).status == 403)
        #expect(try await TestHTTP.send("GET", fixture.base + across, bearer: callers.tokens[.crossViewer]).status == 200)

        let dashboard = try await TestHTTP.send("GET", fixture.base + "/dashboard", bearer: callers.tokens[.dolViewer])
        #expect(dashboard.status == 200)
        #expect(dashboard.text.contains(#"data-cell="DOL/"#))
        #expect(!dashboard.text.contains(#"data-cell="SSA/"#))
        #expect(!dashboard.text.contains(#"<option value="SSA""#))
        #expect(dashboard.text.contains(#"<span data-viewer="agencies">DOL</span>"#))
        // Without sign-in configured, the page is not shown to an anonymous browser.
        let anonymous = try await TestHTTP.send("GET", fixture.base + "/dashboard")
        #expect(anonymous.status == 401)
    }

    @Test func administrationIsScopedToTheAgenciesAdministered() async throws {
        let fixture = try await ReportingFixture.shared()
        let callers = try await Callers.shared.value
        let dolAdmin = try #require(callers.tokens[.dolAdmin])
        func mint(_ agency: String, as token: String?) async throws -> TestHTTP.Answer {
            let body = try JSONSerialization.data(withJSONObject: ["agency": agency, "role": "viewer", "label": "pull reports"])
            return try await TestHTTP.send("POST", fixture.base + "/v1/admin/tokens", bearer: token, json: body)
        }
        let minted = try await mint("DOL", as: dolAdmin)
        #expect(minted.status == 201, "\(minted.text)")
        #expect(try await mint("SSA", as: dolAdmin).status == 403)
        #expect(try await mint("*", as: dolAdmin).status == 403)
        #expect(try await mint("DOL", as: callers.tokens[.dolAnalyst]).status == 403)
        #expect(try await mint("DOL", as: nil).status == 401)
        #expect(try await mint("SSA", as: fixture.adminToken).status == 201)
        #expect(try await mint("D'OL", as: fixture.adminToken).status == 400)

        // The minted token works at once, and stops working at once when revoked.
        let token = try #require(try JSONSerialization.jsonObject(with: minted.body) as? [String: Any])["token"] as? String
        let keyId = try #require(token?.split(separator: "_").dropFirst().first).description
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: token).status == 200)
        let ssaTokens = try await TestHTTP.send("GET", fixture.base + "/v1/admin/tokens?agency=SSA", bearer: dolAdmin)
        #expect(ssaTokens.status == 403)
        let dolTokens = try await TestHTTP.send("GET", fixture.base + "/v1/admin/tokens", bearer: dolAdmin)
        #expect(dolTokens.status == 200)
        #expect(!dolTokens.text.contains(#""agency":"SSA""#) && !dolTokens.text.contains(#""agency":"*""#))
        #expect(dolTokens.text.contains(keyId) && !dolTokens.text.contains(token ?? "-"))
        // Another agency's token is not found, as if it did not exist.
        let ssaKey = try await TestHTTP.send("GET", fixture.base + "/v1/admin/tokens?agency=SSA", bearer: fixture.adminToken)
        let ssaKeyId = try #require(try JSONDecoder().decode(TokenList.self, from: ssaKey.body).tokens.first?.keyId)
        #expect(try await TestHTTP.send("DELETE", fixture.base + "/v1/admin/tokens/\(ssaKeyId)", bearer: dolAdmin).status == 404)
        let revoked = try await TestHTTP.send("DELETE", fixture.base + "/v1/admin/tokens/\(keyId)", bearer: dolAdmin)
        #expect(revoked.status == 200)
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/reports?agency=DOL", bearer: token).status == 401)

        // Roles: a DOL admin grants in DOL only.
        let grant = try JSONSerialization.data(withJSONObject: ["role": "analyst", "name": "Pat Analyst"])
        let granted = try await TestHTTP.send("PUT", fixture.base + "/v1/admin/users/staff-dol-1/roles/DOL", bearer: dolAdmin, json: grant)
        #expect(granted.status == 200, "\(granted.text)")
        #expect(try await TestHTTP.send("PUT", fixture.base + "/v1/admin/users/staff-dol-1/roles/SSA", bearer: dolAdmin, json: grant).status == 403)
        #expect(try await TestHTTP.send("PUT", fixture.base + "/v1/admin/users/staff-dol-1/roles/*", bearer: dolAdmin, json: grant).status == 403)
        let roles = try await TestHTTP.send("GET", fixture.base + "/v1/admin/users?agency=DOL", bearer: dolAdmin)
        #expect(roles.text.contains("staff-dol-1"))
        #expect(try await TestHTTP.send("DELETE", fixture.base + "/v1/admin/users/staff-dol-1/roles/DOL", bearer: dolAdmin).status == 200)
        #expect(try await TestHTTP.send("DELETE", fixture.base + "/v1/admin/users/staff-dol-1/roles/DOL", bearer: dolAdmin).status == 404)
    }

    @Test func everyExportIsInTheAuditTrailWithItsRowCountAndTheTrailIsAppendOnly() async throws {
        let fixture = try await ReportingFixture.shared()
        let callers = try await Callers.shared.value
        let analyst = try #require(callers.tokens[.dolAnalyst])
        let path = "/v1/exports/touchpoints.csv?agency=DOL&service=claims&channel=web&fiscalYear=2027&quarter=2"
        let export = try await TestHTTP.send("GET", fixture.base + path, bearer: analyst)
        #expect(export.status == 200)
        let rows = try ReportingLevelsAndExportsTests.parseCSV(export.text).count - 1
        let requestId = try #require(export.headers["x-request-id"])

        let dolAdmin = try #require(callers.tokens[.dolAdmin])
        let trail = try await TestHTTP.send("GET", fixture.base + "/v1/admin/audit?agency=DOL&limit=1000", bearer: dolAdmin)
        #expect(trail.status == 200)
        let entries = try JSONDecoder().decode(AuditList.self, from: trail.body).entries
        let entry = try #require(entries.first { $0.requestId == requestId })
        #expect(entry.action == "respondent_export")
        #expect(entry.rows == rows)
        #expect(entry.actor == "token:\(analyst.split(separator: "_")[1])")
        #expect(entry.filter["service"] == "claims" && entry.filter["channel"] == "web")
        #expect(entries.contains { $0.action == "token_minted" })
        #expect(entries.allSatisfy { $0.agency == "DOL" })
        // Admins of one agency do not read another's trail; viewers read none.
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/admin/audit?agency=SSA", bearer: dolAdmin).status == 403)
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/admin/audit", bearer: callers.tokens[.dolViewer]).status == 403)

        let database = PostgresClient(
            configuration: PostgresConfiguration(connectionString: fixture.configuration.runtime.postgresURL),
            logger: Logger(label: "access-test")
        )
        defer { database.close() }
        for statement in [
            "UPDATE reporting_audit.audit_log SET row_count = 0", "DELETE FROM reporting_audit.audit_log", "TRUNCATE reporting_audit.audit_log",
        ] {
            await #expect(throws: PostgresError.self, "\(statement)") { _ = try await database.query(statement) }
        }
        let kept = try await database.query("SELECT count(*) AS n FROM reporting_audit.audit_log WHERE request_id = $1", [requestId])
        #expect(try kept.first?.require("n", as: Int.self) == 1)
    }

    @Test func anAgencyAdminReviewsItsFlaggedResponsesAndTheReadIsAudited() async throws {
        let fixture = try await ReportingFixture.shared()
        let callers = try await Callers.shared.value
        let dolAdmin = try #require(callers.tokens[.dolAdmin])
        let answer = try await TestHTTP.send("GET", fixture.base + "/v1/spam?agency=DOL&limit=1000", bearer: dolAdmin)
        #expect(answer.status == 200, "\(answer.text.prefix(300))")
        let body = try CivicJSON.makeDecoder().decode(SpamReviewRoutes.SpamReviewBody.self, from: answer.body)
        // Exactly the fixture's flagged DOL responses, newest first, with their reasons and comments.
        let expected = fixture.responses.filter { $0.spam && $0.event.agency == "DOL" }
        #expect(body.agency == "DOL")
        #expect(Set(body.flagged.map(\.eventId)) == Set(expected.map(\.event.eventId)))
        #expect(body.flagged.map(\.occurredAt) == body.flagged.map(\.occurredAt).sorted(by: >))
        let claims = try #require(body.flagged.first { $0.eventId == "claims-spam-1" })
        #expect(claims.reasons == [.repeatedText] && claims.comment == "SPAMCOMMENT 1" && claims.service == "claims")
        #expect(!answer.text.contains("submitter") && !answer.text.contains("idToken"))
        // A limit bounds the list; a bad one is refused naming the parameter.
        let one = try await TestHTTP.send("GET", fixture.base + "/v1/spam?agency=DOL&limit=1", bearer: dolAdmin)
        #expect(try CivicJSON.makeDecoder().decode(SpamReviewRoutes.SpamReviewBody.self, from: one.body).flagged.count == 1)
        for bad in ["limit=0", "limit=1001", "limit=x", "agency=DOL&agency=SSA"] {
            let refused = try await TestHTTP.send("GET", fixture.base + "/v1/spam?agency=DOL&" + bad, bearer: dolAdmin)
            #expect(refused.status == 400, "\(bad): \(refused.text)")
        }
        #expect(try await TestHTTP.send("GET", fixture.base + "/v1/spam", bearer: dolAdmin).status == 400)
        // The read is in the audit trail with its row count.
        let requestId = try #require(answer.headers["x-request-id"])
        let trail = try await TestHTTP.send("GET", fixture.base + "/v1/admin/audit?agency=DOL&limit=1000", bearer: dolAdmin)
        let entry = try #require(try JSONDecoder().decode(AuditList.self, from: trail.body).entries.first { $0.requestId == requestId })
        #expect(entry.action == "spam_review" && entry.rows == body.flagged.count)

        // Decisions: a bad body is refused naming the field, an event the agency does not have is 404 (another
        // agency's included: its existence does not leak), and deciding what a response already is changes
        // nothing but is still recorded.
        func decide(_ body: String, agency: String = "DOL") async throws -> TestHTTP.Answer {
            try await TestHTTP.send("POST", fixture.base + "/v1/spam/decisions?agency=\(agency)", bearer: dolAdmin, json: Data(body.utf8))
        }
        for (bad, field) in [
            (#"{"eventId":"claims-spam-1","decision":"maybe"}"#, nil), (#"{"decision":"spam"}"#, nil), ("not json", nil),
            (#"{"eventId":"claims\u0000-spam-1","decision":"spam"}"#, "eventId"), (#"{"eventId":"","decision":"spam"}"#, "eventId"),
            (#"{"eventId":"claims-spam-1","decision":"spam","note":"\#(String(repeating: "n", count: 1_001))"}"#, "note"),
        ] {
            let refused = try await decide(bad)
            #expect(refused.status == 400 && refused.text.contains("invalid_body"), "\(bad.prefix(80)): \(refused.text)")
            if let field { #expect(try JSONDecoder().decode(ErrorBody.self, from: refused.body).field == field) }
        }
        let ssaEvent = try #require(fixture.responses.first { $0.event.agency == "SSA" }).event.eventId
        for unknown in ["no-such-event", ssaEvent] {
            let missing = try await decide(#"{"eventId":"\#(unknown)","decision":"not_spam"}"#)
            #expect(missing.status == 404 && missing.text.contains("not_found"), "\(unknown): \(missing.text)")
        }
        let unchanged = try await decide(#"{"eventId":"claims-spam-1","decision":"spam","note":"checked again"}"#)
        #expect(unchanged.status == 200 && unchanged.text.contains(#""changed":false"#), "\(unchanged.text)")
        let decisionId = try #require(unchanged.headers["x-request-id"])
        let decisions = try await TestHTTP.send("GET", fixture.base + "/v1/admin/audit?agency=DOL&limit=1000", bearer: dolAdmin)
        let recorded = try #require(try JSONDecoder().decode(AuditList.self, from: decisions.body).entries.first { $0.requestId == decisionId })
        #expect(recorded.action == "spam_decision" && recorded.filter["note"] == "checked again" && recorded.filter["changed"] == "false")
    }

    @Test func tokensAreStoredAsDigestsOnly() async throws {
        let fixture = try await ReportingFixture.shared()
        let callers = try await Callers.shared.value
        let database = PostgresClient(
            configuration: PostgresConfiguration(connectionString: fixture.configuration.runtime.postgresURL),
            logger: Logger(label: "access-test")
        )
        defer { database.close() }
        let stored = try await database.query("SELECT string_agg(t::text, ' ') AS dump FROM reporting.access_tokens t")
        let dump: String = try stored.first?.require("dump") ?? ""
        #expect(!dump.isEmpty)
        for caller in [Caller.dolViewer, .dolAnalyst, .dolAdmin, .crossViewer] {
            let token = try #require(callers.tokens[caller])
            #expect(!dump.contains(String(token.split(separator: "_")[2])), "\(caller)'s secret is stored")
            #expect(dump.contains(String(token.split(separator: "_")[1])))
        }
        #expect(!dump.contains(fixture.adminToken))
    }

    struct ErrorBody: Decodable {
        var code: String
        var reason: String
        var field: String?
    }

    struct Rows: Decodable {
        struct Row: Decodable { var agency: String }
        var reports: [Row]
    }

    struct TokenList: Decodable {
        struct Token: Decodable { var keyId: String }
        var tokens: [Token]
    }

    struct AuditList: Decodable {
        struct Entry: Decodable {
            var actor: String
            var action: String
            var agency: String?
            var filter: [String: String]
            var rows: Int?
            var requestId: String?
        }
        var entries: [Entry]
    }
}
