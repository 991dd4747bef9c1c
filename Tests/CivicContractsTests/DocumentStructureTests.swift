import CivicContracts
import CivicModels
import CivicTestTraits
import Foundation
import Testing

/// The AsyncAPI and OpenAPI documents are structurally valid: OpenAPI by the real openapi-spec-validator,
/// AsyncAPI by resolving every `$ref` and checking the channels and operations against the topics.
@Suite(.hangGuard) struct DocumentStructureTests {
    @Test(arguments: ["survey-intake", "reporting"])
    func openAPIDocumentIsValid(_ service: String) throws {
        let documents = try Published.documents()
        let file = try #require(documents.file(ContractDocuments.openAPIPath(service)))
        let scratch = try Scratch()
        let path = try scratch.write("\(service).json", file.bytes)
        let result = try VenvTool.run(VenvTool.openAPISpecValidator, [path])
        #expect(result.status == 0, "openapi-spec-validator refused \(service):\n\(result.summary)")
        #expect(try Self.unresolvedReferences(in: Published.parse(file.bytes), files: [:]).isEmpty)
    }

    @Test func openAPIValidatorRefusesABrokenDocument() throws {
        // The validator is a real check: a document whose response lacks its description is refused.
        let broken = #"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {"responses": {"200": {}}}}}}"#
        let scratch = try Scratch()
        let result = try VenvTool.run(VenvTool.openAPISpecValidator, [try scratch.write("broken.json", Array(broken.utf8))])
        #expect(result.status != 0, "\(result.summary)")
    }

    @Test func asyncAPIDocumentDescribesEveryTopic() throws {
        let documents = try Published.documents()
        let file = try #require(documents.file(ContractDocuments.asyncAPIPath))
        let root = try #require(try Published.parse(file.bytes) as? [String: Any])
        #expect(root["asyncapi"] as? String == "3.0.0")
        let channels = try #require(root["channels"] as? [String: [String: Any]])
        #expect(Set(channels.values.compactMap { $0["address"] as? String }) == Set(CivicTopic.contracted))
        let operations = try #require(root["operations"] as? [String: [String: Any]])
        for (name, operation) in operations {
            #expect(["send", "receive"].contains(operation["action"] as? String), "operation \(name)")
        }
        // Each topic has at least one sender and one receiver.
        for topic in CivicTopic.contracted {
            let channelName = try #require(channels.first { $0.value["address"] as? String == topic }?.key)
            let actions = operations.values.filter { ($0["channel"] as? [String: String])?["$ref"] == "#/channels/\(channelName)" }
                .compactMap { $0["action"] as? String }
            #expect(Set(actions) == ["send", "receive"], "\(topic): \(actions)")
        }
        var files: [String: Any] = [:]
        for schemaFile in documents.files where schemaFile.path.hasPrefix("schemas/") {
            files[schemaFile.path] = try Published.parse(schemaFile.bytes)
        }
        let unresolved = try Self.unresolvedReferences(in: root, files: files)
        #expect(unresolved.isEmpty, "unresolved $ref: \(unresolved)")
        for (path, schema) in files {
            #expect(try Self.unresolvedReferences(in: schema, files: [:]).isEmpty, "\(path)")
        }
    }

    @Test func referenceCheckFindsABrokenReference() throws {
        let document: [String: Any] = ["a": ["$ref": "#/components/missing"], "b": ["$ref": "schemas/none.json"]]
        #expect(try Self.unresolvedReferences(in: document, files: [:]) == ["#/components/missing", "schemas/none.json"])
    }

    /// Every `$ref` in `document` that does not resolve: `#/json/pointer` inside the document, or a
    /// relative file name in `files` (optionally followed by `#/pointer`).
    static func unresolvedReferences(in document: Any, files: [String: Any]) throws -> [String] {
        var unresolved: [String] = []
        func visit(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String, resolve(reference) == nil { unresolved.append(reference) }
                for key in object.keys.sorted() { visit(object[key] as Any) }
            } else if let array = value as? [Any] {
                array.forEach(visit)
            }
        }
        func resolve(_ reference: String) -> Any? {
            let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let target: Any? = parts[0].isEmpty ? document : files[parts[0]]
            guard var current = target else { return nil }
            guard parts.count == 2, !parts[1].isEmpty else { return current }
            for token in parts[1].split(separator: "/") {
                let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                if let object = current as? [String: Any], let next = object[key] {
                    current = next
                } else if let array = current as? [Any], let index = Int(key), array.indices.contains(index) {
                    current = array[index]
                } else {
                    return nil
                }
            }
            return current
        }
        visit(document)
        return unresolved
    }
}
