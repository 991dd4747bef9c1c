import CivicTestTraits
import Testing

@testable import CivicIdentity

/// Issue 29: ``IdentityVerifier/verify(_:for:at:)`` verifies a respondent's token only for the agency (by
/// audience) or the one event or request (by nonce) it is bound to.
@Suite(.hangGuard)
struct TokenBindingTests {
    static let irsAudience = "urn:gov:gsa:openidconnect.profiles:sp:sso:irs:cx"
    static let ssaAudience = "urn:gov:gsa:openidconnect.profiles:sp:sso:ssa:cx"

    func fixture() throws -> Fixture {
        try Fixture(agencyAudiences: ["IRS": [Self.irsAudience], "SSA": [Self.ssaAudience]])
    }

    @Test func theNonceIsTheDocumentedDigest() {
        // base64url(SHA-256("civicpulse:IRS:e-2026-0001")), and the request form, computed independently.
        #expect(TokenUse(.event, agency: "IRS", id: "e-2026-0001").nonce == "1VL7M2zRQnF0WsUiDfjWpcaoPhwtXoJ5n0hPF3sUGyg")
        #expect(TokenUse(.request, agency: "IRS", id: "req-1").nonce == "Y3cVx8zOw5xGCJLwptlq5d1aQUQyBLOCrGVlvJc3mnQ")
    }

    @Test func anAgencyAudienceBindsToThatAgencyOnly() async throws {
        let fixture = try fixture()
        let token = fixture.token { $0["aud"] = Self.irsAudience }
        let irs = await fixture.verifier.verify(token, for: TokenUse(.event, agency: "IRS", id: "e1"))
        #expect(irs.identity?.binding == .agencyAudience)
        #expect(irs.identity?.audience == Self.irsAudience)
        #expect(await fixture.verifier.verify(token, for: TokenUse(.event, agency: "SSA", id: "e1")).refusal?.code == .wrongAudience)
        // Another agency's audience is refused even beside a matching nonce or in azp.
        let both = fixture.token {
            $0["aud"] = [Minter.audience, Self.irsAudience]
            $0["nonce"] = TokenUse(.event, agency: "SSA", id: "e1").nonce
        }
        #expect(await fixture.verifier.verify(both, for: TokenUse(.event, agency: "SSA", id: "e1")).refusal?.code == .wrongAudience)
        let azp = fixture.token {
            $0["aud"] = Self.ssaAudience
            $0["azp"] = Self.irsAudience
        }
        #expect(await fixture.verifier.verify(azp, for: TokenUse(.event, agency: "SSA", id: "e1")).refusal?.code == .wrongAudience)
        // Bound by audience, a token needs a jti.
        let noJTI = fixture.token {
            $0["aud"] = Self.irsAudience
            $0.removeValue(forKey: "jti")
        }
        #expect(await fixture.verifier.verify(noJTI, for: TokenUse(.event, agency: "IRS", id: "e1")).refusal?.code == .missingClaim)
    }

    @Test func aNonceBindsToOneEventOfOneAgency() async throws {
        let fixture = try fixture()
        let use = TokenUse(.event, agency: "IRS", id: "e1")
        let token = fixture.token {
            $0["nonce"] = use.nonce
            $0.removeValue(forKey: "jti")
        }
        let verified = await fixture.verifier.verify(token, for: use)
        #expect(verified.identity?.binding == .nonce)
        #expect(verified.identity?.tokenID == nil)
        for other in [
            TokenUse(.event, agency: "IRS", id: "e2"), TokenUse(.event, agency: "SSA", id: "e1"), TokenUse(.request, agency: "IRS", id: "e1"),
        ] {
            #expect(await fixture.verifier.verify(token, for: other).refusal?.code == .unboundToken, "\(other)")
        }
        // A shared audience with any other nonce binds nothing.
        #expect(await fixture.verifier.verify(fixture.token(), for: use).refusal?.code == .unboundToken)
        // The unbound check of every token stays as it was.
        #expect(await fixture.verifier.verify(fixture.token()).identity?.binding == nil)
    }

    @Test func anOverlongJTIIsRefused() async throws {
        let fixture = try fixture()
        let token = fixture.token {
            $0["aud"] = Self.irsAudience
            $0["jti"] = String(repeating: "j", count: 257)
        }
        #expect(await fixture.verifier.verify(token, for: TokenUse(.event, agency: "IRS", id: "e1")).refusal?.code == .malformed)
    }

    @Test func anAudienceListedTwiceIsAConfigurationError() {
        let issuer = TrustedIssuer(issuer: "i", audiences: ["a"], keySource: .file("/x"), agencyAudiences: ["IRS": ["a"]])
        #expect(throws: IdentityError.self) { try issuer.validate() }
    }
}
