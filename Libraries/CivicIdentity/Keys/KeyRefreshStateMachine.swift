import Foundation

/// The refresh logic of one issuer's key set, as a value type that returns actions.
///
/// Rules:
/// - Nothing is loaded until the first lookup (or an explicit refresh).
/// - A known `kid` is used at once; when the set is older than the refresh interval a refresh is
///   started in the background and the current key is still used.
/// - An unknown `kid` triggers one refresh, and the lookup is answered from the refreshed set.
/// - Reads of the JWKS are at least the minimum gap apart (explicit refreshes excepted), so unknown
///   `kid`s cannot make the verifier hammer the issuer; within the gap an unknown `kid` is refused.
/// - Concurrent lookups share one in-flight refresh.
/// - A failed refresh keeps the previous keys.
struct KeyRefreshStateMachine {
    /// What the key store should do for a lookup.
    enum LookupAction {
        /// Use these keys.
        case use([VerificationKey])
        /// Use these keys, and start a background refresh (the set is stale).
        case useAndRefreshInBackground([VerificationKey])
        /// Start a refresh, wait for it, then call ``resolveAfterRefresh(keyID:)``.
        case refreshThenResolve
        /// A refresh is already running: wait for it, then call ``resolveAfterRefresh(keyID:)``.
        case awaitRefreshThenResolve
        /// The `kid` is unknown and no refresh is allowed yet.
        case refuseUnknownKey
        /// No key set has ever loaded and no refresh is allowed yet.
        case refuseUnavailable
    }

    /// The answer after a refresh has completed.
    enum Resolution {
        case use([VerificationKey])
        case refuseUnknownKey
        case refuseUnavailable
    }

    let refreshInterval: TimeInterval
    let minimumRefreshGap: TimeInterval

    private(set) var keys: [String: [VerificationKey]] = [:]
    private(set) var loadedAt: Date?
    private(set) var lastAttemptAt: Date?
    private(set) var isRefreshing = false
    private(set) var attempts = 0
    private(set) var failures = 0
    private(set) var lastError: IdentityError?

    init(refreshInterval: TimeInterval, minimumRefreshGap: TimeInterval) {
        self.refreshInterval = refreshInterval
        self.minimumRefreshGap = minimumRefreshGap
    }

    /// Decides how to answer a lookup of `keyID` at `now`.
    mutating func lookup(keyID: String, now: Date) -> LookupAction {
        let known = self.keys[keyID]
        if self.isRefreshing {
            if let known { return .use(known) }
            return .awaitRefreshThenResolve
        }
        let mayRefresh = self.mayRefresh(now: now)
        guard let loadedAt = self.loadedAt else {
            guard mayRefresh else { return .refuseUnavailable }
            self.begin(now: now)
            return .refreshThenResolve
        }
        if let known {
            // A clock that went backwards also counts as stale.
            let age = now.timeIntervalSince(loadedAt)
            if (age >= self.refreshInterval || age < 0) && mayRefresh {
                self.begin(now: now)
                return .useAndRefreshInBackground(known)
            }
            return .use(known)
        }
        guard mayRefresh else { return .refuseUnknownKey }
        self.begin(now: now)
        return .refreshThenResolve
    }

    /// Starts an explicit refresh, which ignores the minimum gap.
    /// - Returns: `false` if a refresh is already running (wait for it instead).
    mutating func beginExplicitRefresh(now: Date) -> Bool {
        guard !self.isRefreshing else { return false }
        self.begin(now: now)
        return true
    }

    /// Records a successful refresh.
    mutating func refreshSucceeded(keys: [String: [VerificationKey]], now: Date) {
        self.isRefreshing = false
        self.keys = keys
        self.loadedAt = now
        self.lastError = nil
    }

    /// Records a failed refresh; the previous keys stay in use.
    mutating func refreshFailed(_ error: IdentityError) {
        self.isRefreshing = false
        self.failures += 1
        self.lastError = error
    }

    /// Answers a lookup once the refresh it waited for has completed.
    func resolveAfterRefresh(keyID: String) -> Resolution {
        if let keys = self.keys[keyID] { return .use(keys) }
        return self.loadedAt == nil ? .refuseUnavailable : .refuseUnknownKey
    }

    private func mayRefresh(now: Date) -> Bool {
        guard let last = self.lastAttemptAt else { return true }
        let elapsed = now.timeIntervalSince(last)
        return elapsed >= self.minimumRefreshGap || elapsed < 0
    }

    private mutating func begin(now: Date) {
        self.isRefreshing = true
        self.lastAttemptAt = now
        self.attempts += 1
    }
}
