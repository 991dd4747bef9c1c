import CivicTestTraits
import Foundation
import Testing

@testable import CivicIdentity

@Suite("Pseudonyms", .hangGuard)
struct PseudonymizerTests {
    static let key1 = (0..<32).map { UInt8($0 * 7 % 251) }
    static let key2 = (0..<48).map { UInt8(($0 * 13 + 5) % 251) }
    static let key3 = (0..<32).map { UInt8(($0 * 29 + 11) % 251) }

    @Test("Deterministic, with the documented text form, and parseable")
    func deterministic() throws {
        let pseudonymizer = testPseudonymizer
        let first = pseudonymizer.pseudonyms(issuer: "iss", audience: "aud", subject: "sub")
        let second = pseudonymizer.pseudonyms(issuer: "iss", audience: "aud", subject: "sub")
        #expect(first == second)
        let text = first.current.description
        #expect(text.hasPrefix("ps1_"))
        #expect(text.count == 4 + 43)
        #expect(text.dropFirst(4).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(!text.contains("sub"))
        #expect(Pseudonym(text) == first.current)
        #expect(first.retained.isEmpty)
    }

    @Test("Matches an independent HMAC-SHA256 over the length-prefixed encoding")
    func knownEncoding() throws {
        // Encoding: for iss, aud, sub: 4-byte big-endian length then UTF-8 bytes.
        let encoded = Pseudonymizer.encode(issuer: "ab", audience: "c", subject: "")
        #expect(encoded == [0, 0, 0, 2, 0x61, 0x62, 0, 0, 0, 1, 0x63, 0, 0, 0, 0])
        // Reference value computed with Python: hmac.new(bytes(range(32)), msg, sha256).
        let value = testPseudonymizer.pseudonyms(issuer: "ab", audience: "c", subject: "").current.description
        #expect(value == "ps1_" + referenceMAC)
    }

    @Test("The encoding is unambiguous: moving bytes between parts changes the pseudonym")
    func unambiguous() {
        let p = testPseudonymizer
        let a = p.pseudonyms(issuer: "ab", audience: "c", subject: "d").current
        let b = p.pseudonyms(issuer: "a", audience: "bc", subject: "d").current
        let c = p.pseudonyms(issuer: "a", audience: "b", subject: "cd").current
        #expect(Set([a, b, c]).count == 3)
    }

    @Test("Rotation: the current version is new, and the old-version pseudonym is still emitted so links survive")
    func rotation() throws {
        let before = Pseudonymizer(keyRing: try PseudonymKeyRing(keys: [1: Self.key1], currentVersion: 1))
        let after = Pseudonymizer(keyRing: try PseudonymKeyRing(keys: [1: Self.key1, 2: Self.key2], currentVersion: 2))
        let old = before.pseudonyms(issuer: "iss", audience: "aud", subject: "person")
        let new = after.pseudonyms(issuer: "iss", audience: "aud", subject: "person")
        #expect(new.current.keyVersion == 2)
        #expect(new.current.description.hasPrefix("ps2_"))
        #expect(new.current != old.current)
        #expect(new.retained == [old.current])
        #expect(new.pseudonym(forVersion: 1) == old.current)
        #expect(after.pseudonym(issuer: "iss", audience: "aud", subject: "person", version: 1) == old.current)
        #expect(after.pseudonym(issuer: "iss", audience: "aud", subject: "person", version: 9) == nil)

        // A third version: retained newest first.
        let third = Pseudonymizer(
            keyRing: try PseudonymKeyRing(keys: [1: Self.key1, 2: Self.key2, 3: Self.key3], currentVersion: 3)
        )
        let latest = third.pseudonyms(issuer: "iss", audience: "aud", subject: "person")
        #expect(latest.retained.map(\.keyVersion) == [2, 1])
        #expect(latest.retained[0] == new.current)
        #expect(latest.all.count == 3)
    }

    @Test("Rotation through the verifier: old-version pseudonym from before the rotation is in the new verdict")
    func rotationThroughVerifier() async throws {
        let v1 = Pseudonymizer(keyRing: try PseudonymKeyRing(keys: [1: Self.key1], currentVersion: 1))
        let v2 = Pseudonymizer(keyRing: try PseudonymKeyRing(keys: [1: Self.key1, 2: Self.key2], currentVersion: 2))
        let before = try Fixture(pseudonymizer: v1)
        let after = try Fixture(pseudonymizer: v2)
        let first = try #require(await before.verifier.verify(before.token()).identity)
        let second = try #require(await after.verifier.verify(after.token()).identity)
        #expect(second.respondent.current.keyVersion == 2)
        #expect(second.respondent.retained.contains(first.respondent.current))
    }

