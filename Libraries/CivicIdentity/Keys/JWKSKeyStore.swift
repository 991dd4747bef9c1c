import CivicTime
import Foundation
import Logging

/// One trusted issuer's keys: loads, caches and refreshes them (see ``KeyRefreshStateMachine``).
actor JWKSKeyStore {
    /// The answer to a key lookup.
    enum Lookup {
        case found([VerificationKey])
        case unknownKeyID
        case unavailable(IdentityError?)
    }

    let issuer: TrustedIssuer
    private let allowedAlgorithms: Set<SignatureAlgorithm>
    private let logger: Logger
    private let now: @Sendable () -> Date
    private var machine: KeyRefreshStateMachine
    private var inflight: Task<Void, Never>?

    init(
        issuer: TrustedIssuer,
        allowedAlgorithms: Set<SignatureAlgorithm>,
        logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.issuer = issuer
        self.allowedAlgorithms = allowedAlgorithms
        self.logger = logger
        self.now = now
        self.machine = KeyRefreshStateMachine(
            refreshInterval: issuer.refreshInterval.timeInterval,
            minimumRefreshGap: issuer.minimumRefreshGap.timeInterval
        )
    }

    /// Finds the keys named `keyID`, refreshing the set when the rules allow.
    func keys(for keyID: String) async -> Lookup {
        switch self.machine.lookup(keyID: keyID, now: self.now()) {
        case .use(let keys):
            return .found(keys)
        case .useAndRefreshInBackground(let keys):
            self.startRefresh()
            return .found(keys)
        case .refreshThenResolve:
            await self.startRefresh().value
            return self.resolve(keyID)
        case .awaitRefreshThenResolve:
            if let inflight = self.inflight {
                await inflight.value
            }
            return self.resolve(keyID)
        case .refuseUnknownKey:
            return .unknownKeyID
        case .refuseUnavailable:
            return .unavailable(self.machine.lastError)
        }
    }

    /// Reads the JWKS now, ignoring the refresh interval and minimum gap.
    /// - Throws: ``IdentityError`` when the read fails (the previous keys stay in use).
    func refresh() async throws {
        if self.machine.beginExplicitRefresh(now: self.now()) {
            await self.startRefresh().value
        } else if let inflight = self.inflight {
            await inflight.value
        }
        if let error = self.machine.lastError {
            throw error
        }
    }

    /// The current state, for health checks.
    var status: JWKSStatus {
        JWKSStatus(
            issuer: self.issuer.issuer,
            keyIDs: self.machine.keys.keys.sorted(),
            loadAttempts: self.machine.attempts,
            loadFailures: self.machine.failures,
            loadedAt: self.machine.loadedAt,
            lastError: self.machine.lastError
        )
    }

    private func resolve(_ keyID: String) -> Lookup {
        switch self.machine.resolveAfterRefresh(keyID: keyID) {
        case .use(let keys): .found(keys)
        case .refuseUnknownKey: .unknownKeyID
        case .refuseUnavailable: .unavailable(self.machine.lastError)
        }
    }

    /// Starts the read the state machine asked for. The task applies its result to the actor
    /// before it completes, so everyone awaiting it sees the new state.
    @discardableResult
    private func startRefresh() -> Task<Void, Never> {
        let issuer = self.issuer
        let allowed = self.allowedAlgorithms
        let logger = self.logger
        let task = Task {
            let result: Result<[String: [VerificationKey]], IdentityError>
            do {
                let bytes = try await JWKSFetcher.fetch(
                    issuer.keySource,
                    timeout: issuer.fetchTimeout,
                    maximumBytes: issuer.maximumJWKSBytes
                )
                result = .success(try await JWKSDocument.parse(bytes, allowedAlgorithms: allowed, logger: logger))
            } catch let error as IdentityError {
                result = .failure(error)
            } catch {
                result = .failure(
                    IdentityError(
                        code: .jwksInvalid,
                        reason: "unexpected error",
                        underlying: SendableErrorDescription(error)
                    )
                )
            }
            self.finishRefresh(result)
        }
        self.inflight = task
        return task
    }

    private func finishRefresh(_ result: Result<[String: [VerificationKey]], IdentityError>) {
        self.inflight = nil
        var metadata: Logger.Metadata = [
            IdentityLogKey.issuer: "\(self.issuer.issuer)",
            IdentityLogKey.keySource: "\(self.issuer.keySource)",
        ]
        switch result {
        case .success(let keys):
            self.machine.refreshSucceeded(keys: keys, now: self.now())
            metadata[IdentityLogKey.keyIDs] = "\(keys.keys.sorted().joined(separator: ","))"
            self.logger.info("Loaded issuer signing keys", metadata: metadata)
        case .failure(let error):
            self.machine.refreshFailed(error)
            metadata[IdentityLogKey.error] = "\(error)"
            self.logger.warning("Could not load issuer signing keys; keeping previous keys", metadata: metadata)
        }
    }
}
