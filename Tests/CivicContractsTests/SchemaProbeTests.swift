import CivicContracts
import CivicJSON
import CivicModels
import CivicTestTraits
import Foundation
import Testing

/// Probing a type's real `init(from:)` finds its keys, optionality, nested types, arrays, maps and enums;
/// annotations that do not fit the type, and types probing cannot follow, are refused with a clear error.
@Suite(.hangGuard) struct SchemaProbeTests {
    struct Sample: Codable {
        enum Colour: String, Codable, CaseIterable, SchemaEnumerable { case red, green }
        struct Inner: Codable { var count: Int }
        var name: String
        var nickname: String?
        var colour: Colour
        var tags: [String]
        var counts: [String: Int]?
        var inner: Inner
        var at: Date
        var ratio: Double
    }

    struct Manual: Decodable {
        enum Keys: String, CodingKey { case outer, inner }
        var value: Int
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            let nested = try container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            value = try nested.decode(Int.self, forKey: .inner)
        }
    }

    struct Validating: Decodable {
        init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard !text.isEmpty else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "empty")) }
        }
    }

    final class Node: Decodable {
        var children: [Node]
    }

    struct Misannotated: Decodable, ContractDescribed {
        var real: Int
        static var contractNotes: ContractNotes { ContractNotes("A type with a stale note.").field("renamed", "Gone.") }
    }

    @Test func derivesKeysTypesAndOptionality() throws {
        var builder = JSONSchemaBuilder()
        let schema = try builder.objectSchema(for: Sample.self)
        #expect(schema["required"] == .strings(["name", "colour", "tags", "inner", "at", "ratio"]))
        let properties = try #require(schema["properties"]?.object)
        #expect(properties.keys == ["name", "nickname", "colour", "tags", "counts", "inner", "at", "ratio"])
        #expect(properties["name"] == ["type": "string"])
        #expect(properties["nickname"] == ["type": ["string", "null"]])
        #expect(properties["tags"] == ["type": "array", "items": ["type": "string"]])
        #expect(properties["counts"] == ["type": ["object", "null"], "additionalProperties": ["type": "integer"]])
        #expect(properties["at"] == ["type": "string", "format": "date-time"])
        #expect(properties["ratio"] == ["type": "number"])
        #expect(properties["colour"] == ["$ref": "#/$defs/SchemaProbeTests.Sample.Colour"])
        #expect(builder.definitions["SchemaProbeTests.Sample.Colour"] == ["type": "string", "enum": ["red", "green"]])
        #expect(
            builder.definitions["SchemaProbeTests.Sample.Inner"]
                == ["type": "object", "properties": ["count": ["type": "integer"]], "required": ["count"]]
        )
    }

    @Test func followsNestedContainers() throws {
        var builder = JSONSchemaBuilder()
        let schema = try builder.objectSchema(for: Manual.self)
        #expect(
            schema["properties"]
                == ["outer": ["type": "object", "properties": ["inner": ["type": "integer"]], "required": ["inner"]]]
        )
    }

    @Test func vocabulariesFromCivicModelsListTheirCases() throws {
        var builder = JSONSchemaBuilder()
        _ = try builder.schema(for: Channel.self)
        let channel = try #require(builder.definitions["Channel"])
        #expect(channel["enum"] == .strings(Channel.allCases.map(\.rawValue)))
        #expect(channel["description"] != nil)
    }

    @Test func aTypeWhoseDecoderRefusesSamplesNamesTheFix() throws {
        var builder = JSONSchemaBuilder()
        let error = try #require(throws: ContractError.self) { try builder.schema(for: Validating.self) }
        #expect(error.code == .probeFailed)
        #expect(error.description.contains("SchemaProviding"))
    }

    @Test func aRecursiveTypeIsRefused() throws {
        var builder = JSONSchemaBuilder()
        let error = try #require(throws: ContractError.self) { try builder.schema(for: Node.self) }
        #expect(error.code == .recursiveType)
    }

    @Test func aNoteForAFieldTheTypeDoesNotDecodeIsRefused() throws {
        var builder = JSONSchemaBuilder()
        let error = try #require(throws: ContractError.self) { try builder.schema(for: Misannotated.self) }
        #expect(error.code == .unknownAnnotatedField)
        #expect(error.reason.contains("'renamed'"))
    }

    @Test func submittedSchemaFixesTheSchemaIdAndOmitsLaterStages() throws {
        let submitted = try #require(EventCatalog.all.first { $0.schemaId == SchemaVersion.submitted })
        let document = try EventCatalog.schemaDocument(submitted)
        #expect(document["properties"]?["schema"]?["const"] == .string(SchemaVersion.submitted))
        #expect(document["properties"]?["identity"] != nil)
        #expect(document["properties"]?["respondent"] == nil)
        let verified = try #require(EventCatalog.all.first { $0.schemaId == SchemaVersion.verified })
        let verifiedDocument = try EventCatalog.schemaDocument(verified)
        #expect(verifiedDocument["properties"]?["identity"] == nil)
        guard case .array(let required) = verifiedDocument["required"] else {
            Issue.record("no required list")
            return
        }
        #expect(required.contains("respondent") && required.contains("receivedAt"))
    }

    @Test func everyTopicHasAnEvent() {
        #expect(Set(EventCatalog.all.map(\.topic)) == Set(CivicTopic.contracted))
        #expect(Set(EventCatalog.all.map(\.schemaId)).count == EventCatalog.all.count)
    }
}
