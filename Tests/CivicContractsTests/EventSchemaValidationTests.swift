import CivicContracts
import CivicJSON
import CivicModels
import CivicTestTraits
import Foundation
import Testing

/// The generated event schemas accept the DESIGN.md examples and refuse bad events, as judged by the real
/// check-jsonschema (python-jsonschema, draft 2020-12, formats checked) from the project venv.
@Suite(.hangGuard) struct EventSchemaValidationTests {
    static let v2 = """
        {"schema": "cx.feedback.submitted/1",
         "eventId": "0b6f3c1e-5d2a-4a0e-9a57-1c1f5f3e2b10",
         "occurredAt": "2026-11-20T15:04:05Z",
         "agency": "IRS", "service": "free-file", "channel": "web", "touchpoint": "after-filing",
         "level": "transaction", "journeyId": null, "stage": null,
         "form": "a11-v2",
         "answers": {"trust": {"scale": "thumbs", "value": 1},
                     "wentWell": ["effectiveness", "ease"], "didNotGoWell": [],
                     "recommend": 9},
         "comment": "Filing was quick and the help text was clear.",
         "identity": {"idToken": "eyJhbGciOiJSUzI1NiIsImtpZCI6..."},
         "locale": "en-US"}
        """

    static let v1 = """
        {"schema": "cx.feedback.submitted/1", "eventId": "e-v1", "occurredAt": "2026-11-20T15:04:05.250+02:00",
         "agency": "SSA", "service": "retirement", "channel": "in-person", "level": "journey", "journeyId": "j1",
         "stage": "apply", "form": "a11-v1", "scaleDirection": "agree-high",
         "answers": {"satisfaction": 5, "trust": 4, "effectiveness": 4, "ease": 3, "efficiency": 4, "transparency": 5, "employee": 5}}
        """

    static let operations = """
        {"schema": "cx.operations/1", "eventId": "op-1", "occurredAt": "2026-11-20T15:04:05Z", "agency": "SSA",
         "service": "retirement-benefits", "channel": "phone", "contactId": "c-123",
         "handleSeconds": 312, "resolvedFirstContact": true}
        """

    static let rejected = """
        {"schema": "cx.feedback.rejected/1", "code": "out_of_range", "field": "answers.ease",
         "reason": "answers.ease: 7 is outside 1...5",
         "source": {"topic": "cx.feedback.submitted.v1", "partition": 0, "offset": 42},
         "original": "eyJlYXNlIjo3fQ==", "rejectedAt": "2026-11-20T15:04:06Z"}
        """

    /// A sample: a base event with one edit (`old` must occur in it) checked against a schema.
    struct Sample: Sendable, CustomTestStringConvertible {
        var label: String
        var schemaId: String = SchemaVersion.submitted
        var base: String
        var edits: [(old: String, new: String)] = []

        var testDescription: String { label }

        func json() throws -> String {
            var text = base
            for edit in edits {
                guard text.contains(edit.old) else { throw ContractError(.unknownDocument, typeName: label, "fixture lacks '\(edit.old)'") }
                text = text.replacingOccurrences(of: edit.old, with: edit.new)
            }
            return text
        }
    }

    static let thumbs = #"{"scale": "thumbs", "value": 1}"#
    static let v1Answers = #"{"satisfaction": 5, "trust": 4, "effectiveness": 4, "ease": 3, "efficiency": 4, "transparency": 5, "employee": 5}"#
    static let httpSource = #"{"httpRequestId": "r-1"}"#
    static let topicSource = #"{"topic": "cx.feedback.submitted.v1", "partition": 0, "offset": 42}"#

