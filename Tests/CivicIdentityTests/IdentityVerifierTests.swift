import CivicTestTraits
import Crypto
import Foundation
import Testing

@testable import CivicIdentity

@Suite("IdentityVerifier: accepting tokens", .hangGuard)
struct IdentityVerifierAcceptanceTests {
    @Test("RS256 token with kid verifies and yields pseudonyms, assurance and metadata")
    func rs256HappyPath() async throws {
        let fixture = try Fixture()
        let verdict = await fixture.verifier.verify(fixture.token(key: TestKeys.rsaA), agency: "IRS")
        let identity = try #require(verdict.identity, "\(String(describing: verdict.refusal))")
        #expect(identity.issuer == Minter.issuer)
        #expect(identity.audience == Minter.audience)
        #expect(identity.algorithm == .rs256)
        #expect(identity.keyID == "rsa-a")
        #expect(identity.tokenID == "jti-123")
        #expect(identity.assurance.identityLevel == .verifiedFacialMatch)
        #expect(identity.assurance.meetsIAL2)
        let expected = testPseudonymizer.pseudonyms(
            issuer: Minter.issuer,
            audience: Minter.audience,
            subject: "5b3c7d1e-1111-4c2b-9a57-1c1f5f3e2b10"
        )
        #expect(identity.respondent == expected)
        #expect(identity.respondent.current.description.hasPrefix("ps1_"))
        #expect(identity.expiresAt.timeIntervalSince1970 == Double(Int(fixture.now) + 900))
    }

    @Test("ES256 token verifies against a P-256 JWK")
    func es256HappyPath() async throws {
        let fixture = try Fixture()
        let verdict = await fixture.verifier.verify(fixture.token(key: TestKeys.ecA))
        let identity = try #require(verdict.identity, "\(String(describing: verdict.refusal))")
        #expect(identity.algorithm == .es256)
        #expect(identity.keyID == "ec-a")
    }

    @Test("aud may be an array containing the configured audience; azp equal to it is fine")
    func audienceArray() async throws {
        let fixture = try Fixture()
        let token = fixture.token {
            $0["aud"] = ["some-other-client", Minter.audience]
            $0["azp"] = Minter.audience
        }
        #expect(await fixture.verifier.verify(token).identity?.audience == Minter.audience)
    }

    @Test("Fractional NumericDates are accepted")
    func fractionalDates() async throws {
        let fixture = try Fixture()
        let token = fixture.token { $0["exp"] = fixture.now + 10.5 }
        #expect(await fixture.verifier.verify(token).identity != nil)
    }

    @Test("exp boundary: accepted up to just under exp + 60 s skew, refused at exp + 60 s")
    func expirySkewBoundary() async throws {
        let fixture = try Fixture()
        let exp = Int(fixture.now)
        let token = fixture.token {
            $0["exp"] = exp
            $0["iat"] = exp - 600
            $0["nbf"] = exp - 600
        }
        fixture.clock.advance(by: 59)
        #expect(await fixture.verifier.verify(token).identity != nil)
        fixture.clock.advance(by: 0.999)
        #expect(await fixture.verifier.verify(token).identity != nil)
        fixture.clock.advance(by: 0.001)
        #expect(await fixture.verifier.verify(token).refusal?.code == .expired)
        fixture.clock.advance(by: 1000)
        #expect(await fixture.verifier.verify(token).refusal?.code == .expired)
    }

    @Test("nbf boundary: accepted when nbf is 60 s ahead, refused at 61 s")
    func notBeforeSkewBoundary() async throws {
        let fixture = try Fixture()
        let now = Int(fixture.now)
        let atSkew = fixture.token {
            $0["nbf"] = now + 60
            $0["iat"] = now
        }
        #expect(await fixture.verifier.verify(atSkew).identity != nil)
        let beyond = fixture.token {
            $0["nbf"] = now + 61
            $0["iat"] = now
        }
        #expect(await fixture.verifier.verify(beyond).refusal?.code == .notYetValid)
    }

    @Test("iat boundary: accepted 60 s in the future, refused at 61 s")
    func issuedAtSkewBoundary() async throws {
        let fixture = try Fixture()
        let now = Int(fixture.now)
        let atSkew = fixture.token {
            $0["iat"] = now + 60
            $0.removeValue(forKey: "nbf")
        }
        #expect(await fixture.verifier.verify(atSkew).identity != nil)
        let beyond = fixture.token {
            $0["iat"] = now + 61
            $0.removeValue(forKey: "nbf")
        }
        #expect(await fixture.verifier.verify(beyond).refusal?.code == .notYetValid)
    }