    @Test("Cross-agency linking: same iss+aud+sub through two agencies is one pseudonym; another audience is not")
    func crossAgency() async throws {
        let otherAudience = "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:mobile"
        let fixture = try Fixture(audiences: [Minter.audience, otherAudience])
        let token = fixture.token()
        let irs = try #require(await fixture.verifier.verify(token, agency: "IRS").identity)
        let ssa = try #require(await fixture.verifier.verify(token, agency: "SSA").identity)
        #expect(irs.respondent == ssa.respondent)

        let viaMobile = fixture.token { $0["aud"] = otherAudience }
        let mobile = try #require(await fixture.verifier.verify(viaMobile, agency: "IRS").identity)
        #expect(mobile.audience == otherAudience)
        #expect(mobile.respondent.current != irs.respondent.current)

        let otherPerson = fixture.token { $0["sub"] = "another-uuid" }
        #expect(
            try #require(await fixture.verifier.verify(otherPerson).identity).respondent.current
                != irs.respondent.current
        )

        let direct = testPseudonymizer.pseudonyms(
            issuer: "https://other-idp.example/",
            audience: Minter.audience,
            subject: "5b3c7d1e-1111-4c2b-9a57-1c1f5f3e2b10"
        )
        #expect(direct.current != irs.respondent.current)
    }

    @Test("Key ring from configuration text")
    func specification() throws {
        let k1 = Data(Self.key1).base64EncodedString()
        let k2url = Data(Self.key2).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let ring = try PseudonymKeyRing(specification: " v1:\(k1) , v2:\(k2url)", currentVersion: "v2")
        #expect(ring.currentVersion == 2)
        #expect(ring.versions == [2, 1])
        #expect(ring.retainedVersions == [1])
        let direct = try PseudonymKeyRing(keys: [1: Self.key1, 2: Self.key2], currentVersion: 2)
        #expect(
            Pseudonymizer(keyRing: ring).pseudonyms(issuer: "i", audience: "a", subject: "s")
                == Pseudonymizer(keyRing: direct).pseudonyms(issuer: "i", audience: "a", subject: "s")
        )
        #expect(!ring.description.contains(k1))
        #expect(!String(reflecting: ring).contains(k1))
        #expect(try PseudonymKeyRing(specification: "1:\(k1)", currentVersion: "1").currentVersion == 1)
    }

    @Test(
        "Invalid key configurations are refused with invalid_pseudonym_key",
        arguments: [
            ("", "v1"),
            ("v1:\(Data(repeating: 7, count: 31).base64EncodedString())", "v1"),  // too short (31 bytes)
            ("v1:\(Data(repeating: 7, count: 32).base64EncodedString())", "v1"),  // one byte repeated
            ("v1:\(Data(PseudonymizerTests.key1).base64EncodedString())", "v2"),  // current missing
            (
                "v1:\(Data(PseudonymizerTests.key1).base64EncodedString()),"
                    + "v1:\(Data(PseudonymizerTests.key3).base64EncodedString())",
                "v1"
            ),
            ("v0:\(Data(PseudonymizerTests.key1).base64EncodedString())", "v0"),
            ("x1:\(Data(PseudonymizerTests.key1).base64EncodedString())", "v1"),
            ("v1:not*base64!", "v1"),
            ("v1\(Data(PseudonymizerTests.key1).base64EncodedString())", "v1"),
            ("v1:\(Data(PseudonymizerTests.key1).base64EncodedString())", "one"),
        ]
    )
    func invalidSpecifications(specification: String, current: String) {
        #expect {
            _ = try PseudonymKeyRing(specification: specification, currentVersion: current)
        } throws: { error in
            guard let error = error as? IdentityError else { return false }
            return error.code == .invalidPseudonymKey && !error.reason.contains(Data(Self.key1).base64EncodedString())
        }
    }

    @Test("Pseudonym text parsing rejects anything else")
    func parsing() {
        let valid = testPseudonymizer.pseudonyms(issuer: "i", audience: "a", subject: "s").current.description
        for text in [
            "", "ps", "ps1_", "ps0_" + valid.dropFirst(4), "px1_" + valid.dropFirst(4), "ps1-" + valid.dropFirst(4),
            "ps1_" + valid.dropFirst(5), "psx_" + valid.dropFirst(4), valid + "A", "ps01_" + valid.dropFirst(4),
        ] {
            #expect(Pseudonym(String(text)) == nil, "\(text)")
        }
        #expect(Pseudonym(valid) != nil)
    }

    @Test("Pseudonyms encode as their text form in JSON")
    func codable() throws {
        let set = testPseudonymizer.pseudonyms(issuer: "i", audience: "a", subject: "s")
        let data = try JSONEncoder().encode(set.current)
        #expect(String(decoding: data, as: UTF8.self) == "\"\(set.current.description)\"")
        #expect(try JSONDecoder().decode(Pseudonym.self, from: data) == set.current)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Pseudonym.self, from: Data("\"nope\"".utf8)) }
    }
}

/// HMAC-SHA256(key = bytes 0...31, message = 00000002 'ab' 00000001 'c' 00000000), base64url,
/// computed independently (Python's hmac module).
private let referenceMAC = "b1XbTTTtQDuaGr22kDl0uNAgGMBBB0TP0pypHm_bWQE"
