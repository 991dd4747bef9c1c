import CivicTestTraits
import Foundation
import Synchronization
import Testing

@testable import CivicIdentity

@Suite("JWKS loading and refresh", .hangGuard)
struct JWKSKeyStoreTests {
    @Test("A rotated signing key is picked up: the new kid triggers a refresh, the retired kid is then refused")
    func rotationPickedUp() async throws {
        let fixture = try Fixture(keys: [TestKeys.rsaA], minimumRefreshGap: .zero)
        #expect(await fixture.verifier.verify(fixture.token(key: TestKeys.rsaA)).identity != nil)

        fixture.rotate(to: [TestKeys.rsaB])
        let newToken = fixture.token(key: TestKeys.rsaB)
        let verdict = await fixture.verifier.verify(newToken)
        #expect(verdict.identity?.keyID == "rsa-b")
        #expect(await fixture.status()?.keyIDs == ["rsa-b"])
        #expect(await fixture.status()?.loadAttempts == 2)

        #expect(await fixture.verifier.verify(fixture.token(key: TestKeys.rsaA)).refusal?.code == .unknownKeyID)
        #expect(await fixture.status()?.loadAttempts == 3)
    }

    @Test("After the refresh interval a known kid is still served while the set reloads in the background")
    func periodicRefresh() async throws {
        let fixture = try Fixture(keys: [TestKeys.rsaA], refreshInterval: .seconds(600))
        #expect(await fixture.verifier.verify(fixture.token()).identity != nil)
        let firstLoad = try #require(await fixture.status()?.loadedAt)

        fixture.rotate(to: [TestKeys.rsaA, TestKeys.ecA])
        fixture.clock.advance(by: 599)
        #expect(await fixture.verifier.verify(fixture.token()).identity != nil)
        #expect(await fixture.status()?.loadAttempts == 1)

        fixture.clock.advance(by: 2)
        #expect(await fixture.verifier.verify(fixture.token()).identity != nil)
        // The background reload completes shortly; poll for it.
        var status = await fixture.status()
        for _ in 0..<200 where status?.keyIDs.count != 2 {
            try await Task.sleep(for: .milliseconds(10))
            status = await fixture.status()
        }
        #expect(status?.loadAttempts == 2)
        #expect(status?.keyIDs == ["ec-a", "rsa-a"])
        #expect((status?.loadedAt ?? firstLoad) > firstLoad)
    }

    @Test("A failed refresh keeps the previous keys in use")
    func failedRefreshKeepsKeys() async throws {
        let fixture = try Fixture(keys: [TestKeys.rsaA], minimumRefreshGap: .zero)
        try await fixture.verifier.loadKeys()
        _ = fixture.directory.write("jwks.json", "{ this is not json")
        await #expect(throws: IdentityError.self) { try await fixture.verifier.refreshKeys(issuer: Minter.issuer) }
        let status = await fixture.status()
        #expect(status?.loadFailures == 1)
        #expect(status?.lastError?.code == .jwksInvalid)
        #expect(await fixture.verifier.verify(fixture.token()).identity != nil)
    }

