import CivicTestTraits
import Testing

@testable import CivicIdentity

@Suite("Assurance levels from acr", .hangGuard)
struct AssuranceTests {
    struct Mapping: Sendable, CustomTestStringConvertible {
        var acr: String
        var identity: IdentityProofingLevel?
        var authenticator: AuthenticatorAssuranceLevel?
        var deprecated: Bool
        var testDescription: String { self.acr }
    }

    static let mappings: [Mapping] = [
        Mapping(acr: "urn:acr.login.gov:auth-only", identity: .authenticationOnly, deprecated: false),
        Mapping(acr: "urn:acr.login.gov:verified", identity: .verified, deprecated: false),
        Mapping(
            acr: "urn:acr.login.gov:verified-facial-match-required",
            identity: .verifiedFacialMatch,
            deprecated: false
        ),
        Mapping(acr: "urn:acr.login.gov:verified-facial-match-preferred", identity: .verified, deprecated: false),
        Mapping(
            acr: "urn:gov:gsa:ac:classes:sp:PasswordProtectedTransport:duo",
            authenticator: .multiFactor,
            deprecated: false
        ),
        Mapping(acr: "http://idmanagement.gov/ns/assurance/aal/2", authenticator: .aal2, deprecated: false),
        Mapping(
            acr: "http://idmanagement.gov/ns/assurance/aal/2?phishing_resistant=true",
            authenticator: .phishingResistant,
            deprecated: false
        ),
        Mapping(
            acr: "http://idmanagement.gov/ns/assurance/aal/2?hspd12=true",
            authenticator: .hspd12,
            deprecated: false
        ),
        Mapping(acr: "http://idmanagement.gov/ns/assurance/ial/1", identity: .authenticationOnly, deprecated: true),
        Mapping(acr: "http://idmanagement.gov/ns/assurance/ial/2", identity: .verified, deprecated: true),
        Mapping(acr: "http://idmanagement.gov/ns/assurance/loa/1", identity: .authenticationOnly, deprecated: true),
        Mapping(acr: "http://idmanagement.gov/ns/assurance/loa/3", identity: .verified, deprecated: true),
        Mapping(acr: "http://idmanagement.gov/ns/assurance/aal/3", authenticator: .phishingResistant, deprecated: true),
        Mapping(
            acr: "http://idmanagement.gov/ns/assurance/aal/3?hspd12=true",
            authenticator: .hspd12,
            deprecated: true
        ),
    ]

    @Test("Each catalogued acr value maps to its level and deprecation flag", arguments: mappings)
    func mapping(_ mapping: Mapping) throws {
        let value = try #require(AssuranceValue(mapping.acr))
        #expect(value.identityLevel == mapping.identity)
        #expect(value.authenticatorLevel == mapping.authenticator)
        #expect(value.isDeprecated == mapping.deprecated)
        let assurance = IdentityAssurance(acr: mapping.acr)
        #expect(assurance.identityLevel == (mapping.identity ?? IdentityProofingLevel.none))
        #expect(assurance.authenticatorLevel == mapping.authenticator)
        #expect(assurance.usesDeprecatedValues == mapping.deprecated)
        #expect(assurance.unrecognisedValues.isEmpty)
    }

    @Test("Each acr value through the whole verifier, deprecated ones reported as deprecated", arguments: mappings)
    func mappingThroughVerifier(_ mapping: Mapping) async throws {
        let fixture = try Fixture()
        let identity = try #require(await fixture.verifier.verify(fixture.token { $0["acr"] = mapping.acr }).identity)
        #expect(identity.assurance.identityLevel == (mapping.identity ?? IdentityProofingLevel.none))
        #expect(identity.assurance.authenticatorLevel == mapping.authenticator)
        #expect(identity.assurance.usesDeprecatedValues == mapping.deprecated)
    }

    @Test("Only facial match meets IAL2")
    func ial2() {
        #expect(IdentityAssurance(acr: AssuranceValue.facialMatchRequired).meetsIAL2)
        #expect(!IdentityAssurance(acr: AssuranceValue.facialMatchPreferred).meetsIAL2)
        #expect(!IdentityAssurance(acr: AssuranceValue.verified).meetsIAL2)
        #expect(!IdentityAssurance(acr: AssuranceValue.legacyIAL2).meetsIAL2)
        let preferred = IdentityAssurance(acr: AssuranceValue.facialMatchPreferred)
        #expect(preferred.values.first?.isFacialMatchPreferred == true)
    }

    @Test("Several space-separated values: identity and authenticator combined, lowest of each kind wins")
    func multipleValues() {
        let combined = IdentityAssurance(
            acr: [AssuranceValue.facialMatchRequired, AssuranceValue.aal2PhishingResistant].joined(separator: " ")
        )
        #expect(combined.identityLevel == .verifiedFacialMatch)
        #expect(combined.authenticatorLevel == .phishingResistant)
        #expect(combined.values.count == 2)

        let conflicting = IdentityAssurance(
            acr: AssuranceValue.facialMatchRequired + "  " + AssuranceValue.authOnly + "\t"
                + AssuranceValue.aal2HSPD12 + " " + AssuranceValue.aal2
        )
        #expect(conflicting.identityLevel == .authenticationOnly)
        #expect(conflicting.authenticatorLevel == .aal2)

        let withUnknown = IdentityAssurance(
            acr: "urn:example:unknown urn:acr.login.gov:verified urn:acr.login.gov:verified"
        )
        #expect(withUnknown.identityLevel == .verified)
        #expect(withUnknown.unrecognisedValues == ["urn:example:unknown"])
        #expect(withUnknown.values.count == 1)
    }

