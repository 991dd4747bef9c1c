import CivicRuntime
import Foundation
import HTTPTypes
import Synchronization

/// A token bucket per client address for `GET /signin` and `GET /auth/callback` (both draw from the same
/// bucket), kept in this process's memory: each replica counts on its own, so behind a load balancer that
/// spreads one client over N replicas the client gets up to N times the rate. The bucket holds
/// `perMinute` tokens and refills at `perMinute` a minute; a request finding it empty is answered 429 with
/// `Retry-After`. The client address is the TCP peer's (behind a proxy, the proxy's: limit there too). At most
/// ``capacity`` addresses are tracked; past it, the full (idle) buckets are forgotten first, then the oldest.
package final class SignInRateLimit: Sendable {
    /// Addresses tracked at once.
    static let capacity = 10_000

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    /// Requests a client may make per minute (and at once). (`CIVIC_REPORTING_SIGNIN_RATE_PER_MIN`)
    let perMinute: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    /// - Parameter perMinute: Requests per client address and minute, at least 1.
    package init(perMinute: Int) {
        self.perMinute = max(1, perMinute)
    }

    /// Takes one token for `address` (`nil`: the unknown address, one bucket for all such).
    /// - Throws: ``APIError`` 429 with `Retry-After` (seconds until a token is back) when the bucket is empty.
    func admit(_ address: String?, now: Double = Date().timeIntervalSince1970) throws(APIError) {
        let key = address ?? "unknown"
        let capacity = Double(perMinute)
        let perSecond = capacity / 60
        let wait: Double? = buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.updated) * perSecond)
            bucket.updated = now
            defer {
                if buckets[key] == nil && buckets.count >= Self.capacity { Self.evict(&buckets, now: now, capacity: capacity, perSecond: perSecond) }
                buckets[key] = bucket
            }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) * 60 / capacity }
            bucket.tokens -= 1
            return nil
        }
        if let wait {
            throw APIError(
                .tooManyRequests,
                code: .signInRateLimited,
                reason: "too many sign-in requests from this address; try again shortly",
                retryAfterSeconds: max(1, Int(wait.rounded(.up)))
            )
        }
    }

    /// Forgets the buckets that have refilled (their clients idle), or else the least recently used one.
    private static func evict(_ buckets: inout [String: Bucket], now: Double, capacity: Double, perSecond: Double) {
        buckets = buckets.filter { $0.value.tokens + max(0, now - $0.value.updated) * perSecond < capacity }
        if buckets.count >= Self.capacity, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key {
            buckets[oldest] = nil
        }
    }
}

extension APIError.Code {
    /// Too many sign-in requests from one client address (429).
    static let signInRateLimited: APIError.Code = "sign_in_rate_limited"
}
