import CivicRuntime
import CivicTestTraits
import Foundation
import Testing

@testable import ReportingWeb

/// The sign-in's two in-memory guards, on a clock the test sets: the per-address token bucket and the sealed
/// pending sign-in cookie (tamper-proof, expiring, single-use, bound to its key).
@Suite(.hangGuard) struct SignInLimitsTests {
    @Test func theBucketAdmitsItsRateThenRefusesWithRetryAfterAndRefills() throws {
        let limit = SignInRateLimit(perMinute: 3)
        for _ in 0..<3 { try limit.admit("192.0.2.1", now: 1_000) }
        let refusal = try #require(throws: APIError.self) { try limit.admit("192.0.2.1", now: 1_000) }
        #expect("\(refusal.status)".hasPrefix("429") && refusal.code == .signInRateLimited, "\(refusal.status)")
        #expect(refusal.retryAfterSeconds == 20, "one token every 60/3 s")
        // Another address has its own bucket.
        try limit.admit("192.0.2.2", now: 1_000)
        // One token is back after 20 s, not before.
        #expect(throws: APIError.self) { try limit.admit("192.0.2.1", now: 1_019) }
        try limit.admit("192.0.2.1", now: 1_020.5)
        #expect(throws: APIError.self) { try limit.admit("192.0.2.1", now: 1_020.5) }
    }

    @Test func thePendingCookieOpensOnceUntilItExpiresAndOnlyUnderItsKey() throws {
        let key = [UInt8](repeating: 7, count: 32)
        let cookies = PendingSignInCookie(key: key, secure: true)
        let pending = StaffSession.PendingSignIn(state: "state-1", nonce: "nonce-1", codeVerifier: "verifier-1", returnTo: "/dashboard")
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        let setCookie = "\(try cookies.cookie(for: pending, now: now))"
        let attributes = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(attributes.first?.hasPrefix("civic_signin=") == true, "\(setCookie)")
        #expect(
            Set(attributes.dropFirst()).isSuperset(of: ["Path=/auth/callback", "Secure", "HttpOnly", "SameSite=Lax", "Max-Age=600"]),
            "\(setCookie)"
        )
        let value = String(attributes.first?.dropFirst("civic_signin=".count) ?? "")
        #expect(!value.contains("state-1") && !value.contains("verifier-1"), "the cookie is encrypted")
        // Another replica with the same key opens it; one with another key, or a changed cookie, does not.
        #expect(PendingSignInCookie(key: [UInt8](repeating: 8, count: 32), secure: true).take(cookie: value, now: now) == nil)
        var tampered = Array(value)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
        #expect(cookies.take(cookie: String(tampered), now: now) == nil)
        // Expired.
        #expect(cookies.take(cookie: value, now: now.addingTimeInterval(601)) == nil)
        #expect(PendingSignInCookie(key: key, secure: true).take(cookie: value, now: now.addingTimeInterval(599)) == pending)
        // Used once.
        #expect(cookies.take(cookie: value, now: now) == pending)
        #expect(cookies.take(cookie: value, now: now) == nil)
        #expect(cookies.take(cookie: nil, now: now) == nil)
    }
}
