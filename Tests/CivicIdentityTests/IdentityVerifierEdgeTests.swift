import CivicTestTraits
import Foundation
import Testing

@testable import CivicIdentity

@Suite("IdentityVerifier: edge cases", .hangGuard)
struct IdentityVerifierEdgeTests {
    @Test("A trusted reference time makes a replay after an outage reach the first verdict")
    func referenceTime() async throws {
        let fixture = try Fixture()
        let received = fixture.clock.now
        let token = fixture.token()
        fixture.clock.advance(by: 6 * 3600)  // the consumer was down for six hours
        #expect(await fixture.verifier.verify(token).refusal?.code == .expired)
        #expect(await fixture.verifier.verify(token, at: received).identity != nil)
        #expect(await fixture.verifier.verify(bytes: Array(token.utf8), at: received).identity != nil)
        // The reference time is not a way around nbf either.
        #expect(
            await fixture.verifier.verify(token, at: received.addingTimeInterval(-3600)).refusal?.code == .notYetValid
        )
    }

    @Test("Refusal reasons never contain the subject, the token or its signature")
    func reasonsDoNotLeak() async throws {
        let fixture = try Fixture()
        let subject = "secret-subject-7f3a"
        var refused: [(String, IdentityRefusal)] = []
        let tokens = [
            fixture.token {
                $0["sub"] = subject
                $0["aud"] = "other"
            },
            fixture.token {
                $0["sub"] = subject
                $0["exp"] = Int(fixture.now) - 3600
            },
            fixture.token {
                $0["sub"] = subject
                $0["iss"] = "https://elsewhere.example/"
            },
            fixture.token(key: TestKeys.rsaImpostor) { $0["sub"] = subject },
        ]
        for token in tokens {
            if let refusal = await fixture.verifier.verify(token).refusal {
                refused.append((token, refusal))
            }
        }
        #expect(refused.count == tokens.count)
        for (token, refusal) in refused {
            #expect(!refusal.reason.contains(subject))
            #expect(!refusal.description.contains(String(token.split(separator: ".")[2].prefix(20))))
        }
    }

    @Test("Sanitised header values in reasons are short and printable")
    func sanitised() {
        let value = IdentityVerifier.sanitised(String(repeating: "é\u{0}", count: 100))
        #expect(value.count <= 68)
        #expect(value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F || $0 == "…" })
    }

    @Test("A sub longer than 255 bytes is refused as malformed; an over-long jti is dropped")
    func claimLimits() async throws {
        let fixture = try Fixture()
        let longSub = fixture.token { $0["sub"] = String(repeating: "s", count: 256) }
        #expect(await fixture.verifier.verify(longSub).refusal?.code == .malformed)
        let maxSub = fixture.token { $0["sub"] = String(repeating: "s", count: 255) }
        #expect(await fixture.verifier.verify(maxSub).identity != nil)
        let longJTI = fixture.token { $0["jti"] = String(repeating: "j", count: 300) }
        let identity = try #require(await fixture.verifier.verify(longJTI).identity)
        #expect(identity.tokenID == nil)
        let emptySub = fixture.token { $0["sub"] = "" }
        #expect(await fixture.verifier.verify(emptySub).refusal?.code == .missingClaim)
    }

    @Test("One kid naming an RSA and an EC key: the header's alg picks the key")
    func sharedKidAcrossKeyTypes() async throws {
        let rsa = TestSigningKey(kid: "shared", material: TestKeys.rsaA.material)
        let ec = TestSigningKey(kid: "shared", material: TestKeys.ecA.material)
        let fixture = try Fixture(keys: [rsa, ec])
        #expect(await fixture.verifier.verify(fixture.token(key: rsa)).identity?.algorithm == .rs256)
        #expect(await fixture.verifier.verify(fixture.token(key: ec)).identity?.algorithm == .es256)
    }

    @Test("Restricting allowedAlgorithms to ES256 refuses RS256 tokens")
    func restrictedAlgorithms() async throws {
        let directory = TemporaryDirectory()
        let path = directory.write("jwks.json", jwksJSON([TestKeys.rsaA, TestKeys.ecA]))
        let clock = TestClock()
        let verifier = try IdentityVerifier(
            configuration: IdentityVerifierConfiguration(
                trustedIssuers: [
                    TrustedIssuer(issuer: Minter.issuer, audiences: [Minter.audience], keySource: .file(path))
                ],
                allowedAlgorithms: [.es256]
            ),
            pseudonymizer: testPseudonymizer,
            logger: quietLogger,
            now: clock.closure
        )
        let claims = Minter.claims(now: clock.nowSeconds)
        #expect(
            await verifier.verify(Minter.token(key: TestKeys.rsaA, claims: claims)).refusal?.code
                == .unsupportedAlgorithm
        )
        #expect(await verifier.verify(Minter.token(key: TestKeys.ecA, claims: claims)).identity != nil)
    }

    @Test("Two trusted issuers keep separate key sets and linking domains")
    func twoIssuers() async throws {
        let directory = TemporaryDirectory()
        let sandbox = directory.write("sandbox.json", jwksJSON([TestKeys.rsaA]))
        let production = directory.write("production.json", jwksJSON([TestKeys.rsaB]))
        let clock = TestClock()
        let verifier = try IdentityVerifier(
            configuration: IdentityVerifierConfiguration(trustedIssuers: [
                TrustedIssuer(issuer: Minter.issuer, audiences: [Minter.audience], keySource: .file(sandbox)),
                TrustedIssuer(
                    issuer: "https://secure.login.gov/",
                    audiences: [Minter.audience],
                    keySource: .file(production)
                ),
            ]),
            pseudonymizer: testPseudonymizer,
            logger: quietLogger,
            now: clock.closure
        )
        var claims = Minter.claims(now: clock.nowSeconds)
        let inSandbox = try #require(await verifier.verify(Minter.token(key: TestKeys.rsaA, claims: claims)).identity)
        claims["iss"] = "https://secure.login.gov/"
        // The sandbox key is not trusted for the production issuer.
        #expect(await verifier.verify(Minter.token(key: TestKeys.rsaA, claims: claims)).refusal?.code == .unknownKeyID)
        let inProduction = try #require(
            await verifier.verify(Minter.token(key: TestKeys.rsaB, claims: claims)).identity
        )
        #expect(inSandbox.respondent.current != inProduction.respondent.current)
        #expect(await verifier.keySetStatus().map(\.issuer) == [Minter.issuer, "https://secure.login.gov/"])
    }
}
