import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import SurveyIntake

/// `POST /v1/operations` against the real service (Tansu broker, PostgreSQL): operational events are answered
/// per item like responses, valid ones are stored in `intake.operations` and forwarded to `cx.operations.v1`,
/// and each refusal is published to the rejected topic with the original bytes and the request id.
@Suite(.startsProcesses, .serialized, .hangGuard)
struct IntakeHTTPOperationsTests {
    /// A valid `cx.operations/1` event for IRS Free File that happened an hour ago.
    static func operations(_ eventId: String, _ changes: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
        var object: [String: Any] = [
            "schema": SchemaVersion.operations, "eventId": eventId, "occurredAt": Timestamp.format(Date().addingTimeInterval(-3600)),
            "agency": "IRS", "service": "free-file", "channel": "phone", "contactId": "c-\(eventId)", "handleSeconds": 312,
            "resolvedFirstContact": true,
        ]
        changes(&object)
        return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    func post(_ harness: IntakeHTTPHarness, _ body: [UInt8], key: String) async throws -> IntakeHTTPHarness.Reply {
        try await harness.send("POST", "/v1/operations", body: body, bearer: key)
    }

    @Test func acceptedEventsAreStoredAndForwardedAndResubmissionsAreDuplicates() async throws {
        try await IntakeHTTPHarness.run { harness in
            let key = try await harness.mintKey("IRS")
            let reader = try harness.reader(CivicTopic.operations)
            let invalid = Self.operations("op-bad") { $0["handleSeconds"] = -5 }
            let reply = try await post(
                harness,
                IntakeHTTPHarness.batch([Self.operations("op-1"), invalid, Self.operations("op-2") { $0["channel"] = "web" }]),
                key: key
            )
            #expect(reply.status == 202)
            let result = try reply.decode(SubmissionResult.self)
            #expect(result.requestId == reply.requestId)
            #expect(result.results.map(\.index) == [0, 1, 2])
            #expect(result.results.map(\.eventId) == ["op-1", "op-bad", "op-2"])
            #expect(result.results.map(\.status) == [.accepted, .rejected, .accepted])
            #expect(result.results[1].code == "out_of_range")
            #expect(result.results[1].field == "handleSeconds")

            // The stream processor stores them and forwards them to cx.operations.v1, keyed by event id.
            let forwarded = try await IntakeHTTPHarness.read(reader) { $0.count >= 2 }
            let events = try forwarded.map { try CivicJSON.makeDecoder().decode(OperationsEvent.self, from: Data($0.value)) }
            #expect(Set(events.map(\.eventId)) == ["op-1", "op-2"])
            #expect(Set(forwarded.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }) == ["op-1", "op-2"])
            #expect(events.first { $0.eventId == "op-1" }?.handleSeconds == 312)
            #expect(events.first { $0.eventId == "op-2" }?.channel == .web)
            let stored = try await harness.postgres.query("SELECT event_id FROM intake.operations ORDER BY event_id")
            #expect(try stored.rows.map { try $0.require("event_id", as: String.self) } == ["op-1", "op-2"])

            // Once stored, the same event id is reported duplicate and not published again.
            let again = try await post(harness, IntakeHTTPHarness.batch([Self.operations("op-1"), Self.operations("op-3")]), key: key)
            #expect(again.status == 202)
            #expect(try again.decode(SubmissionResult.self).results.map(\.status) == [.duplicate, .accepted])
            let later = try await IntakeHTTPHarness.read(reader) { $0.contains { $0.key == Array("op-3".utf8) } }
            #expect(later.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } } == ["op-3"])
            await reader.close()

            // A survey response is not an operational event, and the responses route is not the operations route.
            let response = try await post(harness, IntakeHTTPHarness.response("resp-on-ops"), key: key)
            #expect(try response.decode(SubmissionResult.self).results.first?.code == "unknown_schema")
            let operationOnResponses = try await harness.submit(Self.operations("op-on-resp"), key: key)
            #expect(try operationOnResponses.decode(SubmissionResult.self).results.first?.code == "unknown_schema")
        }
    }

    typealias Row = IntakeHTTPRejectionRow

    static func rows(now: Date) -> [Row] {
        [
            Row(name: "not JSON", bytes: Array(#"{"schema":"cx.operations/1","#.utf8), status: 400, code: "not_json", reason: "payload is not JSON"),
            Row(
                name: "wrong schema",
                bytes: operations("r-schema") { $0["schema"] = "cx.operations/2" },
                status: 202,
                code: "unknown_schema",
                field: "schema",
                reason: "schema: \"cx.operations/2\" is not a supported version (expected \"cx.operations/1\")"
            ),
            Row(
                name: "missing channel",
                bytes: operations("r-missing") { $0.removeValue(forKey: "channel") },
                status: 202,
                code: "missing_field",
                field: "channel",
                reason: "channel: is required"
            ),
            Row(
                name: "negative handle time",
                bytes: operations("r-negative") { $0["handleSeconds"] = -1 },
                status: 202,
                code: "out_of_range",
                field: "handleSeconds",
                reason: "handleSeconds: -1.0 is outside 0...86400"
            ),
            Row(
                name: "handle time as text",
                bytes: operations("r-text") { $0["handleSeconds"] = "312" },
                status: 202,
                code: "wrong_type",
                field: "handleSeconds",
                reason: "handleSeconds: expected a number"
            ),
            Row(
                name: "in the future",
                bytes: operations("r-future") { $0["occurredAt"] = Timestamp.format(now.addingTimeInterval(86_400)) },
                status: 202,
                code: "occurred_in_future",
                field: "occurredAt",
                reason: "occurredAt: "
            ),
            Row(
                name: "unregistered service",
                bytes: operations("r-service") { $0["service"] = "e-file" },
                status: 202,
                code: "unknown_service",
                field: "service",
                reason: "service: \"e-file\" is not a registered service of IRS"
            ),
            // As for responses, an API key belongs to one registered agency, so an unregistered agency is
            // refused as forbidden (`unknown_agency` cannot happen over HTTP; it would reveal the registry).
            Row(
                name: "unregistered agency",
                bytes: operations("r-nasa") { $0["agency"] = "NASA" },
                status: 202,
                code: "forbidden_agency",
                field: "agency",
                reason: "agency: this API key may submit only for \"IRS\", not \"NASA\""
            ),
            Row(
                name: "another key's agency",
                bytes: operations("r-ssa") {
                    $0["agency"] = "SSA"
                    $0["service"] = "retirement"
                },
                status: 202,
                code: "forbidden_agency",
                field: "agency",
                reason: "agency: this API key may submit only for \"IRS\", not \"SSA\""
            ),
        ]
    }

    @Test func eachRejectionIsAnsweredAndPublishedWithTheOriginalBytes() async throws {
        try await IntakeHTTPHarness.run { harness in
            try await harness.checkRejections(Self.rows(now: Date()), path: "/v1/operations", key: try await harness.mintKey("IRS"))
            // Nothing refused reached the store.
            let stored = try await harness.postgres.query("SELECT count(*) AS n FROM intake.operations")
            #expect(try stored.first?.require("n", as: Int.self) == 0)
        }
    }
}