    @Test("Concurrent tokens with the same unknown kid share a single refresh")
    func concurrentUnknownKidsCoalesce() async throws {
        let fixture = try Fixture(keys: [TestKeys.rsaA])
        try await fixture.verifier.loadKeys()
        fixture.rotate(to: [TestKeys.rsaA, TestKeys.rsaB])
        fixture.clock.advance(by: 31)
        let token = fixture.token(key: TestKeys.rsaB)
        let verifier = fixture.verifier
        let verified = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<25 {
                group.addTask { await verifier.verify(token).identity != nil }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(verified == 25)
        #expect(await fixture.status()?.loadAttempts == 2)
    }

    @Test("JWKS over http from a loopback server (URLSession), with refresh on an unknown kid")
    func jwksFromLoopbackURL() async throws {
        let server = try LoopbackHTTPServer(body: jwksJSON([TestKeys.rsaA, TestKeys.ecA]))
        defer { server.stop() }
        let clock = TestClock()
        let issuer = TrustedIssuer(
            issuer: Minter.issuer,
            audiences: [Minter.audience],
            keySource: .url(server.url),
            minimumRefreshGap: .zero
        )
        let verifier = try IdentityVerifier(
            configuration: IdentityVerifierConfiguration(trustedIssuers: [issuer]),
            pseudonymizer: testPseudonymizer,
            logger: quietLogger,
            now: clock.closure
        )
        let token = Minter.token(key: TestKeys.ecA, claims: Minter.claims(now: clock.nowSeconds))
        #expect(await verifier.verify(token).identity?.keyID == "ec-a")
        #expect(server.requestCount == 1)

        server.setBody(jwksJSON([TestKeys.rsaB]))
        let rotated = Minter.token(key: TestKeys.rsaB, claims: Minter.claims(now: clock.nowSeconds))
        #expect(await verifier.verify(rotated).identity?.keyID == "rsa-b")
        #expect(server.requestCount == 2)

        server.setBody("{}", status: 503)
        await #expect(throws: IdentityError.self) { try await verifier.refreshKeys(issuer: Minter.issuer) }
        #expect(server.requestCount == 3)
        #expect(await verifier.keySetStatus().first?.lastError?.code == .jwksFetchFailed)
        #expect(await verifier.verify(rotated).identity != nil)
    }

    @Test("A file:// JWKS URL is read directly from disk")
    func jwksFromFileURL() async throws {
        let directory = TemporaryDirectory()
        let path = directory.write("certs.json", jwksJSON([TestKeys.rsaA]))
        let issuer = TrustedIssuer(
            issuer: Minter.issuer,
            audiences: [Minter.audience],
            keySource: .url(URL(fileURLWithPath: path))
        )
        let clock = TestClock()
        let verifier = try IdentityVerifier(
            configuration: IdentityVerifierConfiguration(trustedIssuers: [issuer]),
            pseudonymizer: testPseudonymizer,
            logger: quietLogger,
            now: clock.closure
        )
        let token = Minter.token(key: TestKeys.rsaA, claims: Minter.claims(now: clock.nowSeconds))
        #expect(await verifier.verify(token).identity != nil)
    }

    @Test("Custom loader source, counted")
    func customLoader() async throws {
        let counter = LoadCounter()
        let body = Array(jwksJSON([TestKeys.ecA]).utf8)
        let issuer = TrustedIssuer(
            issuer: Minter.issuer,
            audiences: [Minter.audience],
            keySource: .custom(label: "test") {
                counter.increment()
                return body
            }
        )
        let verifier = try IdentityVerifier(
            configuration: IdentityVerifierConfiguration(trustedIssuers: [issuer]),
            pseudonymizer: testPseudonymizer,
            logger: quietLogger
        )
        try await verifier.loadKeys()
        #expect(counter.value == 1)
        #expect(await verifier.keySetStatus().first?.keyIDs == ["ec-a"])
    }

    @Test("JWKS parsing keeps only usable public signing keys")
    func jwksParsing() async throws {
        let weak = [
            "kty": "RSA", "kid": "weak", "alg": "RS256",
            // A 1024-bit modulus: refused by jwt-kit's minimum of 2048 bits.
            "n": base64URL([UInt8](repeating: 0xC5, count: 128)), "e": "AQAB",
        ]
        var encryption = TestKeys.rsaB.jwk
        encryption["use"] = "enc"
        encryption["kid"] = "enc-key"
        var noKid = TestKeys.rsaB.jwk
        noKid.removeValue(forKey: "kid")
        var wrongAlg = TestKeys.rsaB.jwk
        wrongAlg["alg"] = "RS512"
        wrongAlg["kid"] = "rs512"
        var p384 = TestKeys.ecA.jwk
        p384["crv"] = "P-384"
        p384["kid"] = "p384"
        var withPrivate = TestKeys.ecA.jwk
        withPrivate["d"] = base64URL([UInt8](repeating: 1, count: 32))
        let document = json([
            "keys": [
                weak, encryption, noKid, wrongAlg, p384, ["kty": "oct", "kid": "hmac", "k": "c2VjcmV0"], "junk", 42,
                ["kty": "RSA", "kid": 5], withPrivate, TestKeys.rsaA.jwk,
            ]
        ])
        let keys = try await JWKSDocument.parse(
            Array(document.utf8),
            allowedAlgorithms: [.rs256, .es256],
            logger: quietLogger
        )
        #expect(Set(keys.keys) == ["ec-a", "rsa-a"])

        await #expect(throws: IdentityError.self) {
            _ = try await JWKSDocument.parse(
                Array(json(["keys": [weak]]).utf8),
                allowedAlgorithms: [.rs256],
                logger: quietLogger
            )
        }
        await #expect(throws: IdentityError.self) {
            _ = try await JWKSDocument.parse(Array("[]".utf8), allowedAlgorithms: [.rs256], logger: quietLogger)
        }
        let esOnly = try await JWKSDocument.parse(
            Array(jwksJSON([TestKeys.rsaA, TestKeys.ecA]).utf8),
            allowedAlgorithms: [.es256],
            logger: quietLogger
        )
        #expect(Array(esOnly.keys) == ["ec-a"])
    }

    @Test("A JWKS larger than the configured maximum is refused")
    func jwksTooLarge() async throws {
        let directory = TemporaryDirectory()
        let path = directory.write("jwks.json", jwksJSON([TestKeys.rsaA, TestKeys.rsaB, TestKeys.ecA]))
        let issuer = TrustedIssuer(
            issuer: Minter.issuer,
            audiences: [Minter.audience],
            keySource: .file(path),
            maximumJWKSBytes: 256
        )
        let verifier = try IdentityVerifier(
            configuration: IdentityVerifierConfiguration(trustedIssuers: [issuer]),
            pseudonymizer: testPseudonymizer,
            logger: quietLogger
        )
        do {
            try await verifier.loadKeys()
            Issue.record("expected a failure")
        } catch let error as IdentityError {
            #expect(error.code == .jwksInvalid)
        }
    }

    @Test("Configuration is validated when the verifier is created")
    func configurationValidation() throws {
        let good = TrustedIssuer(issuer: Minter.issuer, audiences: [Minter.audience], keySource: .file("/x"))
        func make(_ configuration: IdentityVerifierConfiguration) throws {
            _ = try IdentityVerifier(
                configuration: configuration,
                pseudonymizer: testPseudonymizer,
                logger: quietLogger
            )
        }
        #expect(throws: Never.self) { try make(IdentityVerifierConfiguration(trustedIssuers: [good])) }
        var insecure = good
        insecure.keySource = .url(URL(string: "http://idp.example.gov/certs")!)
        var loopback = good
        loopback.keySource = .url(URL(string: "http://127.0.0.1:8080/certs")!)
        var ftp = good
        ftp.keySource = .url(URL(string: "ftp://idp.example.gov/certs")!)
        var noAudience = good
        noAudience.audiences = []
        var badGap = good
        badGap.minimumRefreshGap = .seconds(7200)
        let invalid: [IdentityVerifierConfiguration] = [
            IdentityVerifierConfiguration(trustedIssuers: []),
            IdentityVerifierConfiguration(trustedIssuers: [good, good]),
            IdentityVerifierConfiguration(trustedIssuers: [good], clockSkew: .seconds(3600)),
            IdentityVerifierConfiguration(trustedIssuers: [good], maximumTokenBytes: 10),
            IdentityVerifierConfiguration(trustedIssuers: [good], allowedAlgorithms: []),
            IdentityVerifierConfiguration(trustedIssuers: [insecure]),
            IdentityVerifierConfiguration(trustedIssuers: [ftp]),
            IdentityVerifierConfiguration(trustedIssuers: [noAudience]),
            IdentityVerifierConfiguration(trustedIssuers: [badGap]),
        ]
        for configuration in invalid {
            #expect {
                try make(configuration)
            } throws: { error in
                (error as? IdentityError)?.code == .invalidConfiguration
            }
        }
        #expect(throws: Never.self) { try make(IdentityVerifierConfiguration(trustedIssuers: [loopback])) }
        insecure.allowsInsecureHTTP = true
        #expect(throws: Never.self) { try make(IdentityVerifierConfiguration(trustedIssuers: [insecure])) }
    }

    @Test("Documented configuration defaults")
    func defaults() {
        let issuer = TrustedIssuer(issuer: "i", audiences: ["a"], keySource: .file("/x"))
        #expect(issuer.refreshInterval == .seconds(3600))
        #expect(issuer.minimumRefreshGap == .seconds(30))
        #expect(issuer.fetchTimeout == .seconds(10))
        #expect(issuer.maximumJWKSBytes == 262_144)
        let configuration = IdentityVerifierConfiguration(trustedIssuers: [issuer])
        #expect(configuration.clockSkew == .seconds(60))
        #expect(configuration.maximumTokenBytes == 8192)
        #expect(configuration.allowedAlgorithms == [.rs256, .es256])
        #expect(configuration.defaultPolicy == AgencyIdentityPolicy())
        #expect(configuration.defaultPolicy.onRefusal == .continueAnonymously)
    }
}