    static let valid: [Sample] = [
        Sample(label: "DESIGN.md v2 thumbs", base: v2),
        Sample(label: "v2 likert5", base: v2, edits: [(thumbs, #"{"scale": "likert5", "value": 4}"#)]),
        Sample(label: "v1 legacy form", base: v1),
        Sample(label: "v1 agree-low, ease absent", base: v1, edits: [("agree-high", "agree-low"), (#""ease": 3, "#, "")]),
        Sample(label: "DESIGN.md operations", schemaId: SchemaVersion.operations, base: operations),
        Sample(label: "DESIGN.md rejected", schemaId: SchemaVersion.rejected, base: rejected),
        Sample(label: "rejected from HTTP", schemaId: SchemaVersion.rejected, base: rejected, edits: [(topicSource, httpSource)]),
    ]

    static let invalid: [Sample] = [
        Sample(label: "v1 answer of 7", base: v1, edits: [(#""ease": 3"#, #""ease": 7"#)]),
        Sample(label: "v1 trust of 7", base: v1, edits: [(#""trust": 4"#, #""trust": 7"#)]),
        Sample(label: "unknown channel", base: v2, edits: [(#""channel": "web""#, #""channel": "fax""#)]),
        Sample(label: "missing eventId", base: v2, edits: [(#""eventId": "0b6f3c1e-5d2a-4a0e-9a57-1c1f5f3e2b10","#, "")]),
        Sample(label: "blank eventId", base: v2, edits: [(#""0b6f3c1e-5d2a-4a0e-9a57-1c1f5f3e2b10""#, #""   ""#)]),
        Sample(label: "wrong schema id", base: v2, edits: [(#""cx.feedback.submitted/1""#, #""cx.feedback.submitted/2""#)]),
        Sample(label: "thumbs value 2", base: v2, edits: [(#""value": 1"#, #""value": 2"#)]),
        Sample(label: "v2 with a bare trust number", base: v2, edits: [(thumbs, "4")]),
        Sample(label: "v2 without trust", base: v2, edits: [(#""trust": \#(thumbs),"#, "")]),
        Sample(label: "v2 with a legacy driver", base: v2, edits: [(#""recommend": 9"#, #""recommend": 9, "ease": 4"#)]),
        Sample(label: "v2 with a repeated driver", base: v2, edits: [(#"["effectiveness", "ease"]"#, #"["ease", "ease"]"#)]),
        Sample(label: "recommend of 11", base: v2, edits: [(#""recommend": 9"#, #""recommend": 11"#)]),
        Sample(label: "v1 without scaleDirection", base: v1, edits: [(#""scaleDirection": "agree-high","#, "")]),
        Sample(label: "v1 with wentWell", base: v1, edits: [(#""employee": 5}"#, #""employee": 5, "wentWell": ["ease"]}"#)]),
        Sample(label: "v1 with no answer", base: v1, edits: [(v1Answers, "{}")]),
        Sample(label: "journey level without journeyId", base: v1, edits: [(#""journeyId": "j1""#, #""journeyId": null"#)]),
        Sample(label: "occurredAt without a time zone", base: v2, edits: [(#""2026-11-20T15:04:05Z""#, #""2026-11-20T15:04:05""#)]),
        Sample(
            label: "operations with an unknown channel",
            schemaId: SchemaVersion.operations,
            base: operations,
            edits: [(#""phone""#, #""pager""#)]
        ),
        Sample(
            label: "rejected without a reason",
            schemaId: SchemaVersion.rejected,
            base: rejected,
            edits: [(#""reason": "answers.ease: 7 is outside 1...5","#, "")]
        ),
    ]

    static func validate(_ schemaId: String, _ json: String) throws -> ToolResult {
        guard let event = EventCatalog.all.first(where: { $0.schemaId == schemaId }) else {
            throw ContractError(.unknownDocument, typeName: schemaId, "not in EventCatalog")
        }
        let scratch = try Scratch()
        let schema = try scratch.write("schema.json", EventCatalog.schemaDocument(event).serialized())
        let instance = try scratch.write("instance.json", Array(json.utf8))
        return try VenvTool.run(VenvTool.checkJSONSchema, ["--schemafile", schema, instance])
    }

    @Test(arguments: valid)
    func acceptsValidEvents(_ sample: Sample) throws {
        let json = try sample.json()
        // The Swift decoder agrees that the sample is well-formed.
        #expect(try Self.decodes(sample.schemaId, json), "\(sample.label) does not decode")
        let result = try Self.validate(sample.schemaId, json)
        #expect(result.status == 0, "\(sample.label) was refused:\n\(result.summary)")
    }

    @Test(arguments: invalid)
    func refusesInvalidEvents(_ sample: Sample) throws {
        let result = try Self.validate(sample.schemaId, try sample.json())
        #expect(result.status == 1, "\(sample.label) was not refused:\n\(result.summary)")
        #expect(result.output.contains("Schema validation errors"), "\(sample.label): \(result.summary)")
    }

    @Test func everySchemaIsValidDraft202012() throws {
        let scratch = try Scratch()
        for event in EventCatalog.all {
            let path = try scratch.write(event.fileName, EventCatalog.schemaDocument(event).serialized())
            // Validate a trivially non-matching instance so the schema itself is compiled and meta-checked.
            let instance = try scratch.write("empty-\(event.fileName)", Array("{}".utf8))
            let result = try VenvTool.run(VenvTool.checkJSONSchema, ["--check-metaschema", path])
            #expect(result.status == 0, "\(event.fileName) is not a valid JSON Schema:\n\(result.summary)")
            let empty = try VenvTool.run(VenvTool.checkJSONSchema, ["--schemafile", path, instance])
            #expect(empty.status == 1, "\(event.fileName) accepts an empty object:\n\(empty.summary)")
        }
    }

    static func decodes(_ schemaId: String, _ json: String) throws -> Bool {
        let decoder = CivicJSON.makeDecoder()
        let data = Data(json.utf8)
        switch schemaId {
        case SchemaVersion.operations: _ = try decoder.decode(OperationsEvent.self, from: data)
        case SchemaVersion.rejected: _ = try decoder.decode(RejectedFeedback.self, from: data)
        default: _ = try decoder.decode(FeedbackEvent.self, from: data)
        }
        return true
    }
}