    @Test("Verification works from bytes as well as from a String")
    func bytesEntryPoint() async throws {
        let fixture = try Fixture()
        let token = fixture.token()
        #expect(await fixture.verifier.verify(bytes: Array(token.utf8)).identity != nil)
    }
}

@Suite("IdentityVerifier: refusals", .hangGuard)
struct IdentityVerifierRefusalTests {
    @Test("alg none is refused, with or without a signature, in any letter case")
    func algorithmNone() async throws {
        let fixture = try Fixture()
        let payload = json(Minter.claims(now: fixture.now))
        for alg in ["none", "None", "NONE"] {
            let header = json(["alg": alg, "kid": "rsa-a"])
            let unsigned = base64URL(header) + "." + base64URL(payload) + "."
            #expect(await fixture.verifier.verify(unsigned).refusal?.code == .algorithmNone)
            let withSignature = Minter.raw(header: header, payload: payload, signature: [1, 2, 3])
            #expect(await fixture.verifier.verify(withSignature).refusal?.code == .algorithmNone)
        }
    }

    @Test("HS256 signed with the issuer's RSA public key (PEM and DER) is refused: algorithm confusion")
    func hs256AlgorithmConfusion() async throws {
        let fixture = try Fixture()
        let pem = try #require(TestKeys.rsaA.publicKeyPEM)
        let der = try #require(TestKeys.rsaA.publicKeyDER)
        for secret in [Data(pem.utf8), der] {
            for alg in ["HS256", "HS384", "HS512"] {
                let header = json(["alg": alg, "kid": "rsa-a", "typ": "JWT"])
                let input = base64URL(header) + "." + base64URL(json(Minter.claims(now: fixture.now)))
                let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: secret))
                let token = input + "." + base64URL(Data(mac))
                let refusal = await fixture.verifier.verify(token).refusal
                #expect(refusal?.code == .symmetricAlgorithm)
            }
        }
    }

    @Test("Bad signatures: flipped byte, tampered payload, forger's key under the real kid, truncated")
    func badSignature() async throws {
        let fixture = try Fixture()
        let token = fixture.token()
        let parts = token.split(separator: ".").map(String.init)

        var signature = [UInt8](Data(base64Encoded: padded(parts[2]))!)
        signature[10] ^= 0x01
        let flipped = parts[0] + "." + parts[1] + "." + base64URL(signature)
        #expect(await fixture.verifier.verify(flipped).refusal?.code == .badSignature)

        var claims = Minter.claims(now: fixture.now)
        claims["sub"] = "someone-else"
        let tampered = parts[0] + "." + base64URL(json(claims)) + "." + parts[2]
        #expect(await fixture.verifier.verify(tampered).refusal?.code == .badSignature)

        let forged = fixture.token(key: TestKeys.rsaImpostor)
        #expect(await fixture.verifier.verify(forged).refusal?.code == .badSignature)

        let truncated = parts[0] + "." + parts[1] + "." + base64URL(signature.prefix(100))
        #expect(await fixture.verifier.verify(truncated).refusal?.code == .badSignature)

        let ecToken = fixture.token(key: TestKeys.ecA)
        let ecParts = ecToken.split(separator: ".").map(String.init)
        let ecTruncated = ecParts[0] + "." + ecParts[1] + "." + base64URL([UInt8](repeating: 7, count: 63))
        #expect(await fixture.verifier.verify(ecTruncated).refusal?.code == .badSignature)
    }

    @Test("Expired token is refused")
    func expired() async throws {
        let fixture = try Fixture()
        let token = fixture.token {
            $0["exp"] = Int(fixture.now) - 61
            $0["iat"] = Int(fixture.now) - 1000
            $0["nbf"] = Int(fixture.now) - 1000
        }
        let refusal = await fixture.verifier.verify(token).refusal
        #expect(refusal?.code == .expired)
        #expect(refusal?.isRetriable == false)
    }

    @Test("Token whose nbf is in the future is refused")
    func notYetValid() async throws {
        let fixture = try Fixture()
        let token = fixture.token { $0["nbf"] = Int(fixture.now) + 3600 }
        #expect(await fixture.verifier.verify(token).refusal?.code == .notYetValid)
    }

    @Test("Wrong audience and wrong azp are refused")
    func wrongAudience() async throws {
        let fixture = try Fixture()
        let wrong = fixture.token { $0["aud"] = "urn:gov:gsa:openidconnect.profiles:sp:sso:other-agency:app" }
        #expect(await fixture.verifier.verify(wrong).refusal?.code == .wrongAudience)
        let wrongArray = fixture.token { $0["aud"] = ["a", "b"] }
        #expect(await fixture.verifier.verify(wrongArray).refusal?.code == .wrongAudience)
        let wrongAzp = fixture.token {
            $0["aud"] = [Minter.audience, "other"]
            $0["azp"] = "other"
        }
        #expect(await fixture.verifier.verify(wrongAzp).refusal?.code == .wrongAudience)
    }

    @Test("Untrusted issuer is refused without fetching any keys")
    func untrustedIssuer() async throws {
        let fixture = try Fixture()
        let token = fixture.token { $0["iss"] = "https://evil.example/" }
        let refusal = await fixture.verifier.verify(token).refusal
        #expect(refusal?.code == .untrustedIssuer)
        #expect(refusal?.reason.contains("evil.example") == true)
        #expect(await fixture.status()?.loadAttempts == 0)
    }

    @Test("Unknown kid causes exactly one refresh, then refusal; the minimum gap stops further refreshes")
    func unknownKidAfterOneRefresh() async throws {
        let fixture = try Fixture()
        #expect(await fixture.verifier.verify(fixture.token()).identity != nil)
        #expect(await fixture.status()?.loadAttempts == 1)

        fixture.clock.advance(by: 31)  // past the 30 s minimum gap
        let stranger = TestSigningKey(kid: "rotated-away", material: TestKeys.rsaB.material)
        let token = fixture.token(key: stranger)
        #expect(await fixture.verifier.verify(token).refusal?.code == .unknownKeyID)
        #expect(await fixture.status()?.loadAttempts == 2)

        // Within the gap: refused again, no further read of the JWKS.
        #expect(await fixture.verifier.verify(token).refusal?.code == .unknownKeyID)
        #expect(await fixture.status()?.loadAttempts == 2)
    }

    @Test(
        "Malformed compact serialisations are refused as malformed",
        arguments: [
            "",
            "abc",
            "a.b",
            "a.b.c.d",
            "..",
            "...",
            "@@@.xxx.yyy",
            "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ==.c2ln",
            " eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln",
            "eyJhbGciOiJSUzI1NiJ9.e.c2ln",
            "bm90IGpzb24.eyJhIjoxfQ.c2ln",  // header "not json"
            "WzFd.eyJhIjoxfQ.c2ln",  // header [1]
            "eyJraWQiOiJyc2EtYSJ9.eyJhIjoxfQ.c2ln",  // header without alg
            "eyJhbGciOjF9.eyJhIjoxfQ.c2ln",  // alg is a number
        ]
    )
    func malformed(token: String) async throws {
        let fixture = try Fixture()
        #expect(await fixture.verifier.verify(token).refusal?.code == .malformed)
    }

    @Test("Malformed payloads and signatures behind a valid header are refused as malformed")
    func malformedPayloads() async throws {
        let fixture = try Fixture()
        let header = json(["alg": "RS256", "kid": "rsa-a"])
        let sig = base64URL([UInt8](repeating: 1, count: 256))
        let cases = [
            base64URL(header) + "." + base64URL("not json") + "." + sig,
            base64URL(header) + "." + base64URL("[1,2]") + "." + sig,
            base64URL(header) + "." + base64URL(json(["iss": 5])) + "." + sig,
            base64URL(header) + "." + base64URL(json(["iss": Minter.issuer, "aud": 7])) + "." + sig,
            base64URL(header) + "." + base64URL(json(["iss": Minter.issuer, "exp": "soon"])) + "." + sig,
            base64URL(header) + "." + base64URL(json(["iss": Minter.issuer])) + ".",
            base64URL(header) + "." + base64URL(json(["iss": Minter.issuer])) + ".!!!",
            base64URL(header) + ".e30x." + sig,  // payload with non-canonical trailing bits
        ]
        for token in cases {
            #expect(await fixture.verifier.verify(token).refusal?.code == .malformed, "\(token)")
        }
    }

    @Test("Oversized tokens are refused before parsing, at the default and a configured limit")
    func oversized() async throws {
        let fixture = try Fixture()
        let garbage = String(repeating: "A", count: 8193)
        #expect(await fixture.verifier.verify(garbage).refusal?.code == .oversized)
        #expect(await fixture.verifier.verify(String(repeating: "A", count: 8192)).refusal?.code == .malformed)
        let padded = fixture.token { $0["padding"] = String(repeating: "x", count: 9000) }
        #expect(await fixture.verifier.verify(padded).refusal?.code == .oversized)
        #expect(await fixture.verifier.verify(bytes: Array(padded.utf8)).refusal?.code == .oversized)

        let strict = try Fixture(maximumTokenBytes: 512)
        let normal = strict.token()
        #expect(normal.utf8.count > 512)
        #expect(await strict.verifier.verify(normal).refusal?.code == .oversized)
        #expect(await strict.status()?.loadAttempts == 0)
    }

    @Test("Other header problems: missing kid, crit, unsupported alg, alg/key mismatch")
    func headerProblems() async throws {
        let fixture = try Fixture()
        let claims = Minter.claims(now: fixture.now)
        let noKid = Minter.token(key: TestKeys.rsaA, claims: claims, header: ["alg": "RS256"])
        #expect(await fixture.verifier.verify(noKid).refusal?.code == .missingKeyID)
        let crit = Minter.token(
            key: TestKeys.rsaA,
            claims: claims,
            header: ["alg": "RS256", "kid": "rsa-a", "crit": ["exp"]]
        )
        #expect(await fixture.verifier.verify(crit).refusal?.code == .unsupportedCriticalHeader)
        for alg in ["RS512", "PS256", "ES384", "EdDSA"] {
            let token = Minter.token(key: TestKeys.rsaA, claims: claims, header: ["alg": alg, "kid": "rsa-a"])
            #expect(await fixture.verifier.verify(token).refusal?.code == .unsupportedAlgorithm)
        }
        // An RSA signature presented as ES256 under the RSA key's kid, and the reverse.
        let mismatch = Minter.token(key: TestKeys.rsaA, claims: claims, header: ["alg": "ES256", "kid": "rsa-a"])
        #expect(await fixture.verifier.verify(mismatch).refusal?.code == .algorithmKeyMismatch)
        let reverse = Minter.token(key: TestKeys.ecA, claims: claims, header: ["alg": "RS256", "kid": "ec-a"])
        #expect(await fixture.verifier.verify(reverse).refusal?.code == .algorithmKeyMismatch)
    }

    @Test("Missing required claims are refused", arguments: ["iss", "sub", "aud", "exp", "iat"])
    func missingClaim(claim: String) async throws {
        let fixture = try Fixture()
        let token = fixture.token { $0.removeValue(forKey: claim) }
        #expect(await fixture.verifier.verify(token).refusal?.code == .missingClaim)
    }

    @Test("A JWKS that cannot be loaded gives a retriable keys_unavailable refusal and a thrown IdentityError")
    func keysUnavailable() async throws {
        let fixture = try Fixture()
        try FileManager.default.removeItem(atPath: fixture.jwksPath)
        let refusal = await fixture.verifier.verify(fixture.token()).refusal
        #expect(refusal?.code == .keysUnavailable)
        #expect(refusal?.isRetriable == true)
        await #expect(throws: IdentityError.self) { try await fixture.verifier.loadKeys() }
        do {
            try await fixture.verifier.loadKeys()
        } catch let error as IdentityError {
            #expect(error.code == .jwksFetchFailed)
            #expect(error.isRetriable)
        }
    }

    @Test("Every refusal code has a distinct snake_case name that round-trips")
    func refusalCodes() {
        let names = IdentityRefusal.Code.allCases.map(\.description)
        #expect(Set(names).count == names.count)
        #expect(names.count == 21)
        for code in IdentityRefusal.Code.allCases {
            #expect(IdentityRefusal.Code(name: code.description) == code)
            #expect(code.description.allSatisfy { $0.isLowercase || $0 == "_" })
        }
    }
}

func padded(_ base64url: String) -> String {
    var text = base64url.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while text.count % 4 != 0 { text += "=" }
    return text
}