@Suite("Key refresh state machine", .hangGuard)
struct KeyRefreshStateMachineTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    @Test("First lookup loads; gap limits refreshes; unknown kid refreshes once per gap")
    func transitions() {
        var machine = KeyRefreshStateMachine(refreshInterval: 3600, minimumRefreshGap: 30)
        guard case .refreshThenResolve = machine.lookup(keyID: "a", now: t0) else {
            Issue.record("first lookup should load")
            return
        }
        guard case .awaitRefreshThenResolve = machine.lookup(keyID: "a", now: t0) else {
            Issue.record("a lookup during a refresh should wait for it")
            return
        }
        machine.refreshSucceeded(keys: ["a": []], now: t0)
        guard case .use = machine.lookup(keyID: "a", now: t0.addingTimeInterval(1)) else {
            Issue.record("known kid should be used")
            return
        }
        guard case .refuseUnknownKey = machine.lookup(keyID: "b", now: t0.addingTimeInterval(29)) else {
            Issue.record("unknown kid inside the gap should be refused without refresh")
            return
        }
        guard case .refreshThenResolve = machine.lookup(keyID: "b", now: t0.addingTimeInterval(30)) else {
            Issue.record("unknown kid after the gap should refresh")
            return
        }
        machine.refreshSucceeded(keys: ["a": []], now: t0.addingTimeInterval(30))
        guard case .refuseUnknownKey = machine.resolveAfterRefresh(keyID: "b") else {
            Issue.record("still unknown after refresh")
            return
        }
        guard case .useAndRefreshInBackground = machine.lookup(keyID: "a", now: t0.addingTimeInterval(3630)) else {
            Issue.record("stale set should refresh in the background")
            return
        }
        machine.refreshFailed(IdentityError(code: .jwksFetchFailed, reason: "down"))
        guard case .use = machine.lookup(keyID: "a", now: t0.addingTimeInterval(3631)) else {
            Issue.record("failed refresh keeps keys; gap applies")
            return
        }
        #expect(machine.attempts == 3)
        #expect(machine.failures == 1)
    }

    @Test("Never loaded and inside the gap: unavailable")
    func unavailable() {
        var machine = KeyRefreshStateMachine(refreshInterval: 3600, minimumRefreshGap: 30)
        _ = machine.lookup(keyID: "a", now: t0)
        machine.refreshFailed(IdentityError(code: .jwksFetchFailed, reason: "down"))
        guard case .refuseUnavailable = machine.resolveAfterRefresh(keyID: "a") else {
            Issue.record("expected unavailable")
            return
        }
        guard case .refuseUnavailable = machine.lookup(keyID: "a", now: t0.addingTimeInterval(5)) else {
            Issue.record("expected unavailable inside the gap")
            return
        }
        guard case .refreshThenResolve = machine.lookup(keyID: "a", now: t0.addingTimeInterval(31)) else {
            Issue.record("expected a retry after the gap")
            return
        }
    }
}

final class LoadCounter: Sendable {
    private let count = Mutex(0)
    func increment() { self.count.withLock { $0 += 1 } }
    var value: Int { self.count.withLock { $0 } }
}
