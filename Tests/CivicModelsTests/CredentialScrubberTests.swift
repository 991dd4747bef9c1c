import CivicModels
import Foundation
import Testing

/// Rejections and dead letters carry what an integrator needs to fix and resend an input, never an identity
/// credential: ``CredentialScrubber`` on its own, and through every ``RejectedFeedback``.
struct CredentialScrubberTests {
    /// A token-shaped string: `{"alg":"RS256","kid":"k1"}.{"sub":"SUBJECT-MARKER"}.signature`.
    static let token: String = {
        func part(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return part(#"{"alg":"RS256","kid":"k1"}"#) + "." + part(#"{"sub":"SUBJECT-MARKER"}"#) + "." + part("signature bytes")
    }()

    static func scrubbed(_ text: String) -> String {
        String(decoding: CredentialScrubber.scrub(Array(text.utf8)), as: UTF8.self)
    }

    @Test func credentialMembersLoseTheirValuesAtAnyDepthAndTheRestStaysByteForByte() {
        let input = #"{"eventId": "e-1", "identity": {"idToken": "abc", "extra": [1, {"x": "}"}]}, "comment": "keep \"me\"", "n": 7}"#
        #expect(Self.scrubbed(input) == #"{"eventId": "e-1", "identity": "[REMOVED]", "comment": "keep \"me\"", "n": 7}"#)
        // An identity request carries the token at the top level, under any spelling.
        for key in ["idToken", "id_token", "ID-TOKEN", "accessToken"] {
            #expect(
                Self.scrubbed(#"{"correlationId":"c","\#(key)":"opaque-value","agency":"IRS"}"#)
                    == #"{"correlationId":"c","\#(key)":"[REMOVED]","agency":"IRS"}"#
            )
        }
        // A value that is not a string, and a truncated input whose token runs to the end.
        #expect(Self.scrubbed(#"{"idToken":12345,"a":1}"#) == #"{"idToken":"[REMOVED]","a":1}"#)
        #expect(Self.scrubbed(#"{"a":1,"identity":{"idToken":"opaque-value-cut-of"#) == #"{"a":1,"identity":"[REMOVED]""#)
        // The text of a comment that merely mentions the word is not a member.
        let mention = #"{"comment":"my \"identity\": was fine"}"#
        #expect(Self.scrubbed(mention) == mention)
    }

    @Test func tokenShapedRunsAreReplacedAnywhere() {
        let token = Self.token
        #expect(Self.scrubbed("not json \(token) at all") == "not json [TOKEN] at all")
        #expect(Self.scrubbed(#"{"comment":"pasted \#(token)!"}"#) == #"{"comment":"pasted [TOKEN]!"}"#)
        // Header and claims without a signature (an input cut at the limit) still say who signed in.
        let cut = token.split(separator: ".").prefix(2).joined(separator: ".")
        #expect(Self.scrubbed("x \(cut)") == "x [TOKEN]")
        #expect(Self.scrubbed("eyJhbGciOiJSUzI1NiJ9.e30.c2ln") == "[TOKEN]")
        // Words and short base64 that only look alike stay.
        for text in ["eyJ", "heyJude.x.y", "eyJshort.ab.cd", "keyJ0123456789abcdefgh.xy.z"] { #expect(Self.scrubbed(text) == text) }
        #expect(CredentialScrubber.scrub("reason with \(token)") == "reason with [TOKEN]")
    }

    @Test func aRejectionCarriesTheInputWithoutItsCredentialsAndReasonsLoseTokensToo() throws {
        let input = #"{"eventId":"e-1","comment":"SSN 123-45-6789","identity":{"idToken":"\#(Self.token)"},"answers":{"ease":7}}"#
        let record = RejectedFeedback(
            code: .outOfRange,
            field: "answers.ease",
            reason: "answers.ease: 7 is outside 1...5 (token \(Self.token))",
            source: .init(topic: CivicTopic.submitted(agency: "IRS"), partition: 0, offset: 1),
            original: Array(input.utf8),
            eventId: "e-1",
            rejectedAt: Date(timeIntervalSince1970: 0)
        )
        let original = String(decoding: try #require(Data(base64Encoded: record.original)), as: UTF8.self)
        #expect(original == #"{"eventId":"e-1","comment":"SSN 123-45-6789","identity":"[REMOVED]","answers":{"ease":7}}"#)
        #expect(record.reason == "answers.ease: 7 is outside 1...5 (token [TOKEN])")
        let encoded = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        #expect(!encoded.contains(Self.token) && !encoded.contains(String(Self.token.prefix(30))))
    }

    @Test func aLargeInputIsScrubbedBeforeItIsCutSoNoTokenSurvivesAtTheLimit() throws {
        // The token straddles the 256 KiB limit: cut first, its header and claims would survive.
        let padding = String(repeating: "a", count: RejectedFeedback.maximumOriginalBytes - 40)
        let input = #"{"comment":"\#(padding) \#(Self.token)"}"#
        let record = RejectedFeedback(
            code: .payloadTooLarge,
            field: nil,
            reason: "too large",
            source: .init(),
            original: Array(input.utf8),
            rejectedAt: Date(timeIntervalSince1970: 0)
        )
        let original = String(decoding: try #require(Data(base64Encoded: record.original)), as: UTF8.self)
        #expect(original.hasSuffix(" [TOKEN]\"}"))
        #expect(!original.contains("eyJ"))
    }
}