    @Test("Missing, empty or unknown acr gives level none")
    func missing() {
        for acr in [nil, "", "   ", "urn:acr.login.gov:VERIFIED", "ial2"] {
            let assurance = IdentityAssurance(acr: acr)
            #expect(assurance.identityLevel == IdentityProofingLevel.none)
            #expect(assurance.authenticatorLevel == nil)
        }
    }

    @Test("Deprecated values can be excluded from the levels")
    func excludingDeprecated() {
        let assurance = IdentityAssurance(acr: AssuranceValue.legacyIAL2, acceptingDeprecated: false)
        #expect(assurance.identityLevel == IdentityProofingLevel.none)
        #expect(assurance.usesDeprecatedValues)
    }

    @Test("Level names are stable and round-trip")
    func names() {
        #expect(
            IdentityProofingLevel.allCases.map(\.name) == ["none", "auth-only", "verified", "verified-facial-match"]
        )
        #expect(
            AuthenticatorAssuranceLevel.allCases.map(\.name) == [
                "mfa", "aal2", "aal2-phishing-resistant", "aal2-hspd12",
            ]
        )
        for level in IdentityProofingLevel.allCases { #expect(IdentityProofingLevel(name: level.name) == level) }
        for level in AuthenticatorAssuranceLevel.allCases {
            #expect(AuthenticatorAssuranceLevel(name: level.name) == level)
        }
    }

    @Test("Per-agency minimum identity level: SSA requires IAL2, IRS accepts anything")
    func agencyMinimumIdentity() async throws {
        let fixture = try Fixture(agencyPolicies: [
            "SSA": AgencyIdentityPolicy(minimumIdentityLevel: .verifiedFacialMatch, onRefusal: .reject)
        ])
        let verifiedOnly = fixture.token { $0["acr"] = AssuranceValue.verified }
        let ssa = await fixture.verifier.verify(verifiedOnly, agency: "SSA")
        #expect(ssa.refusal?.code == .insufficientAssurance)
        #expect(fixture.verifier.policy(for: "SSA").onRefusal == .reject)
        #expect(await fixture.verifier.verify(verifiedOnly, agency: "IRS").identity != nil)
        #expect(await fixture.verifier.verify(verifiedOnly).identity != nil)
        #expect(fixture.verifier.policy(for: "IRS").onRefusal == .continueAnonymously)

        let ial2 = fixture.token { $0["acr"] = AssuranceValue.facialMatchRequired }
        #expect(await fixture.verifier.verify(ial2, agency: "SSA").identity != nil)
        let noAcr = fixture.token { $0.removeValue(forKey: "acr") }
        #expect(await fixture.verifier.verify(noAcr, agency: "SSA").refusal?.code == .insufficientAssurance)
        #expect(
            await fixture.verifier.verify(noAcr, agency: "IRS").identity?.assurance.identityLevel
                == IdentityProofingLevel.none
        )
    }

    @Test("Per-agency minimum authenticator level, and refusing deprecated values")
    func agencyMinimumAuthenticator() async throws {
        let fixture = try Fixture(
            defaultPolicy: AgencyIdentityPolicy(minimumIdentityLevel: .authenticationOnly),
            agencyPolicies: [
                "VA": AgencyIdentityPolicy(minimumAuthenticatorLevel: .phishingResistant),
                "DOD": AgencyIdentityPolicy(minimumIdentityLevel: .verified, acceptsDeprecatedValues: false),
            ]
        )
        let piv = fixture.token { $0["acr"] = "\(AssuranceValue.verified) \(AssuranceValue.aal2HSPD12)" }
        #expect(await fixture.verifier.verify(piv, agency: "VA").identity?.assurance.authenticatorLevel == .hspd12)
        let plainAAL2 = fixture.token { $0["acr"] = "\(AssuranceValue.verified) \(AssuranceValue.aal2)" }
        #expect(await fixture.verifier.verify(plainAAL2, agency: "VA").refusal?.code == .insufficientAssurance)
        let identityOnly = fixture.token { $0["acr"] = AssuranceValue.verified }
        #expect(await fixture.verifier.verify(identityOnly, agency: "VA").refusal?.code == .insufficientAssurance)

        let legacy = fixture.token { $0["acr"] = AssuranceValue.legacyLOA3 }
        #expect(await fixture.verifier.verify(legacy, agency: "DOD").refusal?.code == .insufficientAssurance)
        #expect(await fixture.verifier.verify(legacy, agency: "IRS").identity?.assurance.usesDeprecatedValues == true)

        // The default policy requires at least auth-only, so a token without acr is refused.
        let none = fixture.token { $0["acr"] = "urn:example:other" }
        #expect(await fixture.verifier.verify(none).refusal?.code == .insufficientAssurance)
    }
}
