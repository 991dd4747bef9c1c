import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Staff sign-in through the real OpenID Connect flow (reporting executable, the demo OpenID provider of
/// ops/sample, headless Chromium): an IRS analyst sees only IRS cards; the session cookie's flags; the idle
/// timeout sends the browser back to sign in; sign-out needs the session's CSRF token; a tampered callback
/// is refused.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct StaffSignInEndToEndTests {
    static let logger = Logger(label: "staff-signin-e2e")

    @Test func anAnalystSignsInSeesOnlyTheirAgencyAndIsSentBackToSignInAfterTheIdleTimeout() async throws {
        // An idle timeout far longer than any page load, so "still signed in" never races the clock; its
        // passing is then played by moving the session's expiry into the past, as the time would.
        let idle = 1_800
        let harness = try await PipelineHarness(staffSignIn: true, extraEnvironment: ["CIVIC_REPORTING_SESSION_IDLE_S": String(idle)])
        try await harness.startIssuer()
        try await harness.start("reporting")
        try await harness.grant("staff-irs-analyst", "analyst", in: "IRS")
        let sample = DashboardSample()
        try await harness.publish(sample)
        try await harness.waitUntilStored(sample)

        // In the browser: sign in, land on the dashboard, only IRS cards.
        let browser = try HeadlessChromium(workDirectory: harness.workDirectory)
        let dom = try await browser.dumpDOM(
            harness.signInURL(as: "staff-irs-analyst", returnTo: "/dashboard"),
            name: "irs-signed-in",
            profile: "irs"
        )
        let cells = Set(FigureHook.all(in: dom).map(\.cell))
        #expect(cells == ["IRS/free-file"], "\(dom.prefix(1_500))")
        #expect(dom.contains(#"<strong data-viewer="name">analyst@irs.example.gov</strong>"#))
        #expect(dom.contains(#"<span data-viewer="agencies">IRS</span>"#))
        #expect(dom.contains(#"<form method="post" action="/signout">"#))
        // Within the idle timeout the same browser is still signed in.
        let again = try await browser.dumpDOM(harness.base("reporting") + "/dashboard", name: "irs-again", profile: "irs")
        #expect(again.contains(#"data-viewer="agencies">IRS<"#), "\(again.prefix(800))")
        // Each request slid the session's expiry to the idle timeout from now.
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        let left = try await database.query(
            "SELECT max(extract(epoch FROM expires_at - now()))::float8 AS ttl FROM reporting.sessions WHERE data::text LIKE '%staff-irs-analyst%'"
        )
        let ttl = try #require(try left.first?.decode("ttl", as: Double.self))
        #expect(ttl <= Double(idle) && ttl > Double(idle) - TestPatience.hangSeconds, "the session expires \(ttl) s from now")
        // Once the idle timeout has passed, the browser is sent back to sign in (the issuer's sign-in page, no
        // login_hint now).
        try await database.query("UPDATE reporting.sessions SET expires_at = now() - interval '1 second'")
        let expired = try await browser.dumpDOM(harness.base("reporting") + "/dashboard", name: "irs-expired", profile: "irs")
        #expect(!expired.contains("data-viewer"), "\(expired.prefix(800))")
        #expect(expired.contains("staff-irs-analyst"), "the issuer's sign-in page lists its accounts: \(expired.prefix(800))")

        // Step by step without a browser: the redirects, the cookie's flags, sign-out and its CSRF check.
        let session = try await signIn(harness, as: "staff-irs-analyst")
        let cookie = session.setCookie.lowercased()
        #expect(cookie.contains("httponly") && cookie.contains("samesite=lax") && cookie.contains("path=/"), "\(session.setCookie)")
        #expect(!cookie.contains("secure"), "plain-HTTP loopback demo: CIVIC_REPORTING_COOKIE_SECURE=false")
        let reports = try await TestHTTP.send("GET", harness.base("reporting") + "/v1/reports?agency=SSA", headers: ["Cookie": session.cookie])
        #expect(reports.status == 403, "a session reads only its agencies: \(reports.text)")
        let csv = "/v1/exports/touchpoints.csv?agency=IRS&service=free-file&channel=web&fiscalYear=2027&quarter=1"
        let export = try await TestHTTP.send("GET", harness.base("reporting") + csv, headers: ["Cookie": session.cookie])
        #expect([200, 409].contains(export.status), "\(export.text)")
        // A state-changing API call on the session needs its CSRF token.
        let mint = try JSONSerialization.data(withJSONObject: ["agency": "IRS", "role": "viewer", "label": "x"])
        let forged = try await TestHTTP.send("POST", harness.base("reporting") + "/v1/admin/tokens", json: mint, headers: ["Cookie": session.cookie])
        #expect(forged.status == 403)
        let noToken = try await TestHTTP.send(
            "POST",
            harness.base("reporting") + "/signout",
            headers: ["Cookie": session.cookie, "Content-Type": "application/x-www-form-urlencoded"]
        )
        #expect(noToken.status == 403)
        let page = try await TestHTTP.send("GET", harness.base("reporting") + "/dashboard", headers: ["Cookie": session.cookie])
        let csrf = try #require(page.text.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/)?.output.1)
        let signedOut = try await signOut(harness, cookie: session.cookie, csrf: String(csrf))
        #expect(signedOut.status == 200)
        let after = try await TestHTTP.send("GET", harness.base("reporting") + "/dashboard", headers: ["Cookie": session.cookie])
        #expect(after.status == 302 && after.headers["location"]?.hasPrefix("/signin") == true)

        // The audit trail has the sign-in and sign-out, under IRS.
        let trail = try await TestHTTP.send("GET", harness.base("reporting") + "/v1/admin/audit?agency=IRS", bearer: harness.reportingAdminToken)
        #expect(trail.text.contains(#""action":"sign_in""#) && trail.text.contains(#""action":"sign_out""#))
        #expect(trail.text.contains("user:staff-irs-analyst"))
        _ = await harness.stopAll()
    }

    @Test func aTamperedOrReplayedCallbackIsRefused() async throws {
        let harness = try await PipelineHarness(staffSignIn: true)
        try await harness.startIssuer()
        try await harness.start("reporting")
        let reporting = harness.base("reporting")
        // Without a sign-in in progress.
        let orphan = try await TestHTTP.send("GET", reporting + "/auth/callback?code=x&state=y")
        #expect(orphan.status == 401)
        // A callback whose state is not this sign-in's.
        let start = try await TestHTTP.send("GET", reporting + "/signin?login_hint=staff-irs-analyst")
        let cookie = try #require(Self.cookie(start.headers["set-cookie"]))
        let authorize = try await TestHTTP.send("GET", try #require(start.headers["location"]))
        let callback = try #require(authorize.headers["location"])
        let tampered = callback.replacing(/state=[^&]+/, with: "state=forged")
        let refused = try await TestHTTP.send("GET", tampered, headers: ["Cookie": cookie])
        #expect(refused.status == 403 && refused.text.contains("sign_in_refused"), "\(refused.text)")
        // The pending sign-in is gone after one callback, even the genuine one.
        let replay = try await TestHTTP.send("GET", callback, headers: ["Cookie": cookie])
        #expect(replay.status == 401, "\(replay.text)")
        // An open redirect is not possible: returnTo must be a local path.
        let open = try await TestHTTP.send("GET", reporting + "/signin?login_hint=staff-irs-analyst&returnTo=//evil.example/x")
        let openCookie = try #require(Self.cookie(open.headers["set-cookie"]))
        let openAuthorize = try await TestHTTP.send("GET", try #require(open.headers["location"]))
        let landed = try await TestHTTP.send("GET", try #require(openAuthorize.headers["location"]), headers: ["Cookie": openCookie])
        #expect(landed.status == 302 && landed.headers["location"] == "/dashboard", "\(landed.headers)")
        _ = await harness.stopAll()
    }

    /// An anonymous `GET /signin` writes no row (the sign-in in progress is in its sealed cookie), and past the
    /// per-address limit `/signin` and `/auth/callback` answer 429 with `Retry-After`.
    @Test func anonymousSignInsWriteNoRowAndAreRateLimited() async throws {
        let perMinute = 5
        let harness = try await PipelineHarness(staffSignIn: true, extraEnvironment: ["CIVIC_REPORTING_SIGNIN_RATE_PER_MIN": String(perMinute)])
        try await harness.startIssuer()
        try await harness.start("reporting")
        let reporting = harness.base("reporting")
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        func sessionRows() async throws -> Int {
            try await database.query("SELECT count(*) AS n FROM reporting.sessions").first?.require("n") ?? -1
        }
        #expect(try await sessionRows() == 0)
        var answers: [TestHTTP.Answer] = []
        for _ in 0..<perMinute {
            answers.append(try await TestHTTP.send("GET", reporting + "/signin?login_hint=staff-irs-analyst"))
        }
        // The first request always finds a full bucket; the rest do unless minutes passed between them.
        #expect(answers.first?.status == 302)
        for answer in answers where answer.status == 302 {
            #expect(answer.headers["set-cookie"]?.hasPrefix("civic_signin=") == true, "\(answer.headers)")
            #expect(answer.headers["set-cookie"]?.lowercased().contains("httponly") == true)
        }
        #expect(try await sessionRows() == 0, "anonymous sign-in requests wrote session rows")
        // Past the limit: 429, on the callback too (one bucket per address). The bucket refills one token every
        // 60/perMinute s, so requests sent back to back outrun it on any machine: keep asking, alternating the two
        // routes, until each has answered 429. Nothing here waits on a clock; a bucket that never refuses fails
        // when the bound on requests is reached.
        var limited: [String: TestHTTP.Answer] = [:]
        let paths = ["/signin", "/auth/callback?code=x&state=y"]
        var sent = 0
        while limited.count < paths.count, sent < 2_000 {
            let path = paths[sent % paths.count]
            sent += 1
            let answer = try await TestHTTP.send("GET", reporting + path)
            if answer.status == 429 { limited[path] = answer }
        }
        #expect(limited.count == paths.count, "after \(sent) requests only \(limited.keys.sorted()) answered 429")
        #expect(limited.values.allSatisfy { $0.text.contains(#""code":"sign_in_rate_limited""#) && Int($0.headers["retry-after"] ?? "") ?? 0 > 0 })
        #expect(try await sessionRows() == 0)
        _ = await harness.stopAll()
    }

    struct SignedIn {
        var cookie: String
        var setCookie: String
    }

    private func signIn(_ harness: PipelineHarness, as subject: String) async throws -> SignedIn {
        let start = try await TestHTTP.send("GET", harness.signInURL(as: subject, returnTo: "/dashboard"))
        #expect(start.status == 302)
        let pending = try #require(Self.cookie(start.headers["set-cookie"]))
        let authorize = try await TestHTTP.send("GET", try #require(start.headers["location"]))
        #expect(authorize.status == 302, "\(authorize.text)")
        let callback = try await TestHTTP.send("GET", try #require(authorize.headers["location"]), headers: ["Cookie": pending])
        #expect(callback.status == 302 && callback.headers["location"] == "/dashboard", "\(callback.text)")
        let setCookie = try #require(callback.headers["set-cookie"])
        let cookie = try #require(Self.cookie(setCookie))
        #expect(cookie != pending, "signing in replaces the session id")
        return SignedIn(cookie: cookie, setCookie: setCookie)
    }

    private func signOut(_ harness: PipelineHarness, cookie: String, csrf: String) async throws -> TestHTTP.Answer {
        try await TestHTTP.send(
            "POST",
            harness.base("reporting") + "/signout",
            json: Data("csrf=\(csrf)".utf8),
            headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"]
        )
    }

    /// `name=value` of a Set-Cookie header.
    static func cookie(_ header: String?) -> String? {
        header?.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    }
}
