import CivicKafka
import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import SurveyIntake

/// Every rejection code over `POST /v1/responses`: the answer names the code, field and reason, and the
/// rejected topic keeps the original bytes with the request id.
@Suite(.startsProcesses, .serialized, .hangGuard)
struct IntakeHTTPRejectionTests {
    typealias Row = IntakeHTTPRejectionRow

    static func rows(now: Date) -> [Row] {
        let item = IntakeHTTPHarness.response
        let future = Timestamp.format(now.addingTimeInterval(86_400))
        let old = Timestamp.format(now.addingTimeInterval(-40 * 86_400))
        return [
            Row(
                name: "oversized item",
                bytes: item("big") { $0["comment"] = String(repeating: "a", count: 70_000) },
                status: 202,
                code: "payload_too_large",
                reason: "payload is "
            ),
            Row(name: "not UTF-8", bytes: [0x7B, 0xFF, 0x7D], status: 400, code: "not_utf8", reason: "payload is not valid UTF-8"),
            Row(name: "not JSON", bytes: Array("{\"schema\": ".utf8), status: 400, code: "not_json", reason: "payload is not JSON"),
            Row(
                name: "duplicate key",
                bytes: Array(
                    #"{"schema":"cx.feedback.submitted/1","answers":{"trust":{"scale":"thumbs","value":1},"trust":{"scale":"thumbs","value":0}}}"#
                        .utf8
                ),
                status: 202,
                code: "duplicate_key",
                field: "answers.trust",
                reason: "answers.trust: appears more than once in the same object"
            ),
            Row(
                name: "unknown schema",
                bytes: item("s2") { $0["schema"] = "cx.feedback.submitted/2" },
                status: 202,
                code: "unknown_schema",
                field: "schema",
                reason: "schema: \"cx.feedback.submitted/2\" is not a supported version"
            ),
            Row(
                name: "missing agency",
                bytes: item("m1") { $0.removeValue(forKey: "agency") },
                status: 202,
                code: "missing_field",
                field: "agency",
                reason: "agency: is required"
            ),
            Row(
                name: "wrong type",
                bytes: item("w1") { $0["answers"] = ["trust": ["scale": "thumbs", "value": "yes"]] },
                status: 202,
                code: "wrong_type",
                field: "answers.trust.value",
                reason: "answers.trust.value: expected a number"
            ),
            Row(
                name: "unknown channel",
                bytes: item("c1") { $0["channel"] = "fax" },
                status: 202,
                code: "invalid_value",
                field: "channel",
                reason: "channel: 'fax' is not one of web, mobile, phone, in-person, email, chat, mail, kiosk"
            ),
            Row(
                name: "likert out of range",
                bytes: item("l1") {
                    $0["form"] = "a11-v1"
                    $0["scaleDirection"] = "agree-high"
                    $0["answers"] = ["ease": 7]
                },
                status: 202,
                code: "out_of_range",
                field: "answers.ease",
                reason: "answers.ease: 7 is outside 1...5"
            ),
            Row(
                name: "future",
                bytes: item("f1") { $0["occurredAt"] = future },
                status: 202,
                code: "occurred_in_future",
                field: "occurredAt",
                reason: "occurredAt: "
            ),
            Row(
                name: "too old",
                bytes: item("o1") { $0["occurredAt"] = old },
                status: 202,
                code: "too_old",
                field: "occurredAt",
                reason: "occurredAt: "
            ),
            Row(
                name: "long comment",
                bytes: item("lc") { $0["comment"] = String(repeating: "a", count: 5001) },
                status: 202,
                code: "comment_too_long",
                field: "comment",
                reason: "comment: is 5001 characters; the limit is 5000"
            ),
            Row(
                name: "unregistered service",
                bytes: item("us") { $0["service"] = "e-file" },
                status: 202,
                code: "unknown_service",
                field: "service",
                reason: "service: \"e-file\" is not a registered service of IRS"
            ),
            Row(
                name: "display logic",
                bytes: item("dl") { $0["answers"] = ["trust": ["scale": "thumbs", "value": 1], "didNotGoWell": ["ease"]] },
                status: 202,
                code: "display_logic",
                field: "answers.didNotGoWell",
                reason: "answers.didNotGoWell: is not shown after a favourable trust answer"
            ),
            Row(
                name: "option the kiosk instrument does not offer",
                bytes: item("no") {
                    $0["channel"] = "kiosk"
                    $0["answers"] = ["trust": ["scale": "thumbs", "value": 1], "wentWell": ["ease", "humanity"]]
                },
                status: 202,
                code: "option_not_offered",
                field: "answers.wentWell",
                reason: "answers.wentWell: \"humanity\" is not an option of the instrument registered for IRS free-file kiosk (OMB 1545-2278), "
                    + "which offers effectiveness, ease, efficiency, transparency"
            ),
            Row(
                name: "trust scale other than the kiosk instrument's",
                bytes: item("im") {
                    $0["channel"] = "kiosk"
                    $0["answers"] = ["trust": ["scale": "likert5", "value": 5]]
                },
                status: 202,
                code: "instrument_mismatch",
                field: "answers.trust.scale",
                reason:
                    "answers.trust.scale: likert5 is not the trust scale of the instrument registered for IRS free-file kiosk (OMB 1545-2278), thumbs"
            ),
            // An API key belongs to one registered agency, so an item naming any other agency, registered or
            // not, is refused as forbidden: `unknown_agency` cannot happen over HTTP (it would reveal which
            // agencies are registered).
            Row(
                name: "agency of another key (or unregistered)",
                bytes: item("na") { $0["agency"] = "NASA" },
                status: 202,
                code: "forbidden_agency",
                field: "agency",
                reason: "agency: this API key may submit only for \"IRS\", not \"NASA\""
            ),
        ]
    }

    @Test func everyValidationCodeHasARow() {
        let codes = Set(Self.rows(now: Date()).map(\.code))
        let expected = Set(
            Set(Rejection.Code.allCases).subtracting([.unknownAgency]).subtracting(RejectionCode.givenAfterIntake).subtracting(
                RejectionCode.givenByFailurePolicy
            ).subtracting(RejectionCode.givenByTopic).map(\.rawValue)
        )
        #expect(codes.isSuperset(of: expected))
    }

    @Test func eachRejectionIsAnsweredAndPublishedWithTheOriginalBytes() async throws {
        try await IntakeHTTPHarness.run { harness in
            try await harness.checkRejections(Self.rows(now: Date()), path: "/v1/responses", key: try await harness.mintKey("IRS"))
        }
    }
}
